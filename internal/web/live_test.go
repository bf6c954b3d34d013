package web

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestLiveStreamsOwnEvents checks GET /live end to end: the signed-in
// person receives their own events and nobody else's.
func TestLiveStreamsOwnEvents(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		hub := live.NewHub(d, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { _ = hub.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
		<-hub.Ready()
		e.srv.liveHub = hub
		ts := httptest.NewServer(e.srv.Handler())
		t.Cleanup(ts.Close)

		alumnus, coach := e.users[access.Alumnus], e.users[access.Coach]
		reqCtx, stop := context.WithTimeout(context.Background(), 20*time.Second)
		defer stop()
		req, _ := http.NewRequestWithContext(reqCtx, http.MethodGet, ts.URL+"/live", nil)
		req.AddCookie(&http.Cookie{Name: e.srv.cookieName(), Value: e.signIn(alumnus)})
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("GET /live: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		br := bufio.NewReader(resp.Body)
		if _, err := br.ReadString('\n'); err != nil { // the retry hint: subscribed
			t.Fatal(err)
		}
		for _, to := range []string{coach.ID, alumnus.ID} {
			if err := d.Tx(context.Background(), func(tx *db.Tx) error {
				return live.Publish(context.Background(), tx, to, live.Event{Type: "unread", Data: json.RawMessage(`{"for":"` + to + `"}`)})
			}); err != nil {
				t.Fatal(err)
			}
		}
		ev, err := live.ReadEvent(br)
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"for":"` + alumnus.ID + `"}`; ev.Type != "unread" || string(ev.Data) != want {
			t.Fatalf("first event %s %s, want unread %s", ev.Type, ev.Data, want)
		}
	})
}

func TestLiveWithoutHubIsNotFound(t *testing.T) {
	e := newWebEnv(t, testkit.SQLite(t))
	if rec := e.do(http.MethodGet, "/live", nil, e.signIn(e.users[access.Alumnus])); rec.Code != http.StatusNotFound {
		t.Fatalf("GET /live without a hub: %d, want 404", rec.Code)
	}
}
