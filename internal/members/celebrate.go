package members

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// CelebrateMilestones tells each alumnus whose milestone falls today (in
// their program's time zone) — and their coach and buddy when they chose
// so — with a kind notification. Each milestone is celebrated once: a row
// in milestone_celebrations, written in the same transaction as the
// notifications, makes later runs (or other instances) skip it. It runs as
// a periodic job and returns how many milestones it celebrated.
func CelebrateMilestones(ctx context.Context, d *db.DB) (int, error) {
	list, err := programs.List(ctx, d)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range list {
		k, err := celebrateProgram(ctx, d, p)
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// celebrant is an alumnus with a current recovery period.
type celebrant struct {
	id, first, last string
	start           Date
	coach, buddy    bool
}

func celebrateProgram(ctx context.Context, d *db.DB, p *programs.Program) (int, error) {
	schedule, err := LoadSchedule(ctx, d, p.ID)
	if err != nil {
		return 0, err
	}
	today := Today(p.Location(), clock())
	rows, err := d.Query(ctx, `SELECT u.id, u.first_name, u.last_name, rp.start_date,
		COALESCE(rs.celebrate_coach, FALSE), COALESCE(rs.celebrate_buddy, FALSE)
		FROM recovery_periods rp
		JOIN users u ON u.id = rp.user_id
		LEFT JOIN recovery_settings rs ON rs.user_id = rp.user_id
		WHERE rp.program_id = ? AND rp.end_date IS NULL AND u.disabled_at IS NULL AND u.role = 'alumnus'`, p.ID)
	if err != nil {
		return 0, fmt.Errorf("members: celebrations: %w", err)
	}
	var due []celebrant
	for rows.Next() {
		var c celebrant
		if err := rows.Scan(&c.id, &c.first, &c.last, &c.start, &c.coach, &c.buddy); err != nil {
			rows.Close()
			return 0, fmt.Errorf("members: celebrations: %w", err)
		}
		if len(schedule.Between(c.start, today, today)) > 0 {
			due = append(due, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, c := range due {
		m := schedule.Between(c.start, today, today)[0]
		done, err := celebrate(ctx, d, p.ID, c, m, today)
		if err != nil {
			return n, err
		}
		if done {
			n++
		}
	}
	return n, nil
}

// celebrate sends one member's milestone notifications, once.
func celebrate(ctx context.Context, d *db.DB, programID string, c celebrant, m Milestone, today Date) (bool, error) {
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO milestone_celebrations (user_id, milestone_date, label, created_at) VALUES (?, ?, ?, ?)`,
			c.id, today.String(), m.Label, time.Now().UTC()); err != nil {
			return err
		}
		if _, err := notify.Send(ctx, tx, c.id, notify.KindMilestone, notify.Data{
			Title: "Today marks " + m.Label,
			Body:  "Every day counts, and today is one to honour. We are glad you are here.",
			Link:  "/milestones",
		}); err != nil {
			return err
		}
		var others []string
		if c.coach {
			coaches, err := idSet(ctx, tx, `SELECT coach_id FROM coach_assignments WHERE member_id = ? AND program_id = ?`, c.id, programID)
			if err != nil {
				return err
			}
			for id := range coaches {
				others = append(others, id)
			}
		}
		if c.buddy {
			buddies, err := buddiesOf(ctx, tx, programID, c.id)
			if err != nil {
				return err
			}
			for id := range buddies {
				others = append(others, id)
			}
		}
		name := shortName(c.first, c.last)
		for _, id := range others {
			_, err := notify.Send(ctx, tx, id, notify.KindMilestone, notify.Data{
				Title: name + " reaches " + m.Label + " today",
				Body:  name + " chose to share this milestone with you. A kind word goes a long way.",
				Link:  "/members/" + c.id,
			})
			if err != nil && !errors.Is(err, db.ErrNotFound) {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, db.ErrConflict) {
		return false, nil // celebrated already
	}
	return err == nil, err
}
