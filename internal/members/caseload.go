package members

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// Coach caseloads. A member has one primary coach and may have one
// secondary coach, kept in coach_assignments with their role; every
// assignment is also kept in coach_assignment_history, per role, with when
// it started and ended, so that a reassignment keeps the record of who
// coached whom (caseload_assign.go). A coach's caseload lists the members
// they coach in either role, with exactly what each member shares with
// their coach, and nothing else.

// CaseloadEntry is one member of a coach's caseload, as the coach may see
// them.
type CaseloadEntry struct {
	MemberID    string
	DisplayName string
	// Role is how the coach stands to the member: PrimaryCoach or
	// SecondaryCoach.
	Role string
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
	// LastMilestone (the latest reached, nil when none yet) and
	// NextMilestone are set only when MilestonesVisible: the member shares
	// their milestones with their coach and has a recovery date.
	LastMilestone     *Milestone
	NextMilestone     *Milestone
	MilestonesVisible bool
	// Pathways holds pathway keys, only when PathwaysVisible: the member
	// shares their pathways with their coach.
	Pathways        []string
	PathwaysVisible bool
}

// PathwayLabels returns the labels of the entry's pathways.
func (e CaseloadEntry) PathwayLabels() []string {
	out := make([]string, len(e.Pathways))
	for i, k := range e.Pathways {
		out[i] = PathwayLabel(k)
	}
	return out
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

// The orders a caseload can be listed in.
const (
	// ByContact lists the people the coach has not been in touch with
	// for the longest first (never first): who needs reaching out.
	ByContact = "contact"
	// ByName lists by display name.
	ByName = "name"
)

// CaseloadFilter narrows and orders a caseload.
type CaseloadFilter struct {
	// Role is PrimaryCoach, SecondaryCoach, or "" for both.
	Role string
	// Sort is ByContact (the default when "") or ByName.
	Sort string
}

// Validate checks the filter; a bad value is a ValidationError naming
// the field (role or sort).
func (f CaseloadFilter) Validate() error {
	var ve ValidationError
	if f.Role != "" && f.Role != PrimaryCoach && f.Role != SecondaryCoach {
		ve = append(ve, FieldError{Field: "role", Message: "Choose primary, secondary, or leave it empty for both."})
	}
	if f.Sort != "" && f.Sort != ByContact && f.Sort != ByName {
		ve = append(ve, FieldError{Field: "sort", Message: "Choose contact or name."})
	}
	if len(ve) > 0 {
		return ve
	}
	return nil
}

// Caseload lists the members a coach coaches, in either role, with what
// each shares with their coach, filtered and ordered by f (by last
// contact, oldest first, by default). Only coaches have a caseload
// (anyone else is access.ErrNotFound); a bad filter is a ValidationError.
// The read is audited. It reads the caseload in a fixed number of queries,
// however many people it holds.
func Caseload(ctx context.Context, d *db.DB, actor access.Actor, f CaseloadFilter) ([]CaseloadEntry, error) {
	if err := access.ViewCaseload(actor); err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var out []CaseloadEntry
	err := d.Tx(ctx, func(tx *db.Tx) error {
		p, err := programs.Get(ctx, tx, actor.ProgramID)
		if err != nil {
			return fmt.Errorf("members: caseload: %w", err)
		}
		schedule, err := LoadSchedule(ctx, tx, actor.ProgramID)
		if err != nil {
			return err
		}
		today := Today(p.Location(), clock())
		if out, err = caseloadRows(ctx, tx, actor, f.Role, schedule, today); err != nil {
			return err
		}
		contacts, err := lastContacts(ctx, tx, actor.UserID)
		if err != nil {
			return err
		}
		for i := range out {
			out[i].LastContact = contacts[out[i].MemberID]
		}
		sortCaseload(out, f.Sort)
		detail := map[string]string{"members": fmt.Sprint(len(out))}
		if f.Role != "" {
			detail["role"] = f.Role
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "caseload.view", SubjectType: "user", SubjectID: actor.UserID,
			Detail: detail})
	})
	return out, err
}

// caseloadQuery reads, in one query, the coach's members with their
// profile, the coach's role, the current recovery date and the next
// upcoming event each member is going to (the first by start time of
// their confirmed, waitlisted or tentative RSVPs to occurrences that are
// not cancelled). The next events are a MATERIALIZED common table
// expression (both engines know the hint) so that no plan runs the
// window once per member, and the CROSS JOIN makes SQLite start from the
// coach's assignments rather than from every alumnus of the program. The arguments are coach, program, now, coach,
// program, program.
const caseloadQuery = `WITH nx AS MATERIALIZED (
		SELECT x.user_id, x.event_id, x.occurrence, x.title, x.starts_at, x.state FROM (
			SELECT rs.user_id, o.event_id, o.occurrence, ev.title, o.starts_at, rs.state,
				ROW_NUMBER() OVER (PARTITION BY rs.user_id ORDER BY o.starts_at, o.event_id, o.occurrence) AS n
			FROM coach_assignments c2
			JOIN event_rsvps rs ON rs.user_id = c2.member_id AND rs.program_id = c2.program_id
			JOIN event_occurrences o ON o.event_id = rs.event_id AND o.occurrence = rs.occurrence
			JOIN events ev ON ev.id = o.event_id
			WHERE c2.coach_id = ? AND c2.program_id = ? AND rs.state IN ('confirmed', 'waitlisted', 'tentative')
				AND o.cancelled = FALSE AND o.starts_at >= ?
		) x WHERE x.n = 1
	)
	SELECT c.role, r.start_date, nx.event_id, nx.occurrence, nx.title, nx.starts_at, nx.state,
	u.id, u.program_id, u.email, u.first_name, u.last_name, u.role, u.disabled_at,
	p.pronouns, p.bio, p.city, p.languages, p.interests, p.pathways, p.contact_times, (p.hidden OR p.moderation_hidden),
	p.vis_recovery, p.vis_milestones, p.vis_pathways, p.vis_checkins, p.photo_id, p.updated_at
	FROM coach_assignments c
	CROSS JOIN users u
	LEFT JOIN profiles p ON p.user_id = u.id
	LEFT JOIN recovery_periods r ON r.user_id = u.id AND r.end_date IS NULL
	LEFT JOIN nx ON nx.user_id = u.id
	WHERE c.coach_id = ? AND c.program_id = ? AND u.id = c.member_id AND u.program_id = ? AND u.role = 'alumnus' AND u.disabled_at IS NULL`

// caseloadRows runs caseloadQuery for actor (a coach) and keeps, of each
// member, only what they share with their coach. role narrows to one
// coach role when not "".
func caseloadRows(ctx context.Context, q db.Querier, actor access.Actor, role string, s Schedule, today Date) ([]CaseloadEntry, error) {
	query, args := caseloadQuery, []any{actor.UserID, actor.ProgramID, clock().UTC(), actor.UserID, actor.ProgramID, actor.ProgramID}
	if role != "" {
		query += ` AND c.role = ?`
		args = append(args, role)
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("members: caseload: %w", err)
	}
	defer rows.Close()
	rel := access.Relation{Coach: true, SameProgram: true}
	var out []CaseloadEntry
	for rows.Next() {
		var (
			e                       CaseloadEntry
			start                   Date
			evID, occ, title, state sql.NullString
			startsAt                sql.NullTime
		)
		m, err := scanMember(prefixScanner{rows, []any{&e.Role, &start, &evID, &occ, &title, &startsAt, &state}})
		if err != nil {
			return nil, fmt.Errorf("members: caseload: %w", err)
		}
		e.MemberID, e.DisplayName = m.id, m.displayName()
		if evID.Valid {
			e.NextEvent = &CaseloadEvent{EventID: evID.String, Occurrence: occ.String, Title: title.String,
				StartsAt: startsAt.Time, State: state.String}
		}
		vis := m.profile.Visibility
		if !start.IsZero() && access.MaySee(vis.Recovery, rel) {
			e.RecoverySince, e.RecoveryVisible = start, true
		}
		if !start.IsZero() && access.MaySee(vis.Milestones, rel) {
			e.MilestonesVisible = true
			if reached := s.Reached(start, today); len(reached) > 0 {
				e.LastMilestone = &reached[len(reached)-1]
			}
			next := s.Next(start, today)
			e.NextMilestone = &next
		}
		if access.MaySee(vis.Pathways, rel) {
			e.Pathways, e.PathwaysVisible = m.profile.Pathways, true
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("members: caseload: %w", err)
	}
	return out, nil
}

// prefixScanner scans a row whose first columns go to extra and the rest
// to what its caller asks for.
type prefixScanner struct {
	row   interface{ Scan(...any) error }
	extra []any
}

// Scan scans into the extra destinations, then dest.
func (p prefixScanner) Scan(dest ...any) error {
	return p.row.Scan(append(append([]any(nil), p.extra...), dest...)...)
}

// sortCaseload orders list by by (ByContact when ""): by last contact,
// never first, then oldest first; or by name. Ties go by name, then id.
func sortCaseload(list []CaseloadEntry, by string) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if by != ByName && !a.LastContact.Equal(b.LastContact) {
			return a.LastContact.Before(b.LastContact)
		}
		if a.DisplayName != b.DisplayName {
			return a.DisplayName < b.DisplayName
		}
		return a.MemberID < b.MemberID
	})
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
