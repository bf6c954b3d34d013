package auth

import (
	"context"
	"errors"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
)

// Only an alumnus in a program invites family; everyone else is refused
// before anything is written (so no transaction is needed to find out).
func TestInviteFamilyOnlyAlumni(t *testing.T) {
	s := &Service{}
	for name, actor := range map[string]access.Actor{
		"anonymous":           {Role: access.Alumnus, ProgramID: "p1"},
		"coach":               {UserID: "u1", Role: access.Coach, ProgramID: "p1"},
		"admin":               {UserID: "u1", Role: access.Admin, ProgramID: "p1"},
		"family":              {UserID: "u1", Role: access.Family, ProgramID: "p1"},
		"system":              access.System("p1"),
		"alumnus, no program": {UserID: "u1", Role: access.Alumnus},
	} {
		if _, _, err := s.InviteFamily(context.Background(), nil, actor, "c1", "kin@example.org", nil); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("%s: error %v, want access.ErrNotFound", name, err)
		}
	}
}
