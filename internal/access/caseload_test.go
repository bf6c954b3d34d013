package access

import "testing"

func TestCaseloadRules(t *testing.T) {
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
		{"AssignCoaches", func(a Actor) error { return AssignCoaches(a, p) },
			[]Actor{actor(Coordinator, p), actor(Admin, p)},
			[]Actor{{}, actor(Alumnus, p), actor(Family, p), actor(Coach, p), actor(Coordinator, other), actor(Admin, other)}},
		{"ViewCaseload", ViewCaseload,
			[]Actor{actor(Coach, p), actor(Coach, other)},
			[]Actor{{}, actor(Alumnus, p), actor(Family, p), actor(Coordinator, p), actor(Admin, p)}},
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
