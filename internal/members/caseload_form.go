package members

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Person is a person's id and the name staff know them by.
type Person struct {
	ID   string
	Name string
}

// CoachForm is what a coordinator sees when setting a member's coach.
type CoachForm struct {
	Member Person
	// CoachID is the current primary coach ("" when none).
	CoachID string
	// SecondaryID is the current secondary coach ("" when none).
	SecondaryID string
	// Coaches are the program's coaches, by name.
	Coaches []Person
	// History is every coach the member has had, in both roles, oldest
	// first.
	History []CoachAssignment
	// Names maps the ids in History to names.
	Names map[string]string
}

// LoadCoachForm returns the coach form for memberID, for a coordinator or
// admin of the member's program (anyone else, or a person who is not an
// alumnus, is access.ErrNotFound).
func LoadCoachForm(ctx context.Context, q db.Querier, actor access.Actor, memberID string) (*CoachForm, error) {
	var programID, role, email, first, last string
	err := q.QueryRow(ctx, `SELECT program_id, role, email, first_name, last_name FROM users WHERE id = ? AND disabled_at IS NULL`, memberID).
		Scan(&programID, &role, &email, &first, &last)
	if err != nil {
		if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
			return nil, access.ErrNotFound
		}
		return nil, fmt.Errorf("members: coach form: %w", err)
	}
	if err := access.AssignCoaches(actor, programID); err != nil {
		return nil, err
	}
	if access.Role(role) != access.Alumnus {
		return nil, access.ErrNotFound
	}
	f := &CoachForm{Member: Person{ID: memberID, Name: (&memberRow{email: email, first: first, last: last}).displayName()},
		Names: map[string]string{}}
	rows, err := q.Query(ctx, `SELECT id, email, first_name, last_name, role FROM users
		WHERE program_id = ? AND disabled_at IS NULL AND role IN ('coach', 'coordinator', 'admin') ORDER BY first_name, last_name, id`, programID)
	if err != nil {
		return nil, fmt.Errorf("members: coach form: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m memberRow
		var r string
		if err := rows.Scan(&m.id, &m.email, &m.first, &m.last, &r); err != nil {
			return nil, fmt.Errorf("members: coach form: %w", err)
		}
		name := m.displayName()
		f.Names[m.id] = name
		if access.Role(r) == access.Coach {
			f.Coaches = append(f.Coaches, Person{ID: m.id, Name: name})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("members: coach form: %w", err)
	}
	current, err := currentCoaches(ctx, q, memberID)
	if err != nil {
		return nil, err
	}
	f.CoachID, f.SecondaryID = current.primary, current.secondary
	if f.History, err = coachHistory(ctx, q, memberID); err != nil {
		return nil, err
	}
	return f, nil
}

// MayAssignCoach reports whether actor may set memberID's coach: nil for a
// coordinator or admin of the member's program, access.ErrNotFound for
// anyone else and for a person who does not exist.
func MayAssignCoach(ctx context.Context, q db.Querier, actor access.Actor, memberID string) error {
	var programID string
	if err := q.QueryRow(ctx, `SELECT program_id FROM users WHERE id = ?`, memberID).Scan(&programID); err != nil {
		if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
			return access.ErrNotFound
		}
		return fmt.Errorf("members: coach access: %w", err)
	}
	return access.AssignCoaches(actor, programID)
}
