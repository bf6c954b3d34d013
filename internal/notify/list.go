package notify

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// OutboxEntry is one recorded email and how its delivery went.
type OutboxEntry struct {
	ID, ProgramID, To, Subject, Text, HTML, Status, Error string
	// Channel is "email" or "sms".
	Channel   string
	Attempts  int
	CreatedAt time.Time
	SentAt    *time.Time
	// NextAttemptAt is when the sender will try again; nil once the
	// message is sent or has used up its attempts.
	NextAttemptAt *time.Time
}

// ListOutbox returns the actor's program's mail, newest first, optionally
// only with the given status ("" for all). Only admins may list it. Bodies
// are left out (Text and HTML are empty), since they may hold invitation
// links; [GetOutbox] reads one message whole and records that it did.
func ListOutbox(ctx context.Context, d *db.DB, actor access.Actor, status string, limit int) ([]*OutboxEntry, error) {
	if err := access.ViewOutbox(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	switch status {
	case "", StatusQueued, StatusSent, StatusFailed:
	default:
		return nil, &FieldError{"status", "must be queued, sent or failed"}
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	q := `SELECT id, program_id, to_address, subject, '', '', status, channel, error, attempts,
		created_at, sent_at, next_attempt_at FROM mail_outbox WHERE program_id = ?`
	args := []any{actor.ProgramID}
	if status != "" {
		q += ` AND status = ?`
		args = append(args, status)
	}
	q += ` ORDER BY created_at DESC, id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := d.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("notify: list outbox: %w", err)
	}
	defer rows.Close()
	var out []*OutboxEntry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("notify: list outbox: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("notify: list outbox: %w", err)
	}
	return out, nil
}

// GetOutbox returns one message of the actor's program with its bodies.
// Only admins may read it, and the read is recorded in the audit log
// (outbox.read) because the body may hold an invitation or reset link.
// Another program's message, or none, is access.ErrNotFound.
func GetOutbox(ctx context.Context, d *db.DB, actor access.Actor, id string) (*OutboxEntry, error) {
	if err := access.ViewOutbox(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	row := d.QueryRow(ctx, `SELECT id, program_id, to_address, subject, body_text, body_html, status,
		channel, error, attempts, created_at, sent_at, next_attempt_at FROM mail_outbox
		WHERE id = ? AND program_id = ?`, id, actor.ProgramID)
	e, err := scanEntry(row)
	if err != nil {
		if err == db.ErrNotFound {
			return nil, access.ErrNotFound
		}
		return nil, fmt.Errorf("notify: read outbox: %w", err)
	}
	err = audit.RecordNow(ctx, d, actor, audit.Event{Action: "outbox.read", SubjectType: "mail_outbox", SubjectID: e.ID})
	if err != nil {
		return nil, err
	}
	return e, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanEntry(s scanner) (*OutboxEntry, error) {
	var e OutboxEntry
	var sent, next sql.NullTime
	err := s.Scan(&e.ID, &e.ProgramID, &e.To, &e.Subject, &e.Text, &e.HTML, &e.Status, &e.Channel, &e.Error,
		&e.Attempts, &e.CreatedAt, &sent, &next)
	if err != nil {
		return nil, db.Err(err)
	}
	e.CreatedAt = e.CreatedAt.UTC()
	if sent.Valid {
		t := sent.Time.UTC()
		e.SentAt = &t
	}
	if next.Valid {
		t := next.Time.UTC()
		e.NextAttemptAt = &t
	}
	return &e, nil
}
