package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

// TestRSVPRequests checks the RSVP target's requests: each worker uses its
// own token, alternates yes and no on one occurrence, then moves on, and
// workers start on different occurrences.
func TestRSVPRequests(t *testing.T) {
	wd := &eventsWorld{tokens: []string{"t0", "t1"}}
	targets := []occRef{{"e1", "2026-12-01"}, {"e1", "2026-12-02"}, {"e2", "2026-12-03"}, {"e2", "2026-12-04"}}
	ctx := context.Background()
	for worker, want := range [][]string{
		{"e1/occurrences/2026-12-01 yes", "e1/occurrences/2026-12-01 no", "e1/occurrences/2026-12-02 yes", "e1/occurrences/2026-12-02 no"},
		{"e2/occurrences/2026-12-03 yes", "e2/occurrences/2026-12-03 no", "e2/occurrences/2026-12-04 yes", "e2/occurrences/2026-12-04 no"},
	} {
		next := wd.rsvps("http://127.0.0.1:1", targets, 2)(worker)
		for i, w := range want {
			req, err := next(ctx)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(req.Body)
			path, status, _ := strings.Cut(w, " ")
			if req.Method != "PUT" || req.URL.Path != "/api/v1/events/"+path+"/rsvp" || string(body) != `{"status":"`+status+`"}` {
				t.Errorf("worker %d request %d: %s %s %s, want %s", worker, i, req.Method, req.URL.Path, body, w)
			}
			if got := req.Header.Get("Authorization"); got != "Bearer t"+string(rune('0'+worker)) {
				t.Errorf("worker %d: Authorization %q", worker, got)
			}
		}
	}
}
