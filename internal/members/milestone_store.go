package members

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// LoadSchedule returns programID's milestone schedule, or DefaultSchedule
// when the program has not set its own.
func LoadSchedule(ctx context.Context, q db.Querier, programID string) (Schedule, error) {
	rows, err := q.Query(ctx, `SELECT label, unit, amount FROM milestone_schedules WHERE program_id = ? ORDER BY position`, programID)
	if err != nil {
		return nil, fmt.Errorf("members: schedule: %w", err)
	}
	defer rows.Close()
	var s Schedule
	for rows.Next() {
		var st Step
		if err := rows.Scan(&st.Label, &st.Unit, &st.Amount); err != nil {
			return nil, fmt.Errorf("members: schedule: %w", err)
		}
		s = append(s, st)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(s) == 0 {
		return DefaultSchedule, nil
	}
	return s, nil
}

// SaveSchedule replaces programID's milestone schedule; coordinators and
// admins of the program may. An empty schedule goes back to the default.
// Errors in the steps are a ValidationError naming the step.
func SaveSchedule(ctx context.Context, d *db.DB, actor access.Actor, programID string, s Schedule) error {
	if err := access.EditMilestoneSchedule(actor, programID); err != nil {
		return err
	}
	if len(s) > 0 {
		if err := s.Validate(); err != nil {
			return err
		}
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM milestone_schedules WHERE program_id = ?`, programID); err != nil {
			return fmt.Errorf("members: save schedule: %w", err)
		}
		for i, st := range s {
			if _, err := tx.Exec(ctx, `INSERT INTO milestone_schedules (program_id, position, label, unit, amount) VALUES (?, ?, ?, ?, ?)`,
				programID, i, st.Label, string(st.Unit), st.Amount); err != nil {
				return fmt.Errorf("members: save schedule: %w", err)
			}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "milestones.schedule", SubjectType: "program", SubjectID: programID, ProgramID: programID})
	})
}

// MyMilestones is what a member's milestone page shows them.
type MyMilestones struct {
	Today Date
	// Start is the current period's start; zero when no date is set (then
	// there are no milestones).
	Start   Date
	Reached []Milestone
	Next    Milestone
}

// OwnMilestones returns the signed-in alumnus' reached and next
// milestones of their current period; anyone else gets
// access.ErrNotFound.
func OwnMilestones(ctx context.Context, q db.Querier, actor access.Actor) (*MyMilestones, error) {
	m, err := ownMember(ctx, q, actor)
	if err != nil {
		return nil, err
	}
	return milestonesOf(ctx, q, actor.UserID, m)
}

// milestonesOf returns the reached and next milestones of memberID's
// current period; m is the member as loadMember read them.
func milestonesOf(ctx context.Context, q db.Querier, memberID string, m *member) (*MyMilestones, error) {
	out := &MyMilestones{Today: Today(m.loc, clock())}
	start, ok, err := currentStart(ctx, q, memberID)
	if err != nil {
		return nil, fmt.Errorf("members: own milestones: %w", err)
	}
	if !ok {
		return out, nil
	}
	out.Start = start
	s, err := LoadSchedule(ctx, q, m.programID)
	if err != nil {
		return nil, err
	}
	out.Reached = s.Reached(out.Start, out.Today)
	out.Next = s.Next(out.Start, out.Today)
	return out, nil
}

// Upcoming is one member's milestone in a staff list of upcoming ones.
type Upcoming struct {
	MemberID    string
	DisplayName string
	Milestone   Milestone
}

// maxWindow bounds the window of UpcomingMilestones, in days.
const maxWindow = 366

// UpcomingMilestones lists the milestones of the program's members that
// fall from from to to (both included), by date and then name, for
// milestone dinners. Coaches, coordinators and admins of the program may
// ask; each member is listed only when their milestone visibility
// includes the viewer (so a staff member who is not their coach sees them
// only with visibility "program"), and members hidden from the viewer are
// neither listed nor counted. Bad windows are a ValidationError naming
// "from" or "to". The read is recorded in the audit log.
func UpcomingMilestones(ctx context.Context, d *db.DB, actor access.Actor, from, to Date) ([]Upcoming, error) {
	if err := access.ViewUpcomingMilestones(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	switch {
	case from.IsZero():
		return nil, fieldErr("from", "Enter the first day, such as 2025-03-01.")
	case to.IsZero():
		return nil, fieldErr("to", "Enter the last day, such as 2025-03-31.")
	case to.Before(from):
		return nil, fieldErr("to", "The last day must not be before the first day.")
	case from.DaysUntil(to) >= maxWindow:
		return nil, fieldErr("to", "Choose a window of at most 366 days.")
	}
	out, err := upcoming(ctx, d, actor, from, to)
	if err != nil {
		return nil, err
	}
	err = audit.RecordNow(ctx, d, actor, audit.Event{Action: "milestones.upcoming", SubjectType: "program", SubjectID: actor.ProgramID,
		ProgramID: actor.ProgramID, Detail: map[string]string{"from": from.String(), "to": to.String(), "count": fmt.Sprint(len(out))}})
	return out, err
}

func upcoming(ctx context.Context, q db.Querier, actor access.Actor, from, to Date) ([]Upcoming, error) {
	programID := actor.ProgramID
	s, err := LoadSchedule(ctx, q, programID)
	if err != nil {
		return nil, err
	}
	coached, err := coachedBy(ctx, q, programID, actor.UserID)
	if err != nil {
		return nil, err
	}
	buddies, err := buddiesOf(ctx, q, programID, actor.UserID)
	if err != nil {
		return nil, err
	}
	// Three short reads instead of one join: looking up a person and a
	// profile for each of thousands of candidates was most of the time.
	// 1. The milestones in the window, from the periods' covering index.
	found, err := windowMilestones(ctx, q, s, programID, from, to)
	if err != nil {
		return nil, err
	}
	// 2. Who of them shows their milestones to the viewer.
	rel := func(id string) access.Relation {
		return access.Relation{Self: id == actor.UserID, Coach: coached[id], Buddy: buddies[id], SameProgram: true}
	}
	vis, err := milestoneVisibility(ctx, q, programID, actor.UserID, coached, buddies)
	if err != nil {
		return nil, err
	}
	var ids []string
	for id := range found {
		v, ok := vis[id]
		if !ok {
			v = access.VisMe // not shared with the program, and no relation to the viewer
		}
		if access.MaySee(v, rel(id)) {
			ids = append(ids, id)
		}
	}
	// 3. The names of those, and whether they are still active alumni.
	names, err := alumniNames(ctx, q, programID, ids)
	if err != nil {
		return nil, err
	}
	var out []Upcoming
	for _, id := range ids {
		name, ok := names[id]
		if !ok {
			continue
		}
		for _, ms := range found[id] {
			out = append(out, Upcoming{MemberID: id, DisplayName: name, Milestone: ms})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if c := out[i].Milestone.Date.Compare(out[j].Milestone.Date); c != 0 {
			return c < 0
		}
		if out[i].DisplayName != out[j].DisplayName {
			return out[i].DisplayName < out[j].DisplayName
		}
		return out[i].MemberID < out[j].MemberID
	})
	return out, nil
}

// shortName is first name and last initial, the name members show.
func shortName(first, last string) string {
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	for _, r := range last {
		return strings.TrimSpace(first + " " + string(r) + ".")
	}
	return first
}
