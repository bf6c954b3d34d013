package safety

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// Suspension is an account's suspension: until a day, or indefinitely.
type Suspension struct {
	ID     string
	UserID string
	Reason string
	// Until is when it ends (zero when indefinitely).
	Until       time.Time
	SuspendedBy string
	CreatedAt   time.Time
}

// SuspendInput is a suspension as staff ask for it.
type SuspendInput struct {
	// Until is the last day of the suspension ("2026-12-31"; it ends when
	// that day ends in UTC); "" suspends indefinitely.
	Until string
	// Reason is required, at most MaxReason characters; staff read it.
	Reason string
}

// MaxReason is the longest suspension reason, in characters.
const MaxReason = 500

// parse validates in and returns the end of the suspension (zero when
// indefinite), or a *FieldError.
func (in SuspendInput) parse(now time.Time) (time.Time, string, error) {
	reason := strings.TrimSpace(in.Reason)
	if reason == "" {
		return time.Time{}, "", fieldErr("reason", "Please say why, for the team's records.")
	}
	if !utf8.ValidString(reason) || utf8.RuneCountInString(reason) > MaxReason {
		return time.Time{}, "", fieldErr("reason", fmt.Sprintf("Please keep the reason to %d characters or fewer.", MaxReason))
	}
	until := strings.TrimSpace(in.Until)
	if until == "" {
		return time.Time{}, reason, nil
	}
	day, err := time.Parse("2006-01-02", until)
	if err != nil {
		return time.Time{}, "", fieldErr("until", "Give the last day as a date such as 2026-12-31, or leave it empty for no end date.")
	}
	end := day.AddDate(0, 0, 1)
	if !end.After(now) {
		return time.Time{}, "", fieldErr("until", "Choose a day from today on.")
	}
	return end, reason, nil
}

// Suspend suspends the author of the reported content: their sessions end
// at once and they cannot sign in until the suspension ends or is lifted.
// Only coordinators and admins suspend (admins alone suspend staff); no one
// suspends themselves.
func Suspend(ctx context.Context, d *db.DB, actor access.Actor, reportID string, in SuspendInput) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		r, err := loadReport(ctx, tx, actor, reportID)
		if err != nil {
			return err
		}
		if r.AuthorID == "" {
			return access.ErrNotFound
		}
		p, err := loadPersonRow(ctx, tx, r.AuthorID)
		if err != nil {
			return err
		}
		if err := access.SuspendAccount(actor, p.ProgramID, p.ID, p.Role); err != nil {
			return err
		}
		t := now()
		until, reason, err := in.parse(t)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE suspensions SET lifted_at = ?, lifted_by = ? WHERE user_id = ? AND lifted_at IS NULL`,
			t, actor.UserID, p.ID); err != nil {
			return fmt.Errorf("safety: suspend: %w", err)
		}
		var end any
		if !until.IsZero() {
			end = until
		}
		if _, err := tx.Exec(ctx, `INSERT INTO suspensions (id, user_id, program_id, reason, ends_at, report_id, suspended_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, newID(), p.ID, p.ProgramID, reason, end, r.ID, actor.UserID, t); err != nil {
			return fmt.Errorf("safety: suspend: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, p.ID); err != nil {
			return fmt.Errorf("safety: suspend: %w", err)
		}
		body := "Your program's team has paused your Cairn account for now. "
		if until.IsZero() {
			body += "It stays paused until the team lifts the pause."
		} else {
			body += "You can sign in again from " + until.Format("2 January 2006") + "."
		}
		body += "\n\nThis does not change your place in the program. If you would like to talk about it, or need support, please call the program. " +
			"If you are in crisis, call or text 988."
		if _, err := notify.Send(ctx, tx, p.ID, notify.KindAccount, notify.Data{Title: "Your Cairn account is paused", Body: body}); err != nil {
			return err
		}
		if err := closeReports(ctx, tx, actor, r, "actioned"); err != nil {
			return err
		}
		extra := map[string]string{"until": "indefinite"}
		if !until.IsZero() {
			extra["until"] = until.Format(time.RFC3339)
		}
		return record(ctx, tx, actor, "safety.suspend", r, extra)
	})
}

// LiftSuspension ends the current suspension of the author of the reported
// content, so that they can sign in again. Lifting when there is none
// changes nothing.
func LiftSuspension(ctx context.Context, d *db.DB, actor access.Actor, reportID string) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		r, err := loadReport(ctx, tx, actor, reportID)
		if err != nil {
			return err
		}
		if r.AuthorID == "" {
			return access.ErrNotFound
		}
		p, err := loadPersonRow(ctx, tx, r.AuthorID)
		if err != nil {
			return err
		}
		if err := access.SuspendAccount(actor, p.ProgramID, p.ID, p.Role); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE suspensions SET lifted_at = ?, lifted_by = ? WHERE user_id = ? AND lifted_at IS NULL`,
			now(), actor.UserID, p.ID)
		if err != nil {
			return fmt.Errorf("safety: lift suspension: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return record(ctx, tx, actor, "safety.suspend.lift", r, nil)
	})
}

// activeSuspension returns userID's suspension in force now, or nil.
func activeSuspension(ctx context.Context, q db.Querier, userID string) (*Suspension, error) {
	var s Suspension
	var until sql.NullTime
	err := q.QueryRow(ctx, `SELECT id, user_id, reason, ends_at, suspended_by, created_at FROM suspensions
		WHERE user_id = ? AND lifted_at IS NULL AND (ends_at IS NULL OR ends_at > ?)
		ORDER BY created_at DESC LIMIT 1`, userID, now()).Scan(&s.ID, &s.UserID, &s.Reason, &until, &s.SuspendedBy, &s.CreatedAt)
	if err = db.Err(err); err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return nil, nil
		}
		return nil, fmt.Errorf("safety: suspension: %w", err)
	}
	s.Until = until.Time
	return &s, nil
}
