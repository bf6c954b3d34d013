package access

import "testing"

func TestRosterAndDeletionRules(t *testing.T) {
	const p, other = "p1", "p2"
	actor := func(role Role, program string) Actor {
		return Actor{UserID: "u-" + string(role), ProgramID: program, Role: role}
	}
	cases := []struct {
		name string
		rule func(Actor) error
		ok   []Actor
		no   []Actor
	}{
		{"ImportRoster", func(a Actor) error { return ImportRoster(a, p) },
			[]Actor{actor(Coordinator, p), actor(Admin, p), System(p)},
			[]Actor{{}, actor(Alumnus, p), actor(Family, p), actor(Coach, p), actor(Admin, other), System(other)}},
		{"ViewDeletions", func(a Actor) error { return ViewDeletions(a, p) },
			[]Actor{actor(Coordinator, p), actor(Admin, p)},
			[]Actor{{}, actor(Alumnus, p), actor(Coach, p), actor(Admin, other)}},
		{"ConfirmDeletion", func(a Actor) error { return ConfirmDeletion(a, p) },
			[]Actor{actor(Admin, p)},
			[]Actor{{}, actor(Alumnus, p), actor(Coach, p), actor(Coordinator, p), actor(Admin, other), System(p)}},
		{"ExportOwnData", func(a Actor) error { return ExportOwnData(a, "u-alumnus") },
			[]Actor{actor(Alumnus, p)},
			[]Actor{{}, actor(Admin, p), actor(Coach, p)}},
	}
	for _, c := range cases {
		for _, a := range c.ok {
			if err := c.rule(a); err != nil {
				t.Errorf("%s(%+v) = %v, want allowed", c.name, a, err)
			}
		}
		for _, a := range c.no {
			if err := c.rule(a); err != ErrNotFound {
				t.Errorf("%s(%+v) = %v, want ErrNotFound", c.name, a, err)
			}
		}
	}
}
