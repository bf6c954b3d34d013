package events

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// Person is someone of the program as the event pages offer them: a host
// in the editor's picker, or an alumnus to list as an honoree.
type Person struct {
	ID string
	// Name is the display name (first name and last initial).
	Name string
	Role access.Role
	// names is the first and last name in lower case, for FindAlumni.
	names string
}

// mayHost is the one rule of who may host an event: a staff member or an
// alumnus of the program whose account is active. checkHost and Hosts
// both use it.
func mayHost(role access.Role, disabled bool) bool {
	return !disabled && (role.Staff() || role == access.Alumnus)
}

// programPeople returns the program's active accounts with one of roles,
// by name.
func programPeople(ctx context.Context, q db.Querier, programID string, roles ...access.Role) ([]Person, error) {
	args := []any{programID}
	for _, r := range roles {
		args = append(args, string(r))
	}
	rows, err := q.Query(ctx, `SELECT id, first_name, last_name, email, role FROM users
		WHERE program_id = ? AND disabled_at IS NULL AND role IN (`+db.Placeholders(len(roles))+`)
		ORDER BY first_name, last_name, email`, args...)
	if err != nil {
		return nil, fmt.Errorf("events: people: %w", err)
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		var p Person
		var first, last, email, role string
		if err := rows.Scan(&p.ID, &first, &last, &email, &role); err != nil {
			return nil, fmt.Errorf("events: people: %w", err)
		}
		p.Name, p.Role = displayName(first, last, email), access.Role(role)
		p.names = strings.ToLower(first + " " + last)
		out = append(out, p)
	}
	return out, rows.Err()
}

// hostRoles are the roles mayHost allows.
func hostRoles() []access.Role {
	var out []access.Role
	for _, r := range access.Roles {
		if mayHost(r, false) {
			out = append(out, r)
		}
	}
	return out
}

// Hosts lists the people who may host the actor's program's events, by
// name, for those who manage events (others are access.ErrNotFound).
func Hosts(ctx context.Context, q db.Querier, actor access.Actor) ([]Person, error) {
	if err := access.ManageEvents(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	return programPeople(ctx, q, actor.ProgramID, hostRoles()...)
}

// FindAlumni lists the active alumni of the actor's program whose name
// contains search (any case), by name, for those who manage events and
// their milestone dinners (others are access.ErrNotFound).
func FindAlumni(ctx context.Context, q db.Querier, actor access.Actor, search string) ([]Person, error) {
	if err := access.ManageEvents(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	search = strings.ToLower(strings.TrimSpace(search))
	if search == "" {
		return nil, nil
	}
	all, err := programPeople(ctx, q, actor.ProgramID, access.Alumnus)
	if err != nil {
		return nil, err
	}
	var out []Person
	for _, p := range all {
		if strings.Contains(p.names, search) {
			out = append(out, p)
		}
	}
	return out, nil
}

// checkHost checks that hostID may host the program's events (mayHost).
func checkHost(ctx context.Context, q db.Querier, programID, hostID string) error {
	if hostID == "" {
		return nil
	}
	var role string
	var disabled *time.Time
	err := db.Err(q.QueryRow(ctx, `SELECT role, disabled_at FROM users WHERE id = ? AND program_id = ?`, hostID, programID).Scan(&role, &disabled))
	bad := members.ValidationError{{Field: "host_id", Message: "must be a staff member or an alumnus of the program"}}
	if errors.Is(err, db.ErrNotFound) {
		return bad
	}
	if err != nil {
		return fmt.Errorf("events: host: %w", err)
	}
	if !mayHost(access.Role(role), disabled != nil) {
		return bad
	}
	return nil
}

// HostName is the display name of e's host as viewer may see it, or ""
// when there is no host or the viewer may not see them. A staff host is
// named to everyone who may see the event; a host who is an alumnus (a
// volunteer) only to those members.ViewMember shows them to, so someone
// hidden from the viewer, or blocked either way, stays unnamed. A disabled
// account is never named.
func HostName(ctx context.Context, q db.Querier, viewer access.Actor, e *Event) (string, error) {
	if e.HostID == "" {
		return "", nil
	}
	if err := access.ViewEvent(viewer, e.ProgramID, string(e.Audience)); err != nil {
		return "", err
	}
	var first, last, email, role string
	var disabled *time.Time
	err := db.Err(q.QueryRow(ctx, `SELECT first_name, last_name, email, role, disabled_at FROM users WHERE id = ? AND program_id = ?`,
		e.HostID, e.ProgramID).Scan(&first, &last, &email, &role, &disabled))
	if errors.Is(err, db.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("events: host name: %w", err)
	}
	switch r := access.Role(role); {
	case disabled != nil || !mayHost(r, false):
		return "", nil
	case r.Staff():
		return displayName(first, last, email), nil
	}
	m, err := members.ViewMember(ctx, q, viewer, e.HostID)
	if errors.Is(err, db.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return m.DisplayName, nil
}
