// Package audit keeps Cairn's append-only, hash-chained audit log: who did
// what to which record, when, in which program and request. Each entry's
// hash is SHA-256(previous hash ‖ canonical entry), so an edited, deleted or
// reordered row breaks the chain and [Verify] names it. The application
// only ever inserts audit rows.
package audit

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// genesis is the "previous hash" of the first entry.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one audit record.
type Entry struct {
	Seq         int64
	ID          string
	At          time.Time
	ProgramID   string
	ActorID     string
	ActorRole   string
	Action      string
	SubjectType string
	SubjectID   string
	RequestID   string
	// Detail holds non-sensitive facts about the action (a role name, a
	// count), never health data, message bodies or contact details.
	Detail   map[string]string
	PrevHash string
	Hash     string
}

// Event describes an action to record.
type Event struct {
	Action      string
	SubjectType string
	SubjectID   string
	// ProgramID overrides the actor's program (for sign-in failures, where
	// there is no actor yet).
	ProgramID string
	Detail    map[string]string
}

// Now is the clock; tests replace it.
var Now = time.Now

// Record appends an entry for e, done by actor, inside tx. The entry
// commits or rolls back with the change it describes.
//
// The entries of a transaction are chained just before it commits, all at
// once: the chain's lock is then held only for the last moments of the
// transaction, and a transaction with many entries (a batch of RSVPs)
// costs one insert and one move of the head instead of four statements
// per entry.
func Record(ctx context.Context, tx *db.Tx, actor access.Actor, e Event) error {
	program := e.ProgramID
	if program == "" {
		program = actor.ProgramID
	}
	v, created := tx.Stash(pendingKey{}, func() any { return &pending{} })
	p := v.(*pending)
	p.entries = append(p.entries, Entry{
		ID:          newID(),
		At:          Now().UTC().Truncate(time.Microsecond),
		ProgramID:   program,
		ActorID:     actor.UserID,
		ActorRole:   string(actor.Role),
		Action:      e.Action,
		SubjectType: e.SubjectType,
		SubjectID:   e.SubjectID,
		RequestID:   actor.RequestID,
		Detail:      e.Detail,
	})
	if created {
		tx.BeforeCommit(func(ctx context.Context) error { return p.flush(ctx, tx) })
	}
	return nil
}

// pendingKey is the transaction stash key of its audit entries.
type pendingKey struct{}

// pending holds a transaction's entries until it commits.
type pending struct{ entries []Entry }

// flush chains the pending entries after the head and appends them.
func (p *pending) flush(ctx context.Context, tx *db.Tx) error {
	if err := tx.LockAuditChain(ctx); err != nil {
		return fmt.Errorf("audit: lock: %w", err)
	}
	var seq int64
	prev := genesis
	err := db.Err(tx.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &prev))
	if err != nil && err != db.ErrNotFound {
		return fmt.Errorf("audit: read head: %w", err)
	}
	first := seq == 0
	rows := make([][]any, len(p.entries))
	for i := range p.entries {
		en := &p.entries[i]
		seq++
		en.Seq, en.PrevHash = seq, prev
		en.Hash = en.computeHash()
		prev = en.Hash
		rows[i] = []any{en.Seq, en.ID, en.At, en.ProgramID, en.ActorID, en.ActorRole, en.Action,
			en.SubjectType, en.SubjectID, en.RequestID, encodeDetail(en.Detail), en.PrevHash, en.Hash}
	}
	err = tx.InsertRows(ctx, `INSERT INTO audit_log (seq, id, at, program_id, actor_id, actor_role, action,
		subject_type, subject_id, request_id, detail, prev_hash, hash) VALUES `, rows)
	if err != nil {
		return fmt.Errorf("audit: append: %w", err)
	}
	if first {
		_, err = tx.Exec(ctx, `INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)`, seq, prev)
	} else {
		_, err = tx.Exec(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, seq, prev)
	}
	if err != nil {
		return fmt.Errorf("audit: move head: %w", err)
	}
	return nil
}

// RecordNow records e in a transaction of its own, for events that change
// nothing else (a failed sign-in, a read of a sensitive record).
func RecordNow(ctx context.Context, d *db.DB, actor access.Actor, e Event) error {
	return d.Tx(ctx, func(tx *db.Tx) error { return Record(ctx, tx, actor, e) })
}

// canonical is the exact byte string the hash covers: a JSON array, so that
// no field can bleed into the next.
func (e *Entry) canonical() []byte {
	b, _ := json.Marshal([]any{
		e.Seq, e.ID, e.At.UTC().Format(time.RFC3339Nano), e.ProgramID, e.ActorID, e.ActorRole,
		e.Action, e.SubjectType, e.SubjectID, e.RequestID, encodeDetail(e.Detail),
	})
	return b
}

func (e *Entry) computeHash() string {
	h := sha256.New()
	h.Write([]byte(e.PrevHash))
	h.Write(e.canonical())
	return hex.EncodeToString(h.Sum(nil))
}

// encodeDetail writes detail as JSON with sorted keys (encoding/json sorts
// map keys), or "" when empty.
func encodeDetail(d map[string]string) string {
	if len(d) == 0 {
		return ""
	}
	b, _ := json.Marshal(d)
	return string(b)
}

func decodeDetail(s string) map[string]string {
	if s == "" {
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return map[string]string{"unreadable": s}
	}
	return m
}

func newID() string {
	id, err := uuid.NewV7()
	if err != nil {
		var b [16]byte
		_, _ = rand.Read(b[:])
		return hex.EncodeToString(b[:])
	}
	return id.String()
}
