package safety

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// What staff do about a report. Each action is for staff of the report's
// program (anyone else is access.ErrNotFound), happens in one transaction
// and is audited with the report's id. Hiding, warning and suspending close
// the open reports on the content as acted on; dismissing closes them as
// dismissed. The reporters are never named to the author.

// Hide hides the reported content (Kind.SetHidden).
func Hide(ctx context.Context, d *db.DB, actor access.Actor, reportID string) error {
	return setHidden(ctx, d, actor, reportID, true)
}

// Unhide shows hidden content again. It leaves the reports as they are.
func Unhide(ctx context.Context, d *db.DB, actor access.Actor, reportID string) error {
	return setHidden(ctx, d, actor, reportID, false)
}

func setHidden(ctx context.Context, d *db.DB, actor access.Actor, reportID string, hidden bool) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		r, err := loadReport(ctx, tx, actor, reportID)
		if err != nil {
			return err
		}
		k, ok := lookupKind(r.Kind)
		if !ok || k.SetHidden == nil {
			return fieldErr("action", "This kind of content cannot be hidden here.")
		}
		if err := k.SetHidden(ctx, tx, r.ContentID, hidden); err != nil {
			return err
		}
		action := "safety.unhide"
		if hidden {
			action = "safety.hide"
			if err := closeReports(ctx, tx, actor, r, "actioned"); err != nil {
				return err
			}
		}
		return record(ctx, tx, actor, action, r, nil)
	})
}

// WarningTitle and WarningBody are what a warned author reads. They never
// say who reported.
const (
	WarningTitle = "A note from your program's team"
	WarningBody  = "Someone on our team looked at something you shared in Cairn, and we would like to ask you to take care " +
		"with how it might land for others. Everyone here is working on their recovery, and we want this to stay a safe, " +
		"kind place for all of us, you included.\n\nIf you would like to talk about it, your coach or a coordinator is glad " +
		"to listen. We are glad you are here."
)

// Warn sends the author of the reported content a kind warning (an account
// notification that does not say who reported).
func Warn(ctx context.Context, d *db.DB, actor access.Actor, reportID string) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		r, err := loadReport(ctx, tx, actor, reportID)
		if err != nil {
			return err
		}
		if r.AuthorID == "" {
			return fieldErr("action", "We do not know who wrote this, so there is no one to send a note to.")
		}
		if _, err := notify.Send(ctx, tx, r.AuthorID, notify.KindAccount, notify.Data{Title: WarningTitle, Body: WarningBody}); err != nil {
			return err
		}
		if err := closeReports(ctx, tx, actor, r, "actioned"); err != nil {
			return err
		}
		return record(ctx, tx, actor, "safety.warn", r, nil)
	})
}

// Dismiss closes the open reports on the content without acting on it.
func Dismiss(ctx context.Context, d *db.DB, actor access.Actor, reportID string) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		r, err := loadReport(ctx, tx, actor, reportID)
		if err != nil {
			return err
		}
		if err := closeReports(ctx, tx, actor, r, "dismissed"); err != nil {
			return err
		}
		return record(ctx, tx, actor, "safety.report.close", r, nil)
	})
}

// closeReports closes every open report on r's content with status.
func closeReports(ctx context.Context, tx *db.Tx, actor access.Actor, r *reportRow, status string) error {
	if _, err := tx.Exec(ctx, `UPDATE reports SET status = ?, closed_at = ?, closed_by = ?
		WHERE program_id = ? AND kind = ? AND content_id = ? AND status = 'open'`,
		status, now(), actor.UserID, r.ProgramID, r.Kind, r.ContentID); err != nil {
		return fmt.Errorf("safety: close reports: %w", err)
	}
	return nil
}

// record audits action on report r.
func record(ctx context.Context, tx *db.Tx, actor access.Actor, action string, r *reportRow, extra map[string]string) error {
	detail := map[string]string{"kind": r.Kind, "content_id": r.ContentID, "author_id": r.AuthorID}
	for k, v := range extra {
		detail[k] = v
	}
	return audit.Record(ctx, tx, actor, audit.Event{Action: action, SubjectType: "report", SubjectID: r.ID, Detail: detail})
}
