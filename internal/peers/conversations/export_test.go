package conversations

import (
	"testing"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestExportMineShowsWhatThePagesShow: the export holds exactly the
// messages the conversation page shows (people in a block with the
// member left out, whoever blocked whom), decrypted; a hidden message has
// no body unless the member wrote it; a damaged one is marked unreadable
// without failing the download; conversations the member is not in are
// not there.
func TestExportMineShowsWhatThePagesShow(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		g := w.start(t, w.alex, "Walkers", w.peer, w.bo)
		mine := w.send(t, w.alex, g.ID, "Alex to the walkers")
		w.send(t, w.peer, g.ID, "Pat to the walkers")
		bos := w.send(t, w.bo, g.ID, "Bo to the walkers")
		later := w.send(t, w.bo, g.ID, "Bo again")
		other := w.start(t, w.peer, "", w.bo)
		w.send(t, w.peer, other.ID, "Pat to Bo only")
		w.block(t, w.peer, w.alex) // against Alex: Pat's messages are hidden from Alex
		for _, id := range []string{mine.ID, bos.ID} {
			if _, err := d.Exec(w.ctx, `UPDATE conversation_messages SET hidden = TRUE WHERE id = ?`, id); err != nil {
				t.Fatal(err)
			}
		}

		page, err := Messages(w.ctx, d, w.alex, g.ID, Page{Limit: MaxPage})
		if err != nil {
			t.Fatal(err)
		}
		shown := map[string]bool{}
		for _, m := range page {
			shown[m.ID] = true
		}
		if _, err := d.Exec(w.ctx, `UPDATE conversation_messages SET body = ? WHERE id = ?`, []byte("damaged"), later.ID); err != nil {
			t.Fatal(err)
		}

		recs, err := ExportMine(w.ctx, d, w.alex)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(recs["conversations"]); n != 1 || recs["conversations"][0]["id"] != g.ID || recs["conversations"][0]["title"] != "Walkers" {
			t.Errorf("conversations = %v", recs["conversations"])
		}
		if n := len(recs["conversation_members"]); n != 1 {
			t.Errorf("conversation_members = %v", recs["conversation_members"])
		}
		got := map[string]map[string]any{}
		for _, m := range recs["conversation_messages"] {
			got[m["id"].(string)] = m
		}
		if len(got) != len(shown) {
			t.Errorf("export has %d messages, the page shows %d", len(got), len(shown))
		}
		for id := range shown {
			if got[id] == nil {
				t.Errorf("message %s shown on the page is not exported", id)
			}
		}
		if m := got[mine.ID]; m == nil || m["body"] != "Alex to the walkers" || m["hidden"] != true || m["mine"] != true {
			t.Errorf("Alex's hidden message = %v", m)
		}
		if m := got[bos.ID]; m == nil || m["body"] != nil || m["hidden"] != true {
			t.Errorf("Bo's hidden message = %v", m)
		}
		if m := got[later.ID]; m == nil || m["unreadable"] != true || m["body"] != nil {
			t.Errorf("damaged message = %v", m)
		}
		for _, m := range got {
			if m["author_id"] == w.peer.UserID {
				t.Errorf("a message of someone who blocked Alex is exported: %v", m)
			}
		}
	})
}
