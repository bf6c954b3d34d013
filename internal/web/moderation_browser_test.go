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
	"github.com/cairn-recovery/cairn/internal/jobs"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestBrowserReportedConversationAndKeys: a coordinator follows the
// notification of a new report to the queue, opens a report about a
// message and reads the conversation around it; an admin rotates the
// message key. axe-core checks the notification list, the report, the
// conversation page and the message-key page before and after.
func TestBrowserReportedConversationAndKeys(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	e := admEnv(t, testkit.SQLite(t)) // demo mode: staff skip the second factor
	reportID := modMessageReport(e, 3, 2, "you owe me, pay up")
	j, err := jobs.NewWithOptions(e.db, slog.New(slog.DiscardHandler), jobs.Options{FetchPollInterval: 50 * time.Millisecond, TestOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	jobs.Register(j, conversations.NewRotateKeyWorker(e.db))
	if err := j.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = j.Stop(ctx)
	})
	srv := httptest.NewServer(e.srv.Handler())
	t.Cleanup(srv.Close)
	b := testkit.Browser(t)

	coord := e.users[access.Coordinator]
	browserSignIn(t, b, srv.URL, coord.Email, `a[href="/moderation"]`)
	browserCheckPage(t, b, srv.URL, "/notifications")
	if s := browserText(t, b, "main"); !strings.Contains(s, "A new report is waiting in the moderation queue") || strings.Contains(s, "pay up") {
		t.Errorf("notifications: %q", s)
	}
	browserCheckPage(t, b, srv.URL, "/moderation/"+reportID)
	browserDo(t, b, "read the conversation",
		chromedp.Click(chromedp.CSS(`a[href$="/conversation"]`)),
		chromedp.WaitVisible(chromedp.CSS(`li[aria-current="true"]`)),
	)
	testkit.Axe(t, b)
	if s := browserText(t, b, `li[aria-current="true"]`); !strings.Contains(s, "you owe me, pay up") || !strings.Contains(s, "Reported message") {
		t.Errorf("reported message: %q", s)
	}
	if s := browserText(t, b, "main"); !strings.Contains(s, "earlier 0") || !strings.Contains(s, "later 1") {
		t.Errorf("conversation page: %q", s)
	}

	ab := testkit.NewContext(t, b)
	browserSignIn(t, ab, srv.URL, e.users[access.Admin].Email, `a[href="/admin"]`)
	browserCheckPage(t, ab, srv.URL, "/admin/message-keys")
	browserDo(t, ab, "rotate the key",
		chromedp.Click(chromedp.CSS(`form[action="/admin/message-keys/rotate"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	testkit.Axe(t, ab)
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, err := conversations.MessageKeys(context.Background(), e.db, e.users[access.Admin].Actor("test"))
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Rotations) == 1 && v.Rotations[0].Status == "done" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("rotation not done: %+v", v.Rotations)
		}
		time.Sleep(20 * time.Millisecond)
	}
	browserCheckPage(t, ab, srv.URL, "/admin/message-keys")
	if s := browserText(t, ab, "main"); !strings.Contains(s, "Done") {
		t.Errorf("keys page after rotation: %q", s)
	}
}
