package members

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// RelationTo computes how viewer stands to memberID: self, assigned coach,
// buddy, and whether the viewer is a signed-in alumnus or staff member of
// the member's program. A member of another program gives SameProgram
// false (and no coach or buddy standing); a member who does not exist is
// db.ErrNotFound.
func RelationTo(ctx context.Context, q db.Querier, viewer access.Actor, memberID string) (access.Relation, error) {
	var programID string
	if err := q.QueryRow(ctx, `SELECT program_id FROM users WHERE id = ?`, memberID).Scan(&programID); err != nil {
		return access.Relation{}, db.Err(err)
	}
	rel := access.Relation{Self: !viewer.Anonymous() && viewer.UserID == memberID}
	if viewer.ProgramID != programID || access.UseProfiles(viewer) != nil {
		return rel, nil
	}
	rel.SameProgram = true
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM coach_assignments WHERE member_id = ? AND coach_id = ? AND program_id = ?`,
		memberID, viewer.UserID, programID).Scan(&n); err != nil {
		return rel, fmt.Errorf("members: coach relation: %w", err)
	}
	rel.Coach = n > 0
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM buddies WHERE member_id = ? AND buddy_id = ? AND program_id = ?`,
		memberID, viewer.UserID, programID).Scan(&n); err != nil {
		return rel, fmt.Errorf("members: buddy relation: %w", err)
	}
	rel.Buddy = n > 0
	return rel, nil
}

// peerRole reports whether people with role see their program's members
// through the visibility ladder: alumni and staff, never family.
func peerRole(r access.Role) bool { return r == access.Alumnus || r.Staff() }

// AssignCoach records coachID as a coach of memberID in programID. It is
// idempotent. Both people must belong to programID and the coach must be
// staff; otherwise the error names the field.
func AssignCoach(ctx context.Context, tx *db.Tx, programID, memberID, coachID string) error {
	if err := inProgram(ctx, tx, programID, memberID, "member_id", nil); err != nil {
		return err
	}
	if err := inProgram(ctx, tx, programID, coachID, "coach_id", access.Role.Staff); err != nil {
		return err
	}
	if memberID == coachID {
		return ValidationError{{Field: "coach_id", Message: "A person cannot be their own coach."}}
	}
	var n int
	// A member has one primary coach: one who already has a primary coach
	// (or already has coachID) keeps the assignment they have.
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM coach_assignments WHERE member_id = ? AND (coach_id = ? OR role = 'primary')`,
		memberID, coachID).Scan(&n); err != nil {
		return fmt.Errorf("members: assign coach: %w", err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO coach_assignments (member_id, coach_id, program_id, role) VALUES (?, ?, ?, 'primary')`,
		memberID, coachID, programID); err != nil {
		return fmt.Errorf("members: assign coach: %w", err)
	}
	return nil
}

// AddBuddies pairs two alumni of programID as buddies (both directions).
// It is idempotent.
func AddBuddies(ctx context.Context, tx *db.Tx, programID, a, b string) error {
	isAlumnus := func(r access.Role) bool { return r == access.Alumnus }
	if err := inProgram(ctx, tx, programID, a, "member_id", isAlumnus); err != nil {
		return err
	}
	if err := inProgram(ctx, tx, programID, b, "buddy_id", isAlumnus); err != nil {
		return err
	}
	if a == b {
		return ValidationError{{Field: "buddy_id", Message: "A person cannot be their own buddy."}}
	}
	for _, p := range [][2]string{{a, b}, {b, a}} {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM buddies WHERE member_id = ? AND buddy_id = ?`, p[0], p[1]).Scan(&n); err != nil {
			return fmt.Errorf("members: add buddies: %w", err)
		}
		if n > 0 {
			continue
		}
		if _, err := tx.Exec(ctx, `INSERT INTO buddies (member_id, buddy_id, program_id) VALUES (?, ?, ?)`, p[0], p[1], programID); err != nil {
			return fmt.Errorf("members: add buddies: %w", err)
		}
	}
	return nil
}

// inProgram checks that userID is a person of programID whose role passes
// ok (any role when ok is nil).
func inProgram(ctx context.Context, q db.Querier, programID, userID, field string, ok func(access.Role) bool) error {
	var role string
	err := q.QueryRow(ctx, `SELECT role FROM users WHERE id = ? AND program_id = ?`, userID, programID).Scan(&role)
	if err != nil {
		if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
			return ValidationError{{Field: field, Message: "No such person in this program."}}
		}
		return fmt.Errorf("members: look up %s: %w", field, err)
	}
	if ok != nil && !ok(access.Role(role)) {
		return ValidationError{{Field: field, Message: "This person cannot take that part (role " + role + ")."}}
	}
	return nil
}

// coachedBy returns the ids of the members coachID coaches in programID.
func coachedBy(ctx context.Context, q db.Querier, programID, coachID string) (map[string]bool, error) {
	return idSet(ctx, q, `SELECT member_id FROM coach_assignments WHERE coach_id = ? AND program_id = ?`, coachID, programID)
}

// buddiesOf returns the ids of userID's buddies in programID.
func buddiesOf(ctx context.Context, q db.Querier, programID, userID string) (map[string]bool, error) {
	return idSet(ctx, q, `SELECT buddy_id FROM buddies WHERE member_id = ? AND program_id = ?`, userID, programID)
}

func idSet(ctx context.Context, q db.Querier, query string, args ...any) (map[string]bool, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("members: relations: %w", err)
	}
	defer rows.Close()
	set := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("members: relations: %w", err)
		}
		set[id] = true
	}
	return set, rows.Err()
}
