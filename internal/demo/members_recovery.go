package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// recoveryStarts returns the demo recovery periods (oldest first) of the
// i-th demo alumnus, relative to today in the program's zone: some have a
// milestone this month, some started again after a lapse and keep their
// history, some have years, some days.
func recoveryStarts(i int, today members.Date) []members.Date {
	first := members.Date{Year: today.Year, Month: today.Month, Day: 1}
	inMonth := first.AddDays(i % first.AddMonths(1).AddDays(-1).Day) // a day of this month
	switch i % 5 {
	case 0: // a day-count milestone this month
		days := []int{30, 60, 90}[i%3]
		return []members.Date{inMonth.AddDays(-days)}
	case 1: // an anniversary or a months milestone this month
		return []members.Date{inMonth.AddMonths(-[]int{6, 9, 12, 18, 24, 36, 60}[i%7])}
	case 2: // a lapse: an earlier period, and a new start
		return []members.Date{today.AddDays(-(400 + 13*i)), today.AddDays(-(20 + i))}
	case 3: // a long recovery
		return []members.Date{today.AddDays(-(800 + 37*i))}
	}
	return []members.Date{today.AddDays(-(i % 20))} // just starting
}

// seedRecovery gives the demo alumni recovery dates once; a program that
// has any recovery period already is left alone. Alex has an earlier
// period and a 6-month milestone this month.
func seedRecovery(ctx context.Context, d *db.DB, p *programs.Program) error {
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM recovery_periods WHERE program_id = ?`, p.ID).Scan(&n); err != nil {
		return fmt.Errorf("demo: recovery: %w", err)
	}
	if n > 0 {
		return nil
	}
	today := members.Today(p.Location(), time.Now())
	sys := access.System(p.ID)
	return d.Tx(ctx, func(tx *db.Tx) error {
		for i, pe := range people() {
			if pe.Role != access.Alumnus {
				continue
			}
			id, ok, err := userID(ctx, tx, p.ID, pe.Email)
			if err != nil {
				return fmt.Errorf("demo: recovery: %w", err)
			}
			if !ok {
				continue
			}
			starts := recoveryStarts(i, today)
			if pe.Email == "alex@demo.cairn.test" {
				mid := members.Date{Year: today.Year, Month: today.Month, Day: 15}
				starts = []members.Date{today.AddYears(-4), mid.AddMonths(-6)}
			}
			for _, s := range starts {
				if err := members.SetRecoveryDateTx(ctx, tx, sys, id, s, ""); err != nil {
					return fmt.Errorf("demo: recovery: %w", err)
				}
			}
		}
		return nil
	})
}
