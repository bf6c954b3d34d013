package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// uploadRoster posts csv as the file of the upload form.
func uploadRoster(e *webEnv, cookie, csv string) *httptest.ResponseRecorder {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "roster.csv")
	if err != nil {
		e.t.Fatal(err)
	}
	_, _ = fw.Write([]byte(csv))
	_ = mw.Close()
	req := httptest.NewRequest("POST", "http://cairn.test/admin/roster", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: e.srv.cookieName(), Value: cookie})
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

var rosterPreviewPath = regexp.MustCompile(`^/admin/roster/[0-9a-f-]{36}$`)

func TestRosterUploadPreviewConfirm(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		admin := e.signIn(e.users[access.Admin])
		coordinator := e.signIn(e.users[access.Coordinator])
		count := func() int {
			var n int
			if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM invitations`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		// A file with a bad row: the preview names it and offers no import.
		rec := uploadRoster(e, admin, "first_name;email\nAna;ana@example.org\nBo;bo@@example.org\n")
		loc := rec.Header().Get("Location")
		if rec.Code != http.StatusSeeOther || !rosterPreviewPath.MatchString(loc) {
			t.Fatalf("upload: %d %q", rec.Code, loc)
		}
		rec = e.do("GET", loc, nil, admin)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Row 3, column <code>email</code>") ||
			strings.Contains(rec.Body.String(), "/import\"") {
			t.Errorf("preview of a bad file: %d %s", rec.Code, rec.Body)
		}
		if rec := e.do("POST", loc+"/import", nil, admin); rec.Code != http.StatusUnprocessableEntity || count() != 0 {
			t.Errorf("import of a bad file: %d, %d invitations", rec.Code, count())
		}

		// A good file: preview, then confirm.
		rec = uploadRoster(e, admin, "\xef\xbb\xbfFirst_Name,Email\nAna,ana@example.org\nAl,alumnus@example.test\n")
		loc = rec.Header().Get("Location")
		rec = e.do("GET", loc, nil, admin)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, "1 new person will be invited") || !strings.Contains(body, "Already here (no change)") {
			t.Errorf("preview: %d %s", rec.Code, body)
		}
		if count() != 0 {
			t.Error("the preview invited someone")
		}
		// Another staff member cannot open or confirm someone else's upload.
		if rec := e.do("GET", loc, nil, coordinator); rec.Code != http.StatusNotFound {
			t.Errorf("coordinator opens the admin's upload: %d", rec.Code)
		}
		if rec := e.do("POST", loc+"/import", nil, coordinator); rec.Code != http.StatusNotFound {
			t.Errorf("coordinator confirms the admin's upload: %d", rec.Code)
		}
		rec = e.do("POST", loc+"/import", nil, admin)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "1 person was invited") || count() != 1 {
			t.Errorf("import: %d %d %s", rec.Code, count(), rec.Body)
		}
		// The upload is gone once imported.
		if rec := e.do("POST", loc+"/import", nil, admin); rec.Code != http.StatusNotFound || count() != 1 {
			t.Errorf("second confirm: %d, %d invitations", rec.Code, count())
		}
		if rec := uploadRoster(e, e.signIn(e.users[access.Coach]), "first_name,email\nA,a@example.org\n"); rec.Code != http.StatusNotFound {
			t.Errorf("coach upload: %d", rec.Code)
		}
	})
}
