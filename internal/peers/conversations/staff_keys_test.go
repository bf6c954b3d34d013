package conversations

import (
	"errors"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// An admin sees the program's keys and message counts, asks for a
// rotation once (a second ask while it is pending changes nothing), and
// the job re-encrypts every message under a new key.
func TestMessageKeysAndRotation(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.start(t, w.alex, "", w.peer)
		for _, b := range []string{"one", "two", "three"} {
			w.send(t, w.alex, c.ID, b)
		}
		v, err := MessageKeys(w.ctx, d, w.admin)
		if err != nil || len(v.Keys) != 1 || !v.Keys[0].Active || v.Keys[0].Messages != 3 || v.Pending() != nil {
			t.Fatalf("keys = %+v, %v", v, err)
		}
		oldKey := v.Keys[0].ID
		for _, a := range []access.Actor{w.staff, w.coach, w.alex, w.other2, {}} {
			if _, err := MessageKeys(w.ctx, d, a); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s lists keys: %v", a.Role, err)
			}
			if _, err := RequestRotation(w.ctx, d, a); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s rotates: %v", a.Role, err)
			}
		}
		id, err := RequestRotation(w.ctx, d, w.admin)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := RequestRotation(w.ctx, d, w.admin); err != nil || again != id {
			t.Errorf("second request = %s, %v; want %s", again, err, id)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM river_job WHERE kind = 'conversations_rotate_key'`); n != 1 {
			t.Errorf("%d jobs queued", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'conversations.key_rotate_request' AND actor_id = ?`, w.admin.UserID); n != 1 {
			t.Errorf("%d requests audited", n)
		}
		v, _ = MessageKeys(w.ctx, d, w.admin)
		if p := v.Pending(); p == nil || p.ID != id || p.Status != "queued" || p.RequestedBy != "Ada M." {
			t.Fatalf("pending = %+v", p)
		}

		job := &river.Job[RotateKeyArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: rotateAttempts},
			Args: RotateKeyArgs{ProgramID: w.prog, RotationID: id}}
		if err := NewRotateKeyWorker(d).Work(w.ctx, job); err != nil {
			t.Fatal(err)
		}
		v, _ = MessageKeys(w.ctx, d, w.admin)
		if len(v.Keys) != 1 || v.Keys[0].ID == oldKey || !v.Keys[0].Active || v.Keys[0].Messages != 3 {
			t.Errorf("after rotation keys = %+v", v.Keys)
		}
		if r := v.Rotations[0]; r.Status != "done" || r.Messages != 3 || r.StartedAt.IsZero() || r.FinishedAt.IsZero() || v.Pending() != nil {
			t.Errorf("rotation = %+v", r)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'conversations.key_rotate'`); n != 1 {
			t.Errorf("%d rotations audited", n)
		}
		msgs, err := Messages(w.ctx, d, w.alex, c.ID, Page{})
		if err != nil || len(msgs) != 3 || msgs[2].Body != "three" {
			t.Errorf("after rotation messages = %+v, %v", msgs, err)
		}
		// Once done, a new request is a new rotation.
		if next, err := RequestRotation(w.ctx, d, w.admin); err != nil || next == id {
			t.Errorf("next request = %s, %v", next, err)
		}
	})
}
