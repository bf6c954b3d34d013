package web

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestBrowserBellUpdatesLive: with a page open, a new notification shows
// in the navigation's count without a reload (static/live.js over /live),
// under the site's strict CSP.
func TestBrowserBellUpdatesLive(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	d := testkit.SQLite(t)
	e := newWebEnv(t, d)
	hub := live.NewHub(d, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go hub.Run(ctx)
	<-hub.Ready()
	e.srv.liveHub = hub
	srv := httptest.NewServer(e.srv.Handler())
	t.Cleanup(srv.Close)
	alum := e.users[access.Alumnus]

	b := testkit.Browser(t)
	browserSignIn(t, b, srv.URL, alum.Email, "#bell")
	// Wait until the page holds its stream open.
	deadline := time.Now().Add(10 * time.Second)
	for hub.Connections() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if hub.Connections() == 0 {
		t.Fatal("the page did not open /live")
	}
	err := d.Tx(context.Background(), func(tx *db.Tx) error {
		_, err := notify.Send(context.Background(), tx, alum.ID, notify.KindMessage, notify.Data{Title: "A note from your coach", Body: "Thinking of you today.", Link: "/notifications"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var text string
	for time.Now().Before(deadline.Add(10 * time.Second)) {
		text, err = chromedp.Run(b, chromedp.Evaluate[string](`document.getElementById("bell").innerText`))
		if err == nil && strings.Contains(text, "1 new") {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("bell reads %q (%v), want it to count the new notification", text, err)
}
