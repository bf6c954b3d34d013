package conversations

import (
	"fmt"
	"sync"
	"testing"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// Messages sent while the key is rotated (a send can read the old key
// just before the new one is made active) are all readable afterwards,
// with their key kept, from a fresh process too; the rotation does not
// fail on them.
func TestSendsDuringKeyRotation(t *testing.T) {
	SetKey([]byte("a test secret key of thirty-two bytes"))
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.start(t, w.alex, "", w.peer)
		g := w.start(t, w.bo, "Walkers", w.alex, w.peer)
		w.send(t, w.alex, c.ID, "before")
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Go(func() {
				for j := range 10 {
					id, who := c.ID, w.alex
					if i%2 == 1 {
						id, who = g.ID, w.bo
					}
					if _, _, err := Send(w.ctx, d, who, id, fmt.Sprintf("during %d.%d", i, j)); err != nil {
						t.Errorf("send: %v", err)
					}
				}
			})
		}
		wg.Go(func() {
			for range 3 {
				if _, err := RotateKey(w.ctx, d, w.prog); err != nil {
					t.Errorf("rotate: %v", err)
				}
			}
		})
		wg.Wait()
		SetKey([]byte("a test secret key of thirty-two bytes")) // a fresh process
		msgs, err := loadMessages(w.ctx, d, `SELECT `+messageCols+` FROM conversation_messages WHERE program_id = ?`, []any{w.prog})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 41 {
			t.Errorf("%d messages, want 41", len(msgs))
		}
		for _, m := range msgs {
			if _, err := decrypt(w.ctx, d, m.keyID, m.convID, m.id, m.nonce, m.body); err != nil {
				t.Errorf("message %s under key %s: %v", m.id, m.keyID, err)
			}
		}
		if n := w.count(t, `SELECT COUNT(*) FROM conversation_keys WHERE program_id = ? AND active`, w.prog); n != 1 {
			t.Errorf("%d active keys", n)
		}
	})
}
