package buddies

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// DefaultMinMonths is the minimum time in recovery, in months, for a buddy
// when the program never set one: one year.
const DefaultMinMonths = 12

// Settings are a program's buddy program settings.
type Settings struct {
	// MinMonths is the minimum time in recovery, in months, before an
	// alumnus may offer to be a buddy (0: no minimum).
	MinMonths int
}

// MinLabel is the minimum time in words ("1 year").
func (s Settings) MinLabel() string { return Label(MinMonthsChoices, strconv.Itoa(s.MinMonths)) }

// GetSettings returns programID's settings (the defaults when never set).
func GetSettings(ctx context.Context, q db.Querier, programID string) (Settings, error) {
	s := Settings{MinMonths: DefaultMinMonths}
	err := db.Err(q.QueryRow(ctx, `SELECT min_months FROM buddy_settings WHERE program_id = ?`, programID).Scan(&s.MinMonths))
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return s, fmt.Errorf("buddies: settings: %w", err)
	}
	return s, nil
}

// SaveSettings sets the minimum time in recovery (minMonths, one of
// MinMonthsChoices) for the actor's program; for coordinators and admins.
func SaveSettings(ctx context.Context, d *db.DB, actor access.Actor, minMonths string) error {
	if err := access.CoordinateBuddies(actor, actor.ProgramID); err != nil {
		return err
	}
	if !valid(MinMonthsChoices, minMonths, false) {
		return invalid("min_months", "Choose a minimum time from the list.")
	}
	n, _ := strconv.Atoi(minMonths)
	return d.Tx(ctx, func(tx *db.Tx) error {
		t := now()
		res, err := tx.Exec(ctx, `UPDATE buddy_settings SET min_months = ?, updated_at = ?, updated_by = ? WHERE program_id = ?`,
			n, t, actor.UserID, actor.ProgramID)
		if err != nil {
			return fmt.Errorf("buddies: save settings: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO buddy_settings (program_id, min_months, updated_at, updated_by) VALUES (?, ?, ?, ?)`,
				actor.ProgramID, n, t, actor.UserID); err != nil {
				return fmt.Errorf("buddies: save settings: %w", err)
			}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "buddy.settings", SubjectType: "program", SubjectID: actor.ProgramID,
			Detail: map[string]string{"min_months": minMonths}})
	})
}
