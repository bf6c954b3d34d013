package members

import (
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestDirectoryFreeTextFindsEveryField: the SQL pre-filter of free-text
// searches never drops a member the search should find, whichever visible
// field matches; a hidden pathway still never matches.
func TestDirectoryFreeTextFindsEveryField(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		vis := DefaultVisibility
		vis.Pathways = access.VisProgram
		w.save(t, w.alex, ProfileInput{City: "Austin", Languages: []string{"Spanish"}, Interests: []string{"Guitar"},
			Pathways: []string{"smart"}, Visibility: vis})
		hidden := DefaultVisibility
		hidden.Pathways = access.VisMe
		w.save(t, w.buddy, ProfileInput{Pathways: []string{"faith"}, Visibility: hidden})
		find := func(q string) map[string]bool {
			t.Helper()
			list, err := Directory(w.ctx, d, w.peer, DirectoryFilter{Query: q})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			got := map[string]bool{}
			for _, m := range list {
				got[m.ID] = true
			}
			return got
		}
		for _, q := range []string{"austin", "SPANISH", "guitar", "SMART", "Recovery", "Alex", "Alex R", "Alex R.", "alex"} {
			if !find(q)[w.alex.UserID] {
				t.Errorf("search %q does not find Alex", q)
			}
		}
		if find("Faith")[w.buddy.UserID] {
			t.Error("a pathway hidden from the searcher matched")
		}
		if find("Rivera")[w.alex.UserID] {
			t.Error("a peer found Alex by surname")
		}
	})
}
