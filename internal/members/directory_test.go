package members

import (
	"errors"
	"slices"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// viewers names each kind of viewer of alex.
func (w *world) viewers() []struct {
	name string
	a    access.Actor
} {
	return []struct {
		name string
		a    access.Actor
	}{
		{"self", w.alex}, {"coach", w.coach}, {"buddy", w.buddy}, {"peer", w.peer},
		{"staff", w.staff}, {"alien", w.alien}, {"family", w.family},
	}
}

// pathwayVisible is the expected answer of the visibility ladder for
// pathways: may this viewer see alex's pathways at visibility v?
var pathwayVisible = map[access.Visibility]map[string]bool{
	access.VisMe:      {"self": true},
	access.VisCoach:   {"self": true, "coach": true},
	access.VisBuddy:   {"self": true, "coach": true, "buddy": true},
	access.VisProgram: {"self": true, "coach": true, "buddy": true, "peer": true, "staff": true},
}

func TestPathwayVisibilityMatrix(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		for _, v := range access.Visibilities {
			vis := DefaultVisibility
			vis.Pathways = v
			w.save(t, w.alex, ProfileInput{City: "Duluth", Pathways: []string{"smart"}, Visibility: vis})
			for _, viewer := range w.viewers() {
				want := pathwayVisible[v][viewer.name]
				seesMember := viewer.name != "alien" && viewer.name != "family"

				// The member page.
				mv, err := ViewMember(w.ctx, d, viewer.a, w.alex.UserID)
				switch {
				case !seesMember:
					if !errors.Is(err, db.ErrNotFound) {
						t.Errorf("%s/%s: member page: %v, want not found", v, viewer.name, err)
					}
				case err != nil:
					t.Errorf("%s/%s: member page: %v", v, viewer.name, err)
				case mv.PathwaysVisible != want || (len(mv.Pathways) > 0) != want:
					t.Errorf("%s/%s: member page shows pathways %v (visible %v), want %v", v, viewer.name, mv.Pathways, mv.PathwaysVisible, want)
				}

				// The directory, filtered by the hidden field, by its label
				// in the free query, and unfiltered.
				for _, f := range []DirectoryFilter{{Pathway: "SMART Recovery"}, {Pathway: "smart"}, {Query: "SMART"}} {
					list, err := Directory(w.ctx, d, viewer.a, f)
					if !seesMember {
						if !errors.Is(err, db.ErrNotFound) && listed(list, w.alex.UserID) {
							t.Errorf("%s/%s: directory %+v lists alex", v, viewer.name, f)
						}
						continue
					}
					if err != nil {
						t.Fatalf("%s/%s: directory: %v", v, viewer.name, err)
					}
					if got := listed(list, w.alex.UserID); got != want {
						t.Errorf("%s/%s: directory %+v lists alex = %v, want %v", v, viewer.name, f, got, want)
					}
				}
				list, err := Directory(w.ctx, d, viewer.a, DirectoryFilter{City: "duluth"})
				if seesMember && (err != nil || !listed(list, w.alex.UserID)) {
					t.Errorf("%s/%s: directory by city: %v, %v", v, viewer.name, err, list)
				}
				for _, mv := range list {
					if mv.ID == w.alex.UserID && mv.PathwaysVisible != want {
						t.Errorf("%s/%s: directory row shows pathways = %v", v, viewer.name, mv.PathwaysVisible)
					}
				}
			}
		}
	})
}

func listed(list []*MemberView, id string) bool {
	return slices.ContainsFunc(list, func(m *MemberView) bool { return m.ID == id })
}

func TestDirectoryHiddenMembers(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		w.save(t, w.alex, ProfileInput{Hidden: true, Interests: []string{"Hiking"}})
		w.save(t, w.peer, ProfileInput{Interests: []string{"Hiking"}})
		for _, viewer := range w.viewers() {
			list, err := Directory(w.ctx, d, viewer.a, DirectoryFilter{})
			if viewer.name == "family" || viewer.name == "alien" {
				if viewer.name == "family" && !errors.Is(err, db.ErrNotFound) {
					t.Errorf("family searched the directory: %v", err)
				}
				if listed(list, w.alex.UserID) || listed(list, w.peer.UserID) {
					t.Errorf("%s sees another program's members", viewer.name)
				}
				continue
			}
			want := viewer.name == "self" || viewer.a.Role.Staff()
			if got := listed(list, w.alex.UserID); got != want {
				t.Errorf("%s: hidden alex listed = %v, want %v", viewer.name, got, want)
			}
			if !listed(list, w.peer.UserID) {
				t.Errorf("%s: peer not listed", viewer.name)
			}
			if listed(list, w.family.UserID) {
				t.Errorf("%s: family member listed", viewer.name)
			}
			for _, m := range list {
				if m.FullName != "" && !viewer.a.Role.Staff() && m.ID != viewer.a.UserID {
					t.Errorf("%s sees the full name of %s", viewer.name, m.DisplayName)
				}
			}
		}
		// The surname is not searchable by peers, but is by staff.
		if list, _ := Directory(w.ctx, d, w.buddy, DirectoryFilter{Query: "Quinn"}); listed(list, w.peer.UserID) {
			t.Error("a peer found a member by surname")
		}
		if list, _ := Directory(w.ctx, d, w.staff, DirectoryFilter{Query: "Quinn"}); !listed(list, w.peer.UserID) {
			t.Error("staff did not find a member by surname")
		}
		if list, _ := Directory(w.ctx, d, w.buddy, DirectoryFilter{Query: "Pat Q."}); !listed(list, w.peer.UserID) {
			t.Error("display name search failed")
		}
		if list, _ := Directory(w.ctx, d, w.buddy, DirectoryFilter{Interest: "hik"}); len(list) != 1 || list[0].ID != w.peer.UserID {
			t.Errorf("interest search = %v", list)
		}
		// A hidden member's page: self, staff, coach and buddy only.
		for _, viewer := range w.viewers() {
			_, err := ViewMember(w.ctx, d, viewer.a, w.alex.UserID)
			want := map[string]bool{"self": true, "staff": true, "coach": true, "buddy": true}[viewer.name]
			if (err == nil) != want {
				t.Errorf("%s: hidden member page: %v, want visible %v", viewer.name, err, want)
			}
		}
		// City filters treat LIKE wildcards as plain characters.
		w.save(t, w.buddy, ProfileInput{City: "Two_Harbors"})
		if list, _ := Directory(w.ctx, d, w.peer, DirectoryFilter{City: "O_H"}); len(list) != 1 || list[0].ID != w.buddy.UserID {
			t.Errorf("city with underscore = %v", list)
		}
		for _, c := range []string{"%", "o%h", "twoxharbors"} {
			if list, _ := Directory(w.ctx, d, w.peer, DirectoryFilter{City: c}); len(list) != 0 {
				t.Errorf("city %q matched %d", c, len(list))
			}
		}
		var verr ValidationError
		if _, err := Directory(w.ctx, d, w.peer, DirectoryFilter{Pathway: "astrology"}); !errors.As(err, &verr) || verr.For("pathway") == "" {
			t.Errorf("unknown pathway filter: %v", err)
		}
	})
}
