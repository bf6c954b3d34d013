package conversations

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// rawBodies reads every stored body and nonce, as an attacker with the
// database would.
func rawBodies(t *testing.T, w *world) [][]byte {
	t.Helper()
	rows, err := w.d.Query(w.ctx, `SELECT body, nonce FROM conversation_messages`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b, n []byte
		if err := rows.Scan(&b, &n); err != nil {
			t.Fatal(err)
		}
		out = append(out, b, n)
	}
	return out
}

func TestBodiesAreEncryptedAtRest(t *testing.T) {
	SetKey([]byte("a test secret key of thirty-two bytes"))
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.start(t, w.alex, "", w.peer)
		secret := "I relapsed on Friday and I am scared"
		w.send(t, w.alex, c.ID, secret)
		w.send(t, w.peer, c.ID, secret)
		raw := rawBodies(t, w)
		if len(raw) != 4 {
			t.Fatalf("%d raw values", len(raw))
		}
		for _, b := range raw {
			if bytes.Contains(b, []byte("relapsed")) || bytes.Contains(b, []byte(secret)) {
				t.Fatal("a stored body holds the plaintext")
			}
		}
		if bytes.Equal(raw[0], raw[2]) {
			t.Error("the same text encrypted twice gives the same bytes (nonce reuse)")
		}
		var text string
		if err := d.QueryRow(w.ctx, `SELECT CAST(body AS TEXT) FROM conversation_messages LIMIT 1`).Scan(&text); err == nil && bytes.Contains([]byte(text), []byte("relapsed")) {
			t.Fatal("the body read as text holds the plaintext")
		}
		var wrapped []byte
		if err := d.QueryRow(w.ctx, `SELECT wrapped FROM conversation_keys`).Scan(&wrapped); err != nil || len(wrapped) != 12+32+16 {
			t.Errorf("wrapped key: %d bytes, %v", len(wrapped), err)
		}
		msgs, err := Messages(w.ctx, d, w.peer, c.ID, Page{})
		if err != nil || len(msgs) != 2 || msgs[0].Body != secret {
			t.Fatalf("read back: %+v, %v", msgs, err)
		}
	})
}

func TestKeyRotation(t *testing.T) {
	SetKey([]byte("a test secret key of thirty-two bytes"))
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.start(t, w.alex, "", w.peer)
		for _, b := range []string{"one", "two", "three"} {
			w.send(t, w.alex, c.ID, b)
		}
		// Another program's key and messages are left alone.
		ca := w.start(t, w.alien, "", addUser(t, w.ctx, d, w.other, access.Alumnus, "Ivo", "Kay"))
		w.send(t, w.alien, ca.ID, "elsewhere")
		var oldKey, otherKey string
		if err := d.QueryRow(w.ctx, `SELECT id FROM conversation_keys WHERE program_id = ?`, w.prog).Scan(&oldKey); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(w.ctx, `SELECT id FROM conversation_keys WHERE program_id = ?`, w.other).Scan(&otherKey); err != nil {
			t.Fatal(err)
		}
		before := rawBodies(t, w)
		n, err := RotateKey(w.ctx, d, w.prog)
		if err != nil || n != 3 {
			t.Fatalf("rotate = %d, %v", n, err)
		}
		w.send(t, w.peer, c.ID, "four")
		var keys, stale int
		keys = w.count(t, `SELECT COUNT(*) FROM conversation_keys WHERE program_id = ?`, w.prog)
		stale = w.count(t, `SELECT COUNT(*) FROM conversation_messages WHERE key_id = ?`, oldKey)
		if keys != 1 || stale != 0 {
			t.Errorf("after rotation: %d keys, %d messages under the old key", keys, stale)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM conversation_messages WHERE key_id = ?`, otherKey); n != 1 {
			t.Errorf("the other program's message moved: %d", n)
		}
		after := rawBodies(t, w)
		if bytes.Equal(before[0], after[0]) {
			t.Error("the body did not change on rotation")
		}
		// A fresh process (empty key cache) still reads everything.
		SetKey([]byte("a test secret key of thirty-two bytes"))
		msgs, err := Messages(w.ctx, d, w.peer, c.ID, Page{})
		if err != nil || len(msgs) != 4 || msgs[0].Body != "one" || msgs[3].Body != "four" {
			t.Fatalf("after rotation: %+v, %v", msgs, err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'conversations.key_rotate'`); n != 1 {
			t.Errorf("%d rotation audit entries", n)
		}
		// Rotating twice in a row is fine.
		if _, err := RotateKey(w.ctx, d, w.prog); err != nil {
			t.Fatal(err)
		}
		if msgs, err := Messages(w.ctx, d, w.alex, c.ID, Page{}); err != nil || len(msgs) != 4 {
			t.Fatalf("after a second rotation: %d, %v", len(msgs), err)
		}
	})
}

func TestTamperingIsAClearError(t *testing.T) {
	SetKey([]byte("a test secret key of thirty-two bytes"))
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.start(t, w.alex, "", w.peer)
		m1 := w.send(t, w.alex, c.ID, "first")
		m2 := w.send(t, w.alex, c.ID, "second")
		var body []byte
		if err := d.QueryRow(w.ctx, `SELECT body FROM conversation_messages WHERE id = ?`, m1.ID).Scan(&body); err != nil {
			t.Fatal(err)
		}
		// Swapping two rows' ciphertexts: each is bound to its row.
		var nonce2, body2 []byte
		if err := d.QueryRow(w.ctx, `SELECT nonce, body FROM conversation_messages WHERE id = ?`, m2.ID).Scan(&nonce2, &body2); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(w.ctx, `UPDATE conversation_messages SET nonce = ?, body = ? WHERE id = ?`, nonce2, body2, m1.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := Messages(w.ctx, d, w.alex, c.ID, Page{}); !errors.Is(err, ErrUnreadable) {
			t.Errorf("swapped rows: %v", err)
		}
		// Flipping a bit, cutting the nonce, emptying the body.
		for _, bad := range [][2][]byte{{nil, flip(body)}, {[]byte{1, 2, 3}, body}, {nil, []byte{}}} {
			if bad[0] == nil {
				if _, err := d.Exec(w.ctx, `UPDATE conversation_messages SET body = ? WHERE id = ?`, bad[1], m1.ID); err != nil {
					t.Fatal(err)
				}
			} else if _, err := d.Exec(w.ctx, `UPDATE conversation_messages SET nonce = ? WHERE id = ?`, bad[0], m1.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := Messages(w.ctx, d, w.alex, c.ID, Page{}); !errors.Is(err, ErrUnreadable) {
				t.Errorf("tampered row: %v", err)
			}
		}
		// The list still opens.
		if l, err := List(w.ctx, d, w.alex); err != nil || len(l) != 1 {
			t.Errorf("list with a damaged message = %+v, %v", l, err)
		}
		// The moderation queue still shows it, without its words.
		if c, err := loadReported(w.ctx, d, m1.ID); err != nil || !strings.Contains(c.Excerpt, "cannot be read") {
			t.Errorf("reported damaged message = %+v, %v", c, err)
		}
		// Rotation leaves the unreadable message and says so.
		if n, err := RotateKey(w.ctx, d, w.prog); !errors.Is(err, ErrUnreadable) || n != 1 {
			t.Errorf("rotate with a tampered row = %d, %v", n, err)
		}
		// A different installation secret reads nothing.
		SetKey([]byte("another installation secret key!"))
		if _, err := Messages(w.ctx, d, w.peer, c.ID, Page{After: m1.ID}); !errors.Is(err, ErrUnreadable) {
			t.Errorf("wrong secret: %v", err)
		}
		SetKey([]byte("a test secret key of thirty-two bytes"))
	})
}

func flip(b []byte) []byte {
	out := bytes.Clone(b)
	if len(out) > 0 {
		out[len(out)/2] ^= 0x40
	}
	return out
}
