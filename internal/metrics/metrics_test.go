package metrics

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// scrape returns the text exposition of m.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("scrape: status %d: %s", rec.Code, rec.Body.String())
	}
	return rec.Body.String()
}

// wantLines fails unless every line is in body.
func wantLines(t *testing.T, body string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(body, "\n"+l+"\n") {
			t.Errorf("metrics lack %q", l)
		}
	}
}

func TestMetricsFamilies(t *testing.T) {
	m := New(testkit.SQLite(t))
	m.ObserveRequest("GET /admin/people/{id}", 200, 3*time.Millisecond)
	m.ObserveRequest("GET /admin/people/{id}", 200, 40*time.Millisecond)
	m.ObserveRequest("POST /signin", 422, time.Millisecond)
	m.ObserveRequest(Unmatched, 404, time.Millisecond)
	m.SetLiveConnections(func() int { return 7 })
	body := scrape(t, m)
	wantLines(t, body,
		`cairn_http_requests_total{method="GET",route="GET /admin/people/{id}",status="200"} 2`,
		`cairn_http_requests_total{method="POST",route="POST /signin",status="422"} 1`,
		`cairn_http_requests_total{method="any",route="unmatched",status="404"} 1`,
		`cairn_http_request_duration_seconds_count{method="GET",route="GET /admin/people/{id}"} 2`,
		`cairn_http_request_duration_seconds_bucket{method="GET",route="GET /admin/people/{id}",le="0.001"} 0`,
		`cairn_http_request_duration_seconds_bucket{method="GET",route="GET /admin/people/{id}",le="0.005"} 1`,
		`cairn_http_request_duration_seconds_bucket{method="GET",route="GET /admin/people/{id}",le="2"} 2`,
		`cairn_live_connections 7`,
		`cairn_jobs{state="available"} 0`,
		`cairn_outbox_messages{status="queued"} 0`,
	)
	for _, family := range []string{"# TYPE go_goroutines gauge", "# TYPE process_resident_memory_bytes gauge",
		"# TYPE cairn_jobs gauge", "# TYPE cairn_outbox_messages gauge", "# TYPE cairn_http_request_duration_seconds histogram"} {
		if !strings.Contains(body, family) {
			t.Errorf("metrics lack %q", family)
		}
	}

	m.SetLiveConnections(nil)
	wantLines(t, scrape(t, m), `cairn_live_connections 0`)
}

func TestPatternMethod(t *testing.T) {
	for pattern, want := range map[string]string{
		"GET /admin/people/{id}": "GET",
		"POST /signin":           "POST",
		"/static/":               "any",
		Unmatched:                "any",
		"":                       "any",
		"GET ":                   "any",
	} {
		if got := patternMethod(pattern); got != want {
			t.Errorf("patternMethod(%q) = %q, want %q", pattern, got, want)
		}
	}
}

func TestSeriesAreBounded(t *testing.T) {
	m := New(testkit.SQLite(t))
	for i := range maxSeries + 10 {
		m.ObserveRequest("GET /p"+strconv.Itoa(i), 200, time.Millisecond)
	}
	if n := m.nseries.Load(); n > maxSeries+1 {
		t.Fatalf("%d series kept, want at most %d", n, maxSeries+1)
	}
	if !strings.Contains(scrape(t, m), `route="other",status="200"} 10`) {
		t.Error("requests beyond the series bound are not counted under route=\"other\"")
	}
}

func TestJobAndOutboxGauges(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		p, err := programs.Create(ctx, d, programs.Settings{Name: "Metrics Program", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		err = d.Tx(ctx, func(tx *db.Tx) error {
			for i := range 3 {
				if _, err := notify.Enqueue(ctx, tx, notify.Message{ProgramID: p.ID, To: "someone@example.test",
					Subject: "Hello", Text: "Hello " + strconv.Itoa(i)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE mail_outbox SET status = 'failed' WHERE id IN (SELECT id FROM mail_outbox LIMIT 1)`); err != nil {
			t.Fatal(err)
		}
		for _, state := range []string{"available", "available", "retryable"} {
			if _, err := d.Exec(ctx, `INSERT INTO river_job (args, kind, max_attempts, state) VALUES ('{}', 'metrics_test', 3, '`+state+`')`); err != nil {
				t.Fatal(err)
			}
		}

		body := scrape(t, New(d))
		wantLines(t, body,
			`cairn_outbox_messages{status="queued"} 2`,
			`cairn_outbox_messages{status="failed"} 1`,
			`cairn_outbox_messages{status="sent"} 0`,
			`cairn_jobs{state="available"} 2`,
			`cairn_jobs{state="retryable"} 1`,
			`cairn_jobs{state="running"} 0`,
		)
		if strings.Contains(body, `cairn_metrics_query_errors_total{`) {
			t.Errorf("a scrape query failed:\n%s", body)
		}
	})
}

func TestFailedQueryLeavesFamilyOut(t *testing.T) {
	d := testkit.SQLite(t)
	m := New(d)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	// The error counter may be gathered before or after the failing
	// query within one scrape; the second scrape sees the first's errors.
	scrape(t, m)
	body := scrape(t, m)
	if strings.Contains(body, "cairn_jobs{") || strings.Contains(body, "cairn_outbox_messages{") {
		t.Error("a failed query still reported counts")
	}
	for _, q := range []string{"jobs", "outbox"} {
		prefix := `cairn_metrics_query_errors_total{query="` + q + `"} `
		if !strings.Contains(body, "\n"+prefix+"1\n") && !strings.Contains(body, "\n"+prefix+"2\n") {
			t.Errorf("the failed %s query was not counted", q)
		}
	}
}

// BenchmarkObserveRequest measures what recording one request costs.
func BenchmarkObserveRequest(b *testing.B) {
	m := New(testkit.SQLite(b))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.ObserveRequest("GET /signin", 200, 3*time.Millisecond)
		}
	})
}
