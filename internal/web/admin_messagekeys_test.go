package web

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/jobs"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// An admin sees the program's message keys and counts, rotates the key
// with the button, and the background job re-encrypts the messages; the
// page shows the rotation waiting, then done. Others get the not-found
// page.
func TestAdminMessageKeysRotate(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := admEnv(t, d)
		ctx := context.Background()
		alex := e.users[access.Alumnus].Actor("test")
		c, _, err := conversations.Start(ctx, e.db, alex, conversations.NewConversation{
			MemberIDs: []string{e.users[access.Coach].ID}, Body: "first words"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := conversations.Send(ctx, e.db, alex, c.ID, "second words"); err != nil {
			t.Fatal(err)
		}
		var oldKey string
		if err := d.QueryRow(ctx, `SELECT id FROM conversation_keys WHERE program_id = ? AND active`, e.program.ID).Scan(&oldKey); err != nil {
			t.Fatal(err)
		}
		admin, _ := admSession(t, e, e.users[access.Admin])
		coord, _ := admSession(t, e, e.users[access.Coordinator])

		rec := admRequest(t, e, http.MethodGet, "/admin", nil, admin, "")
		admCheck{status: http.StatusOK, contains: []string{`href="/admin/message-keys"`}}.verify(t, "admin index", rec, rec.Body.String())
		rec = admRequest(t, e, http.MethodGet, "/admin/message-keys", nil, admin, "")
		admCheck{status: http.StatusOK, contains: []string{oldKey, "Active", "<td>2</td>", "Rotate the message key"},
			lacks: []string{"first words"}}.verify(t, "keys page", rec, rec.Body.String())
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			path := "/admin/message-keys"
			if m == http.MethodPost {
				path += "/rotate"
			}
			rec = admRequest(t, e, m, path, nil, coord, "")
			admCheck{status: http.StatusNotFound}.verify(t, "coordinator "+m, rec, rec.Body.String())
		}

		rec = admRequest(t, e, http.MethodPost, "/admin/message-keys/rotate", nil, admin, "")
		admCheck{status: http.StatusSeeOther, location: "/admin/message-keys?done=key-rotation"}.verify(t, "rotate", rec, rec.Body.String())
		rec = admRequest(t, e, http.MethodGet, "/admin/message-keys?done=key-rotation", nil, admin, "")
		admCheck{status: http.StatusOK, contains: []string{"The rotation has started", "waiting to run"},
			lacks: []string{"Rotate the message key</button>"}}.verify(t, "queued", rec, rec.Body.String())
		if n := len(admAudit(t, e, "conversations.key_rotate_request")); n != 1 {
			t.Errorf("%d requests audited", n)
		}

		// The job runner picks it up.
		j, err := jobs.NewWithOptions(e.db, slog.New(slog.DiscardHandler), jobs.Options{FetchPollInterval: 50 * time.Millisecond, TestOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		jobs.Register(j, conversations.NewRotateKeyWorker(e.db))
		if err := j.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = j.Stop(ctx)
		})
		deadline := time.Now().Add(30 * time.Second)
		for {
			v, err := conversations.MessageKeys(ctx, e.db, e.users[access.Admin].Actor("test"))
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Rotations) == 1 && v.Rotations[0].Status == "done" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("rotation not done: %+v", v.Rotations)
			}
			time.Sleep(20 * time.Millisecond)
		}
		rec = admRequest(t, e, http.MethodGet, "/admin/message-keys", nil, admin, "")
		admCheck{status: http.StatusOK, contains: []string{"Done", "Rotate the message key</button>", "<td>2</td>"},
			lacks: []string{oldKey}}.verify(t, "done", rec, rec.Body.String())
		msgs, err := conversations.Messages(ctx, e.db, alex, c.ID, conversations.Page{})
		if err != nil || len(msgs) != 2 || msgs[1].Body != "second words" {
			t.Errorf("messages after rotation = %+v, %v", msgs, err)
		}
	})
}
