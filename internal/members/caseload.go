package members

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// Coach caseloads. A member has one primary coach, kept in
// coach_assignments; every assignment made here is also kept in
// coach_assignment_history with when it started and ended, so that a
// reassignment keeps the record of who coached whom. There is no secondary
// coach: coach_assignments allows several rows per member, but SetPrimaryCoach
// replaces them all with the one primary coach.

// CaseloadEntry is one member of a coach's caseload, as the coach may see
// them.
type CaseloadEntry struct {
	MemberID    string
	DisplayName string
	// LastContact is the last time the coach did something recorded in the
	// audit log about the member (zero when never).
	LastContact time.Time
	// NextEvent is the member's next event they said yes or maybe to, or
	// are waitlisted for (nil when none).
	NextEvent *CaseloadEvent
	// RecoverySince is the member's current recovery date, set only when
	// RecoveryVisible: the member shares it with their coach.
	RecoverySince   Date
	RecoveryVisible bool
}

// CaseloadEvent is an upcoming event occurrence a member RSVP'd to.
type CaseloadEvent struct {
	EventID    string
	Occurrence string
	Title      string
	StartsAt   time.Time
	// State is confirmed, waitlisted or tentative.
	State string
}

// SetPrimaryCoach makes coachID the primary coach of memberID, for a
// coordinator or admin of the member's program (anyone else, or a member
// of another program, is access.ErrNotFound). The previous coach's
// assignment ends in the history; the new coach is notified. Setting the
// same coach again changes nothing. A coach_id that is not a coach of the
// program, or a member who is not an alumnus, is a ValidationError.
func SetPrimaryCoach(ctx context.Context, d *db.DB, actor access.Actor, memberID, coachID string) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		var programID, role string
		err := tx.QueryRow(ctx, `SELECT program_id, role FROM users WHERE id = ?`, memberID).Scan(&programID, &role)
		if err != nil {
			if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
				return access.ErrNotFound
			}
			return fmt.Errorf("members: set coach: %w", err)
		}
		if err := access.AssignCoaches(actor, programID); err != nil {
			return err
		}
		if access.Role(role) != access.Alumnus {
			return ValidationError{{Field: "member_id", Message: "Only alumni have a coach."}}
		}
		if coachID == "" {
			return ValidationError{{Field: "coach_id", Message: "Choose a coach."}}
		}
		isCoach := func(r access.Role) bool { return r == access.Coach }
		if err := inProgram(ctx, tx, programID, coachID, "coach_id", isCoach); err != nil {
			return err
		}
		current, err := idSet(ctx, tx, `SELECT coach_id FROM coach_assignments WHERE member_id = ?`, memberID)
		if err != nil {
			return err
		}
		if len(current) == 1 && current[coachID] {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM coach_assignments WHERE member_id = ?`, memberID); err != nil {
			return fmt.Errorf("members: set coach: %w", err)
		}
		if err := AssignCoach(ctx, tx, programID, memberID, coachID); err != nil {
			return err
		}
		now := clock().UTC().Truncate(time.Microsecond)
		if _, err := tx.Exec(ctx, `UPDATE coach_assignment_history SET ended_at = ? WHERE member_id = ? AND ended_at IS NULL`,
			now, memberID); err != nil {
			return fmt.Errorf("members: coach history: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO coach_assignment_history (member_id, coach_id, program_id, started_at, assigned_by) VALUES (?, ?, ?, ?, ?)`,
			memberID, coachID, programID, now, actor.UserID); err != nil {
			return fmt.Errorf("members: coach history: %w", err)
		}
		if err := audit.Record(ctx, tx, actor, audit.Event{Action: "coach.assign", SubjectType: "user", SubjectID: memberID,
			Detail: map[string]string{"coach_id": coachID}}); err != nil {
			return err
		}
		_, err = notify.Send(ctx, tx, coachID, notify.KindMessage, notify.Data{
			Title: "New person in your caseload", Link: "/caseload"})
		return err
	})
}

// CoachAssignment is one past or current primary coach of a member.
type CoachAssignment struct {
	CoachID    string
	StartedAt  time.Time
	EndedAt    time.Time // zero while current
	AssignedBy string
}

// CoachHistory lists memberID's primary coaches, oldest first, for a
// coordinator or admin of the member's program (anyone else is
// access.ErrNotFound).
func CoachHistory(ctx context.Context, q db.Querier, actor access.Actor, memberID string) ([]CoachAssignment, error) {
	var programID string
	if err := q.QueryRow(ctx, `SELECT program_id FROM users WHERE id = ?`, memberID).Scan(&programID); err != nil {
		if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
			return nil, access.ErrNotFound
		}
		return nil, fmt.Errorf("members: coach history: %w", err)
	}
	if err := access.AssignCoaches(actor, programID); err != nil {
		return nil, err
	}
	return coachHistory(ctx, q, memberID)
}

// coachHistory lists memberID's primary coaches, oldest first, for a
// caller that has checked access.
func coachHistory(ctx context.Context, q db.Querier, memberID string) ([]CoachAssignment, error) {
	rows, err := q.Query(ctx, `SELECT coach_id, started_at, ended_at, assigned_by FROM coach_assignment_history
		WHERE member_id = ? ORDER BY started_at, coach_id`, memberID)
	if err != nil {
		return nil, fmt.Errorf("members: coach history: %w", err)
	}
	defer rows.Close()
	var out []CoachAssignment
	for rows.Next() {
		var a CoachAssignment
		var ended sql.NullTime
		if err := rows.Scan(&a.CoachID, &a.StartedAt, &ended, &a.AssignedBy); err != nil {
			return nil, fmt.Errorf("members: coach history: %w", err)
		}
		a.EndedAt = ended.Time
		out = append(out, a)
	}
	return out, rows.Err()
}

// Caseload lists the members a coach coaches, by display name, with what
// each shares with their coach. Only coaches have a caseload (anyone else
// is access.ErrNotFound). The read is audited.
func Caseload(ctx context.Context, d *db.DB, actor access.Actor) ([]CaseloadEntry, error) {
	if err := access.ViewCaseload(actor); err != nil {
		return nil, err
	}
	var out []CaseloadEntry
	err := d.Tx(ctx, func(tx *db.Tx) error {
		rows, err := tx.Query(ctx, memberSelect+` JOIN coach_assignments c ON c.member_id = u.id
			WHERE c.coach_id = ? AND c.program_id = ? AND u.program_id = ?`, actor.UserID, actor.ProgramID, actor.ProgramID)
		if err != nil {
			return fmt.Errorf("members: caseload: %w", err)
		}
		var ms []*memberRow
		for rows.Next() {
			m, err := scanMember(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("members: caseload: %w", err)
			}
			if !m.disabled && m.role == access.Alumnus {
				ms = append(ms, m)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("members: caseload: %w", err)
		}
		contacts, err := lastContacts(ctx, tx, actor.UserID)
		if err != nil {
			return err
		}
		rel := access.Relation{Coach: true, SameProgram: true}
		now := clock().UTC()
		out = make([]CaseloadEntry, 0, len(ms))
		for _, m := range ms {
			e := CaseloadEntry{MemberID: m.id, DisplayName: m.displayName(), LastContact: contacts[m.id]}
			if e.NextEvent, err = nextEvent(ctx, tx, m.id, m.programID, now); err != nil {
				return err
			}
			if access.MaySee(m.profile.Visibility.Recovery, rel) {
				start, ok, err := currentStart(ctx, tx, m.id)
				if err != nil {
					return err
				}
				e.RecoverySince, e.RecoveryVisible = start, ok
			}
			out = append(out, e)
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].DisplayName < out[j].DisplayName })
		return audit.Record(ctx, tx, actor, audit.Event{Action: "caseload.view", SubjectType: "user", SubjectID: actor.UserID,
			Detail: map[string]string{"members": fmt.Sprint(len(out))}})
	})
	return out, err
}

// lastContacts maps each user coachID did something about to the time of
// the last audit entry by coachID about them. It reads the coach's audit
// entries once (through the audit_log_actor index) rather than once per
// member.
func lastContacts(ctx context.Context, q db.Querier, coachID string) (map[string]time.Time, error) {
	rows, err := q.Query(ctx, `SELECT subject_id, at FROM audit_log WHERE seq IN (
		SELECT MAX(seq) FROM audit_log WHERE actor_id = ? AND subject_type = 'user' GROUP BY subject_id)`, coachID)
	if err != nil {
		return nil, fmt.Errorf("members: last contact: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id string
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return nil, fmt.Errorf("members: last contact: %w", err)
		}
		out[id] = at
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("members: last contact: %w", err)
	}
	return out, nil
}

// nextEvent is memberID's next occurrence, not cancelled and starting at
// or after now, that they are confirmed, waitlisted or tentative for.
func nextEvent(ctx context.Context, q db.Querier, memberID, programID string, now time.Time) (*CaseloadEvent, error) {
	var e CaseloadEvent
	err := q.QueryRow(ctx, `SELECT o.event_id, o.occurrence, ev.title, o.starts_at, r.state
		FROM event_rsvps r
		JOIN event_occurrences o ON o.event_id = r.event_id AND o.occurrence = r.occurrence
		JOIN events ev ON ev.id = o.event_id
		WHERE r.user_id = ? AND r.program_id = ? AND r.state IN ('confirmed', 'waitlisted', 'tentative')
		AND o.cancelled = FALSE AND o.starts_at >= ?
		ORDER BY o.starts_at, o.event_id LIMIT 1`, memberID, programID, now).
		Scan(&e.EventID, &e.Occurrence, &e.Title, &e.StartsAt, &e.State)
	if err = db.Err(err); err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return nil, nil
		}
		return nil, fmt.Errorf("members: next event: %w", err)
	}
	return &e, nil
}
