package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/metrics"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// metricsEnv is a webEnv with metrics switched on.
func metricsEnv(t *testing.T, d *db.DB) *webEnv {
	t.Helper()
	e := newWebEnv(t, d)
	e.srv.metrics = metrics.New(d)
	return e
}

// scrapeAs requests /metrics from remote with an optional bearer token.
func (e *webEnv) scrapeAs(remote, token string, header http.Header) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest("GET", "http://cairn.test/metrics", nil)
	req.RemoteAddr = remote
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

func TestMetricsRecordRoutePatterns(t *testing.T) {
	e := metricsEnv(t, testkit.SQLite(t))
	cookie := e.signIn(e.users[access.Admin])
	person := e.users[access.Alumnus].ID
	if rec := e.do("GET", "/admin/people/"+person, nil, cookie); rec.Code != http.StatusOK {
		t.Fatalf("person page: status %d", rec.Code)
	}
	if rec := e.do("GET", "/no/such/page/"+person, nil, ""); rec.Code != http.StatusNotFound {
		t.Fatalf("unknown page: status %d", rec.Code)
	}
	// No route takes DELETE: the catch-all answers, as unmatched.
	if rec := e.do("DELETE", "/signin", nil, ""); rec.Code != http.StatusNotFound {
		t.Fatalf("DELETE /signin: status %d", rec.Code)
	}
	if rec := e.do("GET", "/home", nil, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("home as a visitor: status %d", rec.Code)
	}
	// A mounted handler with a mux of its own, like the JSON API: its
	// finer pattern is recorded; paths it does not know count under the
	// mount's pattern.
	api := http.NewServeMux()
	api.HandleFunc("GET /api/v1/things/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) })
	e.srv.api = api
	if rec := e.do("GET", "/api/v1/things/thing-4711", nil, ""); rec.Code != http.StatusAccepted {
		t.Fatalf("mounted handler: status %d", rec.Code)
	}
	if rec := e.do("GET", "/api/v1/elsewhere/thing-4711", nil, ""); rec.Code != http.StatusNotFound {
		t.Fatalf("mounted handler, unknown path: status %d", rec.Code)
	}

	rec := e.scrapeAs("127.0.0.1:40000", "", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape from loopback: status %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`cairn_http_requests_total{method="GET",route="GET /admin/people/{id}",status="200"} 1`,
		`cairn_http_request_duration_seconds_count{method="GET",route="GET /admin/people/{id}"} 1`,
		`cairn_http_requests_total{method="any",route="unmatched",status="404"} 2`,
		`cairn_http_requests_total{method="GET",route="GET /home",status="303"} 1`,
		`cairn_http_requests_total{method="GET",route="GET /api/v1/things/{id}",status="202"} 1`,
		`cairn_http_requests_total{method="any",route="/api/",status="404"} 1`,
		`cairn_live_connections 0`,
		`cairn_jobs{state="available"}`,
		`cairn_outbox_messages{status="queued"}`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(body, person) || strings.Contains(body, "/no/such/page") || strings.Contains(body, "thing-4711") {
		t.Error("a path or an id became a label")
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("content type %q", ct)
	}
}

func TestMountedPattern(t *testing.T) {
	for _, c := range []struct{ pattern, inner, want string }{
		{"GET /admin/people/{id}", "GET /admin/people/{id}", "GET /admin/people/{id}"},
		{"/api/", "GET /api/v1/me", "GET /api/v1/me"},
		{"/api/", "/api/", "/api/"},
		{"/api/", "", "/api/"},
		{"GET /static/", "GET /static/", "GET /static/"},
		{metrics.Unmatched, "/", metrics.Unmatched},
	} {
		if got := mountedPattern(c.pattern, c.inner); got != c.want {
			t.Errorf("mountedPattern(%q, %q) = %q, want %q", c.pattern, c.inner, got, c.want)
		}
	}
}

func TestMetricsAccess(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := metricsEnv(t, d)
		adminToken, _, err := e.auth.CreateToken(ctx, e.users[access.Admin].Actor("test"), "prometheus")
		if err != nil {
			t.Fatal(err)
		}
		coordToken, _, err := e.auth.CreateToken(ctx, e.users[access.Coordinator].Actor("test"), "prometheus")
		if err != nil {
			t.Fatal(err)
		}
		revoked, tok, err := e.auth.CreateToken(ctx, e.users[access.Admin].Actor("test"), "old")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.auth.RevokeToken(ctx, e.users[access.Admin].Actor("test"), tok.ID); err != nil {
			t.Fatal(err)
		}
		adminCookie := e.signIn(e.users[access.Admin])

		const remote = "198.51.100.7:5000"
		forwarded := http.Header{"X-Forwarded-For": {"127.0.0.1"}}
		for _, c := range []struct {
			name       string
			trustProxy bool
			remote     string
			token      string
			header     http.Header
			want       int
		}{
			{"loopback v4", false, "127.0.0.1:5000", "", nil, http.StatusOK},
			{"loopback 127/8", false, "127.3.2.1:5000", "", nil, http.StatusOK},
			{"loopback v6", false, "[::1]:5000", "", nil, http.StatusOK},
			{"loopback with a bad token", false, "127.0.0.1:5000", "cairn_nonsense", nil, http.StatusOK},
			{"remote", false, remote, "", nil, http.StatusNotFound},
			{"remote claiming loopback", false, remote, "", forwarded, http.StatusNotFound},
			{"remote with an admin token", false, remote, adminToken, nil, http.StatusOK},
			{"remote with a coordinator token", false, remote, coordToken, nil, http.StatusNotFound},
			{"remote with a revoked token", false, remote, revoked, nil, http.StatusNotFound},
			{"remote with a malformed token", false, remote, "cairn_nonsense", nil, http.StatusNotFound},
			{"remote with an admin's session", false, remote, "", http.Header{"Cookie": {e.srv.cookieName() + "=" + adminCookie}}, http.StatusNotFound},
			{"behind a proxy, loopback", true, "127.0.0.1:5000", "", nil, http.StatusNotFound},
			{"behind a proxy, forwarded loopback", true, "127.0.0.1:5000", "", forwarded, http.StatusNotFound},
			{"behind a proxy, admin token", true, "127.0.0.1:5000", adminToken, nil, http.StatusOK},
			{"behind a proxy, coordinator token", true, "127.0.0.1:5000", coordToken, nil, http.StatusNotFound},
		} {
			e.cfg.TrustProxy = c.trustProxy
			rec := e.scrapeAs(c.remote, c.token, c.header)
			if rec.Code != c.want {
				t.Errorf("%s: status %d, want %d", c.name, rec.Code, c.want)
				continue
			}
			body := rec.Body.String()
			if c.want == http.StatusNotFound && !strings.Contains(body, "We could not find that page.") {
				t.Errorf("%s: 404 is not the not-found page", c.name)
			}
			if c.want == http.StatusOK && !strings.Contains(body, "# TYPE cairn_jobs gauge") {
				t.Errorf("%s: no metrics in the answer", c.name)
			}
		}
		e.cfg.TrustProxy = false

		// Without metrics configured, the route does not exist for anyone.
		e.srv.metrics = nil
		if rec := e.scrapeAs("127.0.0.1:5000", adminToken, nil); rec.Code != http.StatusNotFound {
			t.Errorf("metrics off: status %d, want 404", rec.Code)
		}
	})
}

func TestMetricsOutboxThroughWeb(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := metricsEnv(t, d)
		var before int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM mail_outbox WHERE status = 'queued'`).Scan(&before); err != nil {
			t.Fatal(err)
		}
		err := d.Tx(ctx, func(tx *db.Tx) error {
			_, err := notify.Enqueue(ctx, tx, notify.Message{ProgramID: e.program.ID, To: "someone@example.test",
				Subject: "Meeting tonight", Text: "See you at seven."})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		body := e.scrapeAs("127.0.0.1:5000", "", nil).Body.String()
		want := `cairn_outbox_messages{status="queued"} ` + strconv.Itoa(before+1) + "\n"
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	})
}

// BenchmarkSigninPageMetrics is BenchmarkSigninPage with request metrics
// switched on, to show what the observation costs.
func BenchmarkSigninPageMetrics(b *testing.B) {
	e := newWebEnv(b, testkit.SQLite(b))
	e.srv.metrics = metrics.New(e.db)
	h := e.srv.Handler()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "http://cairn.test/signin", nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}
