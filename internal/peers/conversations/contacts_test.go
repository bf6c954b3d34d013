package conversations

import (
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestContacts(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		w.block(t, w.bo, w.alex)
		if _, err := d.Exec(w.ctx, `INSERT INTO profiles (user_id, program_id, hidden, updated_at) VALUES (?, ?, TRUE, ?)`,
			w.stranger.UserID, w.prog, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		names := func(a access.Actor) map[string]bool {
			t.Helper()
			list, err := Contacts(w.ctx, d, a)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]bool{}
			for _, c := range list {
				out[c.Name] = true
			}
			return out
		}
		got := names(w.alex)
		want := map[string]bool{"Casey M.": true, "Pat Q.": true, "Sam O.": true, "Fran R.": true}
		if len(got) != len(want) {
			t.Errorf("alex's contacts = %v, want %v", got, want)
		}
		for n := range want {
			if !got[n] {
				t.Errorf("alex cannot reach %s: %v", n, got)
			}
		}
		if got := names(w.staff); !got["Sol V."] || !got["Bo L."] || got["Ada M."] || got["Ola N."] {
			t.Errorf("coordinator's contacts = %v", got)
		}
		if got := names(w.family); len(got) != 3 || !got["Alex R."] || !got["Casey M."] || !got["Sam O."] {
			t.Errorf("family's contacts = %v", got)
		}
		// Everyone listed can be written to.
		for _, a := range []access.Actor{w.alex, w.staff, w.family, w.coach} {
			list, _ := Contacts(w.ctx, d, a)
			for _, c := range list {
				if _, _, err := Start(w.ctx, d, a, NewConversation{MemberIDs: []string{c.UserID}}); err != nil {
					t.Errorf("%s listed %s but cannot write: %v", a.Role, c.Name, err)
				}
			}
		}
	})
}
