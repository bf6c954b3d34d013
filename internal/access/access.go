// Package access is the one place that answers "may this actor do this to
// that". Every rule denies by default, and a denial is reported as
// [ErrNotFound], so that what an actor may not see cannot be told apart from
// what does not exist.
package access

import (
	"fmt"

	"github.com/cairn-recovery/cairn/internal/db"
)

// ErrNotFound is returned for anything the actor may not see or do. It is
// the store's not-found error, so handlers answer 404 for both.
var ErrNotFound = db.ErrNotFound

// Role is a person's role in one program.
type Role string

// The roles, from the program's members to its administrators.
const (
	Alumnus     Role = "alumnus"
	Family      Role = "family"
	Coach       Role = "coach"
	Coordinator Role = "coordinator"
	Admin       Role = "admin"
)

// Roles lists every role, members first.
var Roles = []Role{Alumnus, Family, Coach, Coordinator, Admin}

// ParseRole returns the role named s, or an error naming the choices.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q (choose alumnus, family, coach, coordinator or admin)", s)
}

// Staff reports whether the role belongs to the program's staff, who must
// use a second factor and whose sessions time out sooner.
func (r Role) Staff() bool { return r == Coach || r == Coordinator || r == Admin }

// Label is the role's name for people.
func (r Role) Label() string {
	switch r {
	case Alumnus:
		return "Alumnus"
	case Family:
		return "Family member"
	case Coach:
		return "Peer coach"
	case Coordinator:
		return "Coordinator"
	case Admin:
		return "Administrator"
	}
	return string(r)
}

// Actor is whoever makes a request: a signed-in person acting in their
// program, or the anonymous visitor (the zero Actor).
type Actor struct {
	UserID    string
	ProgramID string
	Role      Role
	// RequestID ties audit entries to the request that caused them.
	RequestID string
}

// Anonymous reports whether the actor is not signed in.
func (a Actor) Anonymous() bool { return a.UserID == "" }

// System is the actor for work that the installation does itself
// (command-line tools, demo seeding, periodic jobs).
func System(programID string) Actor {
	return Actor{UserID: "", ProgramID: programID, Role: "system"}
}

// IsSystem reports whether the actor is the installation itself.
func (a Actor) IsSystem() bool { return a.Role == "system" }

func (a Actor) in(programID string) bool {
	return a.ProgramID != "" && a.ProgramID == programID
}

func allow(ok bool) error {
	if ok {
		return nil
	}
	return ErrNotFound
}
