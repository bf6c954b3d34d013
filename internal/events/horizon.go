package events

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/db"
)

// ExtendHorizons is the daily job's work: for every open series whose rows
// end before its horizon (24 months after today in its program's zone, or
// after its first date when that is later), it adds the rows up to the
// horizon. Each event is extended in its own short transaction. It returns
// how many occurrence rows were added; a program whose time zone cannot be
// loaded is skipped and reported in the error after the others are done.
func ExtendHorizons(ctx context.Context, d *db.DB) (int, error) {
	progs, err := queryStrings(ctx, d, `SELECT id FROM programs ORDER BY id`)
	if err != nil {
		return 0, err
	}
	var errs []error
	added := 0
	for _, programID := range progs {
		n, err := extendProgram(ctx, d, programID)
		added += n
		if err != nil {
			errs = append(errs, fmt.Errorf("events: extend horizons of program %s: %w", programID, err))
		}
	}
	return added, errors.Join(errs...)
}

// extendProgram extends the open series of one program.
func extendProgram(ctx context.Context, d *db.DB, programID string) (int, error) {
	loc, err := programLocation(ctx, d, programID)
	if err != nil {
		return 0, err
	}
	horizon := todayIn(loc).AddMonths(24)
	ids, err := queryStrings(ctx, d, `SELECT id FROM events WHERE program_id = ? AND cancelled_at IS NULL AND rrule <> ''
		AND materialized_until < ? AND (last_date IS NULL OR materialized_until < last_date) ORDER BY id`, programID, horizon)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, id := range ids {
		n := 0
		err := d.Tx(ctx, func(tx *db.Tx) error {
			e, err := loadEvent(ctx, tx, id)
			if err != nil {
				return err
			}
			n, err = extendRows(ctx, tx, e, horizonFor(todayIn(loc), e.FirstDate))
			return err
		})
		if err != nil {
			return added, err
		}
		added += n
	}
	return added, nil
}
