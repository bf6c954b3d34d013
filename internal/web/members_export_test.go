package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestMyDataExportAndDeletion(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		al := e.users[access.Alumnus]
		alumnus := e.signIn(al)
		admin := e.signIn(e.users[access.Admin])

		rec := e.do("GET", "/account/export", nil, alumnus)
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment;") ||
			!strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("export: %d %v", rec.Code, rec.Header())
		}
		var doc struct {
			Account struct{ ID, Email string }
			Records map[string][]map[string]any
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc.Account.ID != al.ID || doc.Account.Email != al.Email {
			t.Errorf("export body: %v %+v", err, doc.Account)
		}
		// The page builds the whole export (internal/mydata), sections included.
		for _, k := range []string{"notifications", "circle_posts", "conversation_messages", "buddy_proposals"} {
			if _, ok := doc.Records[k]; !ok {
				t.Errorf("export has no %s section: %v", k, doc.Records)
			}
		}

		rec = e.do("GET", "/account/data", nil, alumnus)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `action="/account/delete-request"`) {
			t.Errorf("my data page: %d", rec.Code)
		}
		if rec := e.do("POST", "/account/delete-request", nil, alumnus); rec.Code != http.StatusSeeOther {
			t.Fatalf("delete request: %d", rec.Code)
		}
		if rec := e.do("GET", "/account/data", nil, alumnus); !strings.Contains(rec.Body.String(), "You asked for your account to be deleted") {
			t.Errorf("pending request not shown")
		}
		rec = e.do("GET", "/admin/deletions", nil, admin)
		body := rec.Body.String()
		i := strings.Index(body, `action="/admin/deletions/`)
		if rec.Code != http.StatusOK || i < 0 || !strings.Contains(body, "Alex R.") {
			t.Fatalf("admin list: %d %s", rec.Code, body)
		}
		action := body[i+len(`action="`):]
		action = action[:strings.IndexByte(action, '"')]
		if rec := e.do("POST", action, nil, admin); rec.Code != http.StatusSeeOther {
			t.Fatalf("confirm: %d", rec.Code)
		}
		// The alumnus is signed out everywhere and anonymised.
		if rec := e.do("GET", "/account/data", nil, alumnus); rec.Code != http.StatusSeeOther {
			t.Errorf("deleted account's session still works: %d", rec.Code)
		}
		var email, first string
		if err := d.QueryRow(context.Background(), `SELECT email, first_name FROM users WHERE id = ?`, al.ID).Scan(&email, &first); err != nil {
			t.Fatal(err)
		}
		if email != "deleted-"+al.ID+"@invalid" || first != "Former member" {
			t.Errorf("after deletion: %q %q", email, first)
		}
	})
}
