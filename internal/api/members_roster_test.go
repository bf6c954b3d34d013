package api

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

func TestRosterImportAPI(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		admin, _ := e.token(e.user(e.program, access.Admin, "admin@driftwood.test", "Morgan", "Ellis"))
		coach, _ := e.token(e.user(e.program, access.Coach, "coach@driftwood.test", "Casey", "Lee"))
		e.user(e.other, access.Alumnus, "taken@other.test", "Taken", "Elsewhere")
		invitations := func() int {
			var n int
			if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM invitations`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		good := "\xef\xbb\xbfFirst_Name;Email;Coach_Email\nAna;ana@example.org;coach@driftwood.test\nBo;bo@example.org;\n"
		bad := "first_name,email\nAna,ana@example.org\nBo,taken@other.test\n"

		rec := e.do(req{method: "POST", path: "/api/v1/roster-imports?dry_run=true", bearer: admin, contentType: "text/csv", body: good})
		out := decode[rosterImportJSON](t, rec)
		if rec.Code != http.StatusOK || !out.DryRun || out.Imported || out.New != 2 || len(out.Rows) != 2 || out.Rows[0].Status != "new" {
			t.Errorf("dry run: %d %+v", rec.Code, out)
		}
		if n := invitations(); n != 0 {
			t.Errorf("dry run invited %d", n)
		}

		rec = e.do(req{method: "POST", path: "/api/v1/roster-imports", bearer: admin, contentType: "text/csv", body: bad})
		out = rosterImportJSON{}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("422 body: %v", err)
		}
		if rec.Code != http.StatusUnprocessableEntity || out.Imported || len(out.Errors) != 1 || out.Errors[0].Row != 3 ||
			out.Errors[0].Column != "email" || !strings.Contains(out.Errors[0].Reason, "already has an account") ||
			strings.Contains(rec.Body.String(), "Other Program") {
			t.Errorf("bad file: %d %s", rec.Code, rec.Body)
		}
		if n := invitations(); n != 0 {
			t.Errorf("bad file invited %d", n)
		}

		rec = e.do(req{method: "POST", path: "/api/v1/roster-imports", bearer: admin, contentType: "text/csv; charset=utf-8", body: good})
		out = decode[rosterImportJSON](t, rec)
		if rec.Code != http.StatusOK || !out.Imported || out.New != 2 {
			t.Errorf("import: %d %+v", rec.Code, out)
		}
		rec = e.do(req{method: "POST", path: "/api/v1/roster-imports", bearer: admin, contentType: "text/csv", body: good})
		out = decode[rosterImportJSON](t, rec)
		if rec.Code != http.StatusOK || out.New != 0 || out.Existing != 2 || invitations() != 2 {
			t.Errorf("re-import: %d %+v", rec.Code, out)
		}

		problem(t, e.do(req{method: "POST", path: "/api/v1/roster-imports", bearer: coach, contentType: "text/csv", body: good}), http.StatusNotFound, "")
		problem(t, e.do(req{method: "POST", path: "/api/v1/roster-imports", bearer: admin, contentType: "application/json", body: good}), http.StatusUnsupportedMediaType, "")
		problem(t, e.do(req{method: "POST", path: "/api/v1/roster-imports?dry_run=maybe", bearer: admin, contentType: "text/csv", body: good}), http.StatusBadRequest, "dry_run")
		big := "first_name,email\n" + strings.Repeat("x", 5<<20)
		problem(t, e.do(req{method: "POST", path: "/api/v1/roster-imports", bearer: admin, contentType: "text/csv", body: big}), http.StatusRequestEntityTooLarge, "")
	})
}

func TestMyExportAPI(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		u := e.user(e.program, access.Alumnus, "al@driftwood.test", "Al", "Ng")
		tok, _ := e.token(u)
		e.notification(u, "Welcome")
		rec := e.do(req{method: "GET", path: "/api/v1/me/export", bearer: tok})
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment;") {
			t.Fatalf("export: %d %v", rec.Code, rec.Header())
		}
		var doc struct {
			Format  string
			Account struct{ ID, Email, Program string }
			Records map[string][]map[string]any
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Format != "cairn-my-data/1" || doc.Account.ID != u.ID || doc.Account.Program != e.program.Name ||
			len(doc.Records["notifications"]) != 1 || len(doc.Records["api_tokens"]) != 1 {
			t.Errorf("export = %+v", doc)
		}
		if strings.Contains(rec.Body.String(), "token_hash") {
			t.Error("export carries a token hash")
		}
		// The API builds the same whole export as the page (internal/mydata).
		for _, k := range []string{"circle_posts", "conversation_messages", "buddy_proposals"} {
			if _, ok := doc.Records[k]; !ok {
				t.Errorf("export has no %s section", k)
			}
		}
		problem(t, e.do(req{method: "GET", path: "/api/v1/me/export"}), http.StatusUnauthorized, "")
	})
}
