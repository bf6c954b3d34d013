package audit

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/db"
)

// Broken describes the first place where the chain no longer matches.
type Broken struct {
	// Seq is the position of the first entry that fails.
	Seq int64
	// ID is that entry's id, when the entry exists.
	ID string
	// Reason says what does not match, in plain words.
	Reason string
}

func (b *Broken) Error() string {
	if b.ID != "" {
		return fmt.Sprintf("audit chain broken at entry %d (id %s): %s", b.Seq, b.ID, b.Reason)
	}
	return fmt.Sprintf("audit chain broken at entry %d: %s", b.Seq, b.Reason)
}

// Verify walks the whole chain in order. It returns the number of entries
// when every entry is present, in order and unchanged, or a *Broken naming
// the first one that is not.
func Verify(ctx context.Context, d *db.DB) (int64, error) {
	rows, err := d.Query(ctx, `SELECT seq, id, at, program_id, actor_id, actor_role, action,
		subject_type, subject_id, request_id, detail, prev_hash, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	prev := genesis
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return n, err
		}
		want := n + 1
		switch {
		case e.Seq != want:
			return n, &Broken{Seq: want, Reason: fmt.Sprintf("entry %d is missing (next present is %d)", want, e.Seq)}
		case e.PrevHash != prev:
			return n, &Broken{Seq: e.Seq, ID: e.ID, Reason: "it does not follow the entry before it (deleted, inserted or reordered)"}
		case e.computeHash() != e.Hash:
			return n, &Broken{Seq: e.Seq, ID: e.ID, Reason: "its content does not match its hash (edited)"}
		}
		prev = e.Hash
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	var headSeq int64
	var headHash string
	err = db.Err(d.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash))
	switch {
	case err == db.ErrNotFound:
		if n > 0 {
			return n, &Broken{Seq: n, Reason: "the chain's head record is missing"}
		}
	case err != nil:
		return n, err
	case headSeq > n:
		return n, &Broken{Seq: n + 1, Reason: fmt.Sprintf("the chain ends at entry %d but %d entries were written (newest entries deleted)", n, headSeq)}
	case headSeq < n:
		return headSeq, &Broken{Seq: headSeq + 1, Reason: fmt.Sprintf("entries %d to %d were added without moving the chain's head (appended outside Cairn)", headSeq+1, n)}
	case headHash != prev:
		return n, &Broken{Seq: n, Reason: "the newest entry does not match the chain's head (edited or replaced)"}
	}
	return n, nil
}
