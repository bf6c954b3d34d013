package members

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// The roles a coach holds for a member: every alumnus with a coach has
// one primary coach and may have one secondary coach. Both are "my coach"
// to the member: both see what the member shares with their coach.
const (
	PrimaryCoach   = "primary"
	SecondaryCoach = "secondary"
)

// CoachChange is what a coordinator sets about a member's coaches.
type CoachChange struct {
	// PrimaryID is the primary coach (required).
	PrimaryID string
	// SecondaryID is the secondary coach, "" for none. It is used only
	// when SetSecondary is true; otherwise the current secondary coach is
	// kept (and dropped if they become the primary coach).
	SecondaryID  string
	SetSecondary bool
}

// SetPrimaryCoach makes coachID the primary coach of memberID and keeps
// the secondary coach, if any (see SetCoaches).
func SetPrimaryCoach(ctx context.Context, d *db.DB, actor access.Actor, memberID, coachID string) error {
	return SetCoaches(ctx, d, actor, memberID, CoachChange{PrimaryID: coachID})
}

// SetCoaches sets memberID's primary and secondary coaches, for a
// coordinator or admin of the member's program (anyone else, or a member
// of another program, is access.ErrNotFound). An assignment that changes
// ends the previous one in the history (kept per role) and tells the new
// coach; setting the same coaches again changes nothing. A coach that is
// not a coach of the program, a secondary coach equal to the primary one,
// or a member who is not an alumnus, is a ValidationError naming the
// field (coach_id, secondary_coach_id or member_id), and nothing changes.
func SetCoaches(ctx context.Context, d *db.DB, actor access.Actor, memberID string, c CoachChange) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		programID, err := checkCoachChange(ctx, tx, actor, memberID, c)
		if err != nil {
			return err
		}
		current, err := currentCoaches(ctx, tx, memberID)
		if err != nil {
			return err
		}
		want := map[string]string{PrimaryCoach: c.PrimaryID, SecondaryCoach: c.SecondaryID}
		if !c.SetSecondary {
			want[SecondaryCoach] = current.secondary
			if current.secondary == c.PrimaryID {
				want[SecondaryCoach] = ""
			}
		}
		if current.clean && current.primary == want[PrimaryCoach] && current.secondary == want[SecondaryCoach] {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM coach_assignments WHERE member_id = ?`, memberID); err != nil {
			return fmt.Errorf("members: set coaches: %w", err)
		}
		now := clock().UTC().Truncate(time.Microsecond)
		for _, role := range []string{PrimaryCoach, SecondaryCoach} {
			coachID := want[role]
			if coachID != "" {
				if _, err := tx.Exec(ctx, `INSERT INTO coach_assignments (member_id, coach_id, program_id, role) VALUES (?, ?, ?, ?)`,
					memberID, coachID, programID, role); err != nil {
					return fmt.Errorf("members: set coaches: %w", err)
				}
			}
			started, err := recordCoachHistory(ctx, tx, programID, memberID, role, coachID, actor.UserID, now)
			if err != nil {
				return err
			}
			was := map[string]string{PrimaryCoach: current.primary, SecondaryCoach: current.secondary}[role]
			if !started || was == coachID {
				continue
			}
			title := "New person in your caseload"
			if role == SecondaryCoach {
				title = "New person in your caseload, as secondary coach"
			}
			if _, err := notify.Send(ctx, tx, coachID, notify.KindMessage, notify.Data{Title: title, Link: "/caseload"}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "coach.assign", SubjectType: "user", SubjectID: memberID,
			Detail: map[string]string{"coach_id": want[PrimaryCoach], "secondary_coach_id": want[SecondaryCoach]}})
	})
}

// checkCoachChange asks access whether actor may set memberID's coaches
// and validates c; it returns the member's program.
func checkCoachChange(ctx context.Context, q db.Querier, actor access.Actor, memberID string, c CoachChange) (string, error) {
	var programID, role string
	err := q.QueryRow(ctx, `SELECT program_id, role FROM users WHERE id = ?`, memberID).Scan(&programID, &role)
	if err != nil {
		if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
			return "", access.ErrNotFound
		}
		return "", fmt.Errorf("members: set coach: %w", err)
	}
	if err := access.AssignCoaches(actor, programID); err != nil {
		return "", err
	}
	if access.Role(role) != access.Alumnus {
		return "", ValidationError{{Field: "member_id", Message: "Only alumni have a coach."}}
	}
	if c.PrimaryID == "" {
		return "", ValidationError{{Field: "coach_id", Message: "Choose a coach."}}
	}
	isCoach := func(r access.Role) bool { return r == access.Coach }
	if err := inProgram(ctx, q, programID, c.PrimaryID, "coach_id", isCoach); err != nil {
		return "", err
	}
	if c.SetSecondary && c.SecondaryID != "" {
		if c.SecondaryID == c.PrimaryID {
			return "", ValidationError{{Field: "secondary_coach_id", Message: "Choose a secondary coach other than the primary coach, or none."}}
		}
		if err := inProgram(ctx, q, programID, c.SecondaryID, "secondary_coach_id", isCoach); err != nil {
			return "", err
		}
	}
	return programID, nil
}

// coaches is a member's current coaches as coach_assignments holds them.
type coaches struct {
	primary, secondary string
	// clean is false when the rows are not exactly one primary and at
	// most one secondary (rows written before coach roles existed, or by
	// a roster import that only adds).
	clean bool
}

// currentCoaches reads memberID's coaches: the first primary and the
// first secondary, by coach id.
func currentCoaches(ctx context.Context, q db.Querier, memberID string) (coaches, error) {
	rows, err := q.Query(ctx, `SELECT coach_id, role FROM coach_assignments WHERE member_id = ? ORDER BY coach_id`, memberID)
	if err != nil {
		return coaches{}, fmt.Errorf("members: current coaches: %w", err)
	}
	defer rows.Close()
	out := coaches{clean: true}
	n := map[string]int{}
	for rows.Next() {
		var id, role string
		if err := rows.Scan(&id, &role); err != nil {
			return coaches{}, fmt.Errorf("members: current coaches: %w", err)
		}
		n[role]++
		switch {
		case role == PrimaryCoach && out.primary == "":
			out.primary = id
		case role == SecondaryCoach && out.secondary == "":
			out.secondary = id
		}
	}
	out.clean = n[PrimaryCoach] <= 1 && n[SecondaryCoach] <= 1 && (n[SecondaryCoach] == 0 || n[PrimaryCoach] == 1)
	return out, rows.Err()
}

// recordCoachHistory makes the open history row of memberID's role say
// coachID: when it already does, nothing changes; otherwise the open rows
// end at now and, unless coachID is "" (no coach in that role), a new row
// starts. started reports whether a new assignment started.
func recordCoachHistory(ctx context.Context, tx *db.Tx, programID, memberID, role, coachID, by string, now time.Time) (started bool, err error) {
	open, err := idSet(ctx, tx, `SELECT coach_id FROM coach_assignment_history WHERE member_id = ? AND role = ? AND ended_at IS NULL`,
		memberID, role)
	if err != nil {
		return false, err
	}
	if len(open) == 1 && open[coachID] || len(open) == 0 && coachID == "" {
		return false, nil
	}
	if len(open) > 0 {
		if _, err := tx.Exec(ctx, `UPDATE coach_assignment_history SET ended_at = ? WHERE member_id = ? AND role = ? AND ended_at IS NULL`,
			now, memberID, role); err != nil {
			return false, fmt.Errorf("members: coach history: %w", err)
		}
	}
	if coachID == "" {
		return false, nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO coach_assignment_history (member_id, coach_id, program_id, role, started_at, assigned_by) VALUES (?, ?, ?, ?, ?, ?)`,
		memberID, coachID, programID, role, now, by); err != nil {
		return false, fmt.Errorf("members: coach history: %w", err)
	}
	return true, nil
}

// CoachAssignment is one past or current coach of a member.
type CoachAssignment struct {
	CoachID string
	// Role is PrimaryCoach or SecondaryCoach.
	Role       string
	StartedAt  time.Time
	EndedAt    time.Time // zero while current
	AssignedBy string
}

// CoachHistory lists memberID's coaches in both roles, oldest first, for
// a coordinator or admin of the member's program (anyone else is
// access.ErrNotFound).
func CoachHistory(ctx context.Context, q db.Querier, actor access.Actor, memberID string) ([]CoachAssignment, error) {
	if err := MayAssignCoach(ctx, q, actor, memberID); err != nil {
		return nil, err
	}
	return coachHistory(ctx, q, memberID)
}

// coachHistory lists memberID's coaches, oldest first, for a caller that
// has checked access.
func coachHistory(ctx context.Context, q db.Querier, memberID string) ([]CoachAssignment, error) {
	rows, err := q.Query(ctx, `SELECT coach_id, role, started_at, ended_at, assigned_by FROM coach_assignment_history
		WHERE member_id = ? ORDER BY started_at, role, coach_id`, memberID)
	if err != nil {
		return nil, fmt.Errorf("members: coach history: %w", err)
	}
	defer rows.Close()
	var out []CoachAssignment
	for rows.Next() {
		var a CoachAssignment
		var ended sql.NullTime
		if err := rows.Scan(&a.CoachID, &a.Role, &a.StartedAt, &ended, &a.AssignedBy); err != nil {
			return nil, fmt.Errorf("members: coach history: %w", err)
		}
		a.EndedAt = ended.Time
		out = append(out, a)
	}
	return out, rows.Err()
}
