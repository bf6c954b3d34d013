package members

import (
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestDirectorySearchFollowsEdits: the free-text search (answered from
// the engine's text index) finds members by any part of a visible field,
// follows profile edits, renames and deletions at once, never finds a
// member hidden from the directory for a peer, and still finds them for
// staff and themselves.
func TestDirectorySearchFollowsEdits(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		found := func(viewer access.Actor, q string) bool {
			t.Helper()
			list, err := Directory(w.ctx, d, viewer, DirectoryFilter{Query: q})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			return listed(list, w.alex.UserID)
		}
		w.save(t, w.alex, ProfileInput{City: "Portland", Interests: []string{"Pottery"}, Languages: []string{"Tagalog"}})
		for _, q := range []string{"ortla", "OTTER", "galo", "lex r"} {
			if !found(w.peer, q) {
				t.Errorf("search %q does not find Alex", q)
			}
		}
		if found(w.peer, "Denver") || found(w.peer, "nothing like it") {
			t.Error("a search found Alex by text Alex does not have")
		}

		w.save(t, w.alex, ProfileInput{City: "Denver", Interests: []string{"Chess"}})
		if found(w.peer, "otter") || found(w.peer, "ortla") || found(w.peer, "galo") {
			t.Error("a search still finds Alex by what Alex removed")
		}
		if !found(w.peer, "enve") || !found(w.peer, "hess") {
			t.Error("a search does not find Alex by the edited profile")
		}

		if _, err := d.Exec(w.ctx, `UPDATE users SET first_name = 'Alexandra' WHERE id = ?`, w.alex.UserID); err != nil {
			t.Fatal(err)
		}
		if !found(w.peer, "andra") {
			t.Error("a search does not find Alex by the new name")
		}

		w.save(t, w.alex, ProfileInput{City: "Denver", Hidden: true})
		if found(w.peer, "enve") {
			t.Error("a peer found a member hidden from the directory")
		}
		if !found(w.staff, "enve") || !found(w.alex, "enve") {
			t.Error("staff or the member could not find a hidden member")
		}

		if _, err := d.Exec(w.ctx, `DELETE FROM profiles WHERE user_id = ?`, w.alex.UserID); err != nil {
			t.Fatal(err)
		}
		if found(w.staff, "enve") {
			t.Error("a search finds a deleted profile's city")
		}
		if !found(w.staff, "andra") {
			t.Error("a search does not find a member without a profile by name")
		}
	})
}
