package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// BenchmarkEventsPage measures an alumnus' events page (the upcoming list,
// first page) in a program with 10,000 events whose occurrences fall in
// the next three months, at 64 concurrent requests; it reports the p99
// latency as p99-ms (figures in BENCHMARKS.md).
func BenchmarkEventsPage(b *testing.B) {
	e := newWebEnv(b, testkit.SQLite(b))
	for i := range 10000 {
		evwEvent(b, e, events.Input{Title: fmt.Sprintf("Gathering %d", i), Kind: events.Activity,
			Start: evwStart(e, 1+i%90), Capacity: 20})
	}
	cookie := e.signIn(e.users[access.Alumnus])
	h := e.srv.Handler()
	var mu sync.Mutex
	var lat []time.Duration
	b.ReportAllocs()
	b.SetParallelism(32) // with 2 CPUs: 64 goroutines
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			start := time.Now()
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", "http://cairn.test/events", nil)
			req.AddCookie(&http.Cookie{Name: e.srv.cookieName(), Value: cookie})
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	if len(lat) > 0 {
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}
