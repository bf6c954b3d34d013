package members

import (
	"errors"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestRecoveryDateVisibilityOnMemberPage: the recovery date on a member's
// page follows the member's choice for that field, for every viewer.
func TestRecoveryDateVisibilityOnMemberPage(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		if err := SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, MustDate("2025-03-14"), "private note"); err != nil {
			t.Fatal(err)
		}
		type viewer struct {
			name string
			a    access.Actor
		}
		viewers := []viewer{{"self", w.alex}, {"coach", w.coach}, {"buddy", w.buddy}, {"peer", w.peer}, {"staff", w.staff}}
		want := map[access.Visibility]map[string]bool{
			access.VisMe:      {"self": true},
			access.VisCoach:   {"self": true, "coach": true},
			access.VisBuddy:   {"self": true, "coach": true, "buddy": true},
			access.VisProgram: {"self": true, "coach": true, "buddy": true, "peer": true, "staff": true},
		}
		for _, vis := range access.Visibilities {
			in := ProfileInput{Visibility: DefaultVisibility}
			in.Visibility.Recovery = vis
			w.save(t, w.alex, in)
			for _, v := range viewers {
				m, err := ViewMember(w.ctx, d, v.a, w.alex.UserID)
				if err != nil {
					t.Fatalf("%s viewing with %s: %v", v.name, vis, err)
				}
				if m.RecoveryVisible != want[vis][v.name] {
					t.Errorf("visibility %s, viewer %s: recovery visible = %v, want %v", vis, v.name, m.RecoveryVisible, want[vis][v.name])
				}
				if m.RecoveryVisible && m.RecoverySince.String() != "2025-03-14" {
					t.Errorf("recovery since %s", m.RecoverySince)
				}
			}
			for _, a := range []access.Actor{w.family, w.alien} {
				if _, err := ViewMember(w.ctx, d, a, w.alex.UserID); !errors.Is(err, access.ErrNotFound) {
					t.Errorf("family or another program's member reached the page: %v", err)
				}
			}
		}
	})
}
