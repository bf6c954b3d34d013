package events

import (
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestHostsAndFindAlumni: the host picker offers the active staff and
// alumni of the program (never family, disabled accounts or another
// program), and the same people pass checkHost; finding an alumnus
// matches names in any case and offers alumni only. Both are for those
// who manage events.
func TestHostsAndFindAlumni(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := rsNewWorld(t, d)
		gone := rsUser(t, w.ctx, d, w.prog, access.Alumnus, "Alma", "Gone")
		if _, err := d.Exec(w.ctx, `UPDATE users SET disabled_at = updated_at WHERE id = ?`, gone.UserID); err != nil {
			t.Fatal(err)
		}
		hosts, err := Hosts(w.ctx, d, w.coord)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, h := range hosts {
			names = append(names, h.Name+"/"+string(h.Role))
			if err := checkHost(w.ctx, d, w.prog, h.ID); err != nil {
				t.Errorf("offered host %s fails checkHost: %v", h.Name, err)
			}
		}
		want := "Alex R./alumnus Bo L./alumnus Cass M./coach Cora D./coordinator Pat Q./alumnus"
		if got := strings.Join(names, " "); got != want {
			t.Errorf("hosts %q, want %q", got, want)
		}
		for _, not := range []access.Actor{w.family, gone, w.stranger} {
			if err := checkHost(w.ctx, d, w.prog, not.UserID); err == nil {
				t.Errorf("%s may host", not.UserID)
			}
		}
		if _, err := Hosts(w.ctx, d, w.coach); err != access.ErrNotFound {
			t.Errorf("a coach lists hosts: %v", err)
		}

		found, err := FindAlumni(w.ctx, d, w.coord, "  RIV ")
		if err != nil || len(found) != 1 || found[0].ID != w.alex.UserID {
			t.Fatalf("find riv: %+v, %v (want Alex only, not Fran Rivera of the family)", found, err)
		}
		if found, _ := FindAlumni(w.ctx, d, w.coord, "gone"); len(found) != 0 {
			t.Errorf("a disabled alumnus is found: %+v", found)
		}
		if found, _ := FindAlumni(w.ctx, d, w.coord, "cass"); len(found) != 0 {
			t.Errorf("a coach is found as an alumnus: %+v", found)
		}
		if _, err := FindAlumni(w.ctx, d, w.alex, "bo"); err != access.ErrNotFound {
			t.Errorf("an alumnus searches: %v", err)
		}
	})
}

// TestHostName: a staff host is named to everyone who may see the event;
// an alumnus host to other alumni and staff, but not to family (who do
// not see profiles) nor, once hidden from the directory, to other alumni.
func TestHostName(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		rsClock(t, rsNow)
		w := rsNewWorld(t, d)
		byStaff := rsDinner(0)
		byStaff.HostID = w.coach.UserID
		staffHosted, _ := w.event(t, byStaff)
		byAlumnus := rsDinner(0)
		byAlumnus.HostID = w.alex.UserID
		alumnusHosted, _ := w.event(t, byAlumnus)
		none, _ := w.event(t, rsDinner(0))
		name := func(a access.Actor, e *Event) string {
			t.Helper()
			n, err := HostName(w.ctx, d, a, e)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, a := range []access.Actor{w.bo, w.family, w.coord} {
			if n := name(a, staffHosted); n != "Cass M." {
				t.Errorf("%s sees staff host %q", a.Role, n)
			}
			if n := name(a, none); n != "" {
				t.Errorf("no host, named %q", n)
			}
		}
		if n := name(w.bo, alumnusHosted); n != "Alex R." {
			t.Errorf("alumnus sees alumnus host %q", n)
		}
		if n := name(w.family, alumnusHosted); n != "" {
			t.Errorf("family sees alumnus host %q", n)
		}
		if _, err := members.SaveProfile(w.ctx, d, w.alex, members.ProfileInput{Hidden: true, Visibility: members.DefaultVisibility}); err != nil {
			t.Fatal(err)
		}
		if n := name(w.bo, alumnusHosted); n != "" {
			t.Errorf("a hidden host is named to another alumnus: %q", n)
		}
		if n := name(w.coord, alumnusHosted); n != "Alex R." {
			t.Errorf("staff see a hidden host as %q", n)
		}
		if n := name(w.alex, alumnusHosted); n != "Alex R." {
			t.Errorf("the host sees themself as %q", n)
		}
		if _, err := HostName(w.ctx, d, w.stranger, staffHosted); err != access.ErrNotFound {
			t.Errorf("another program: %v", err)
		}
	})
}
