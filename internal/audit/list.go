package audit

import (
	"context"
	"database/sql"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Filter narrows a listing of the audit log. Zero fields match everything.
type Filter struct {
	ActorID   string
	Action    string // exact action, or a prefix ending in "." (e.g. "signin.")
	SubjectID string
	From, To  time.Time
	// Before is the seq to page back from (exclusive); 0 starts at the newest.
	Before int64
	Limit  int
}

// List returns the program's entries, newest first, that match f. Only
// admins of the program may read it; the read itself is recorded.
func List(ctx context.Context, d *db.DB, actor access.Actor, f Filter) ([]Entry, error) {
	if err := access.ViewAudit(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	var where []string
	args := []any{actor.ProgramID}
	where = append(where, "program_id = ?")
	if f.ActorID != "" {
		where = append(where, "actor_id = ?")
		args = append(args, f.ActorID)
	}
	if f.Action != "" {
		if strings.HasSuffix(f.Action, ".") {
			// A plain prefix comparison: LIKE would treat "_" in action
			// names as a wildcard.
			where = append(where, "substr(action, 1, ?) = ?")
			args = append(args, utf8.RuneCountInString(f.Action), f.Action)
		} else {
			where = append(where, "action = ?")
			args = append(args, f.Action)
		}
	}
	if f.SubjectID != "" {
		where = append(where, "subject_id = ?")
		args = append(args, f.SubjectID)
	}
	if !f.From.IsZero() {
		where = append(where, "at >= ?")
		args = append(args, f.From)
	}
	if !f.To.IsZero() {
		where = append(where, "at < ?")
		args = append(args, f.To)
	}
	if f.Before > 0 {
		where = append(where, "seq < ?")
		args = append(args, f.Before)
	}
	args = append(args, f.Limit)
	rows, err := d.Query(ctx, `SELECT seq, id, at, program_id, actor_id, actor_role, action,
		subject_type, subject_id, request_id, detail, prev_hash, hash FROM audit_log
		WHERE `+strings.Join(where, " AND ")+` ORDER BY seq DESC LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := RecordNow(ctx, d, actor, Event{Action: "audit.read", SubjectType: "audit_log"}); err != nil {
		return nil, err
	}
	return out, nil
}

func scanEntry(rows *sql.Rows) (Entry, error) {
	var e Entry
	var detail string
	err := rows.Scan(&e.Seq, &e.ID, &e.At, &e.ProgramID, &e.ActorID, &e.ActorRole, &e.Action,
		&e.SubjectType, &e.SubjectID, &e.RequestID, &detail, &e.PrevHash, &e.Hash)
	e.Detail = decodeDetail(detail)
	e.At = e.At.UTC()
	return e, db.Err(err)
}
