package safety

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Reason is why someone reports content.
type Reason struct {
	Key, Label string
}

// Reasons are the reasons a report may give, in the order the form shows
// them.
var Reasons = []Reason{
	{"harassment", "Harassment or bullying"},
	{"spam", "Spam or selling"},
	{"unsafe", "Unsafe content (for example, offering substances)"},
	{"privacy", "Shares someone's private information"},
	{"other", "Something else"},
}

// ReasonLabel is the label of the reason key ("" when unknown).
func ReasonLabel(key string) string {
	for _, r := range Reasons {
		if r.Key == key {
			return r.Label
		}
	}
	return ""
}

// MaxNote is the longest note a report may carry, in characters.
const MaxNote = 1000

// ReportInput is a report as someone files it.
type ReportInput struct {
	// Kind is the kind of content ("person", "message", "post", "comment").
	Kind string
	// ID is the content's id.
	ID string
	// Reason is one of the keys of Reasons.
	Reason string
	// Note is optional, at most MaxNote characters.
	Note string
}

// Validate checks in and returns it cleaned, or a *FieldError naming the
// first bad field.
func (in ReportInput) Validate() (ReportInput, error) {
	in.Kind = strings.TrimSpace(in.Kind)
	in.ID = strings.TrimSpace(in.ID)
	in.Reason = strings.TrimSpace(in.Reason)
	in.Note = strings.TrimSpace(in.Note)
	if _, ok := lookupKind(in.Kind); !ok {
		return in, fieldErr("kind", "We cannot take reports about that kind of thing.")
	}
	if in.ID == "" || len(in.ID) > 100 || !utf8.ValidString(in.ID) {
		return in, fieldErr("id", "Choose what you are reporting.")
	}
	if ReasonLabel(in.Reason) == "" {
		return in, fieldErr("reason", "Choose a reason: harassment, spam, unsafe, privacy or other.")
	}
	if !utf8.ValidString(in.Note) {
		return in, fieldErr("note", "The note has characters we cannot read; please type it again.")
	}
	if utf8.RuneCountInString(in.Note) > MaxNote {
		return in, fieldErr("note", fmt.Sprintf("Please keep the note to %d characters or fewer.", MaxNote))
	}
	return in, nil
}

// Report files actor's report about content, for the staff of the
// content's program. Actor must be able to see the content (otherwise
// access.ErrNotFound, the same as content that does not exist); reporting
// oneself is a *FieldError. Filing the same report again while the first is
// open changes nothing and returns the open report's id. The person
// reported is never told who reported them. A new report tells the
// program's staff that it is waiting (see notifyStaff); a repeated one
// does not.
func Report(ctx context.Context, d *db.DB, actor access.Actor, in ReportInput) (string, error) {
	if err := access.FileReports(actor); err != nil {
		return "", err
	}
	in, err := in.Validate()
	if err != nil {
		return "", err
	}
	k, _ := lookupKind(in.Kind)
	var id string
	err = d.Tx(ctx, func(tx *db.Tx) error {
		if err := k.Visible(ctx, tx, actor, in.ID); err != nil {
			if errors.Is(err, db.ErrNotFound) {
				return access.ErrNotFound
			}
			return err
		}
		c, err := k.Load(ctx, tx, in.ID)
		if err != nil {
			return err
		}
		if c.ProgramID != actor.ProgramID {
			return access.ErrNotFound
		}
		if c.AuthorID == actor.UserID {
			return fieldErr("id", "This is yours, so there is nothing to report. To remove it, edit or delete it.")
		}
		err = tx.QueryRow(ctx, `SELECT id FROM reports WHERE reporter_id = ? AND kind = ? AND content_id = ? AND status = 'open'`,
			actor.UserID, in.Kind, in.ID).Scan(&id)
		if err == nil {
			return nil
		}
		if err = db.Err(err); !errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("safety: report: %w", err)
		}
		id = newID()
		if _, err := tx.Exec(ctx, `INSERT INTO reports (id, program_id, kind, content_id, author_id, reporter_id, reason, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, c.ProgramID, in.Kind, in.ID, c.AuthorID, actor.UserID, in.Reason, in.Note, now()); err != nil {
			return fmt.Errorf("safety: report: %w", err)
		}
		if err := audit.Record(ctx, tx, actor, audit.Event{Action: "safety.report", SubjectType: "report", SubjectID: id,
			Detail: map[string]string{"kind": in.Kind, "content_id": in.ID, "reason": in.Reason}}); err != nil {
			return err
		}
		return notifyStaff(ctx, tx, c.ProgramID, actor.UserID, c.AuthorID)
	})
	return id, err
}

// CanReport returns nil when actor may report the content kind and id
// name (for showing the report form), access.ErrNotFound otherwise. It
// also returns a short description of the content for the form.
func CanReport(ctx context.Context, q db.Querier, actor access.Actor, kind, id string) (string, error) {
	if err := access.FileReports(actor); err != nil {
		return "", err
	}
	k, ok := lookupKind(kind)
	if !ok {
		return "", access.ErrNotFound
	}
	if err := k.Visible(ctx, q, actor, id); err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return "", access.ErrNotFound
		}
		return "", err
	}
	c, err := k.Load(ctx, q, id)
	if err != nil {
		return "", err
	}
	if c.ProgramID != actor.ProgramID || c.AuthorID == actor.UserID {
		return "", access.ErrNotFound
	}
	switch kind {
	case KindPerson:
		p, err := loadPersonRow(ctx, q, id)
		if err != nil {
			return "", err
		}
		return p.DisplayName(), nil
	}
	return "this " + kind, nil
}
