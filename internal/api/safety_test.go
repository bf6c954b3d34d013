package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestSafetyAPI(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEvEnv(t, d)
		block := func(id string) string { return `{"user_id": "` + id + `"}` }
		problem(t, e.call(e.alex, "POST", "/api/v1/blocks", `{}`), http.StatusBadRequest, "user_id")
		problem(t, e.call(e.alex, "POST", "/api/v1/blocks", `{"user_id": 7}`), http.StatusBadRequest, "user_id")
		problem(t, e.call(e.alex, "POST", "/api/v1/blocks", `{"user": "x"}`), http.StatusBadRequest, "user")
		problem(t, e.call(e.alex, "POST", "/api/v1/blocks", block(e.alex.ID)), http.StatusBadRequest, "user_id")
		problem(t, e.call(e.alex, "POST", "/api/v1/blocks", block(e.coach.ID)), http.StatusBadRequest, "user_id")
		problem(t, e.call(e.alex, "POST", "/api/v1/blocks", block(e.outsider.ID)), http.StatusNotFound, "")
		problem(t, e.call(e.coach, "POST", "/api/v1/blocks", block(e.alex.ID)), http.StatusNotFound, "")
		for i := 0; i < 2; i++ {
			if rec := e.call(e.alex, "POST", "/api/v1/blocks", block(e.blair.ID)); rec.Code != http.StatusNoContent {
				t.Fatalf("block: %d %s", rec.Code, rec.Body)
			}
		}
		if n := e.count(`SELECT COUNT(*) FROM blocks WHERE blocker_id = ? AND blocked_id = ?`, e.alex.ID, e.blair.ID); n != 1 {
			t.Errorf("%d blocks", n)
		}
		// Neither sees the other's profile through the API, whoever blocked.
		problem(t, e.call(e.blair, "GET", "/api/v1/members/"+e.alex.ID, ""), http.StatusNotFound, "")
		problem(t, e.call(e.alex, "GET", "/api/v1/members/"+e.blair.ID, ""), http.StatusNotFound, "")
		// Blair cannot report Alex now: Alex is out of sight.
		report := func(id, reason string) string {
			return `{"kind": "person", "id": "` + id + `", "reason": "` + reason + `", "note": "rude"}`
		}
		problem(t, e.call(e.blair, "POST", "/api/v1/reports", report(e.alex.ID, "spam")), http.StatusNotFound, "")
		if rec := e.call(e.alex, "DELETE", "/api/v1/blocks/"+e.blair.ID, ""); rec.Code != http.StatusNoContent {
			t.Fatalf("unblock: %d %s", rec.Code, rec.Body)
		}
		if rec := e.call(e.blair, "GET", "/api/v1/members/"+e.alex.ID, ""); rec.Code != http.StatusOK {
			t.Errorf("profile after unblock: %d %s", rec.Code, rec.Body)
		}
		problem(t, e.call(e.blair, "POST", "/api/v1/reports", report(e.alex.ID, "rude")), http.StatusBadRequest, "reason")
		problem(t, e.call(e.blair, "POST", "/api/v1/reports", `{"kind": "spaceship", "id": "x", "reason": "spam"}`), http.StatusBadRequest, "kind")
		problem(t, e.call(e.outsider, "POST", "/api/v1/reports", report(e.alex.ID, "spam")), http.StatusNotFound, "")
		first := evOK[reportJSON](t, e.call(e.blair, "POST", "/api/v1/reports", report(e.alex.ID, "spam")), http.StatusCreated)
		again := evOK[reportJSON](t, e.call(e.blair, "POST", "/api/v1/reports", report(e.alex.ID, "spam")), http.StatusCreated)
		if first.ID == "" || again.ID != first.ID {
			t.Errorf("reports %q and %q", first.ID, again.ID)
		}
		problem(t, e.call(nil, "POST", "/api/v1/reports", report(e.alex.ID, "spam")), http.StatusUnauthorized, "")
	})
}

// FuzzSafetyJSON sends any body to the block and report endpoints: every
// answer is a success or a problem naming a field, never a 500.
func FuzzSafetyJSON(f *testing.F) {
	for _, s := range []string{`{"user_id": "x"}`, `{"kind": "person", "id": "x", "reason": "spam", "note": ""}`,
		`{"kind": 1}`, `[]`, `{"note": "\u0000"}`, `{"user_id": "` + strings.Repeat("é", 40) + `"}`, `{} {}`, ``, `nul`} {
		f.Add(s)
	}
	d := testkit.SQLite(f)
	ctx := context.Background()
	a := auth.New(d, auth.Options{SecretKey: []byte("0123456789abcdef0123456789abcdef"), BaseURL: "http://cairn.test",
		Argon: auth.CheapArgon2ParamsForTests()})
	h := New(Deps{DB: d, Auth: a, Logger: slog.New(slog.DiscardHandler), CookieName: "cairn_session", MaxBodyBytes: 4096})
	p, err := programs.Create(ctx, d, programs.Settings{Name: "Fuzz", TimeZone: "UTC"})
	if err != nil {
		f.Fatal(err)
	}
	u, err := a.CreateUser(ctx, access.System(p.ID), auth.NewUser{ProgramID: p.ID, Email: "fuzz@example.test", FirstName: "Fu",
		Role: access.Alumnus, Password: testPassword})
	if err != nil {
		f.Fatal(err)
	}
	raw, _, err := a.CreateToken(ctx, u.Actor("fuzz"), "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/api/v1/blocks", "/api/v1/reports"} {
			r := httptest.NewRequest("POST", "http://cairn.test"+path, strings.NewReader(body))
			r.Header.Set("Authorization", "Bearer "+raw)
			r.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code >= 500 {
				t.Fatalf("%s %q: %d %s", path, body, rec.Code, rec.Body)
			}
		}
	})
}
