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
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// cnvLiveWait bounds every wait for a live update; generous on purpose,
// it asserts nothing about speed.
const cnvLiveWait = 20 * time.Second

// cnvServe serves srv with a live-update hub of its own on d, as one
// instance of Cairn does, until the test ends; it returns the base URL and
// the hub.
func cnvServe(t *testing.T, srv *Server, d *db.DB) (string, *live.Hub) {
	t.Helper()
	hub := live.NewHub(d, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = hub.Run(ctx) }()
	select {
	case <-hub.Ready():
	case <-time.After(cnvLiveWait):
		t.Fatal("the live hub never started")
	}
	srv.liveHub = hub
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		cancel()
		hs.CloseClientConnections()
		hs.Close()
		<-done
	})
	return hs.URL, hub
}

// cnvWaitStreams waits until hub holds n open streams.
func cnvWaitStreams(t *testing.T, hub *live.Hub, n int) {
	t.Helper()
	deadline := time.Now().Add(cnvLiveWait)
	for hub.Connections() < n && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if hub.Connections() < n {
		t.Fatalf("%d open live streams, want %d", hub.Connections(), n)
	}
}

// cnvOpenThread opens the conversation in b and marks the page, so that a
// reload (which would drop the mark) can be told apart from a live update.
func cnvOpenThread(t *testing.T, b context.Context, base, id string) {
	t.Helper()
	browserDo(t, b, "open the conversation",
		chromedp.Navigate(base+"/conversations/"+id),
		chromedp.WaitVisible(chromedp.CSS("#send-form textarea")),
	)
	if _, err := chromedp.Run(b, chromedp.Evaluate[bool]("window.cnvNoReload = true")); err != nil {
		t.Fatal(err)
	}
}

// cnvSend types text into the send form in b and sends it (htmx posts it).
func cnvSend(t *testing.T, b context.Context, text string) {
	t.Helper()
	browserDo(t, b, "send "+text,
		chromedp.SendKeys(chromedp.CSS("#body"), text),
		chromedp.Click(chromedp.CSS("#send-form button[type=submit]")),
	)
}

// cnvSees waits until b's thread shows text, without a reload of the page.
func cnvSees(t *testing.T, b context.Context, who, text string) {
	t.Helper()
	deadline := time.Now().Add(cnvLiveWait)
	var got string
	for time.Now().Before(deadline) {
		got = browserText(t, b, "#messages")
		if strings.Contains(got, text) {
			kept, err := chromedp.Run(b, chromedp.Evaluate[bool]("window.cnvNoReload === true"))
			if err != nil || !kept {
				t.Fatalf("%s's page reloaded to show %q (%v)", who, text, err)
			}
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s does not see %q; the thread reads %q", who, text, got)
}

// TestBrowserConversationLive: two people, each in a browser of their own,
// have the same conversation open; what each sends appears in the other's
// page without a reload (live.js's stream, conversations.js's fetch of the
// new messages), and in the sender's own through htmx. axe-core checks the
// list, the new-conversation form and the thread.
func TestBrowserConversationLive(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	d := testkit.SQLite(t)
	e := newWebEnv(t, d)
	base, hub := cnvServe(t, e.srv, d)
	alex := e.users[access.Alumnus]
	robin := cnvAlumnus(t, e, "Robin", "Hale")
	c, _, err := conversations.Start(context.Background(), d, alex.Actor("t"),
		conversations.NewConversation{MemberIDs: []string{robin.ID}, Body: "Hi Robin, coffee after the meeting? https://example.org/cafe"})
	if err != nil {
		t.Fatal(err)
	}

	b := testkit.Browser(t)
	ab, rb := testkit.NewContext(t, b), testkit.NewContext(t, b)
	browserSignIn(t, ab, base, alex.Email, "#bell")
	browserSignIn(t, rb, base, robin.Email, "#bell")

	// Robin's menu counts the unread conversation.
	deadline := time.Now().Add(cnvLiveWait)
	for time.Now().Before(deadline) && !strings.Contains(browserText(t, rb, "#messages-count"), "1 new") {
		time.Sleep(100 * time.Millisecond)
	}
	if got := browserText(t, rb, "#messages-count"); !strings.Contains(got, "1 new") {
		t.Errorf("Robin's menu reads %q, want the unread conversation counted", got)
	}

	browserCheckPage(t, rb, base, "/conversations")
	browserCheckPage(t, rb, base, "/conversations/new")
	// The search filters the people as Robin types; Robin writes to the
	// coach through the form.
	browserDo(t, rb, "filter the people", chromedp.SendKeys(chromedp.CSS("#q"), "case"))
	shown, err := chromedp.Run(rb, chromedp.Evaluate[string](`Array.from(document.querySelectorAll(".people li")).filter(li => !li.hidden).map(li => li.innerText.trim()).join("|")`))
	if err != nil || !strings.Contains(shown, "Casey N.") || strings.Contains(shown, "Alex R.") {
		t.Errorf("filtered for %q, the list shows %q (%v)", "case", shown, err)
	}
	browserDo(t, rb, "start a conversation with the coach",
		chromedp.Click(chromedp.CSS(`input[value="`+e.users[access.Coach].ID+`"]`)),
		chromedp.SendKeys(chromedp.CSS("#body"), "Hello Casey"),
		chromedp.Submit(chromedp.CSS("#body")),
		chromedp.WaitVisible(chromedp.CSS("#send-form")),
	)
	if got := browserText(t, rb, "h1"); got != "Casey N." {
		t.Errorf("after starting, the page's heading is %q", got)
	}
	if got := browserText(t, rb, "#messages"); !strings.Contains(got, "Hello Casey") {
		t.Errorf("the new conversation shows %q", got)
	}
	browserCheckPage(t, rb, base, "/conversations/"+c.ID)
	cnvOpenThread(t, ab, base, c.ID)
	cnvOpenThread(t, rb, base, c.ID)
	cnvWaitStreams(t, hub, 2)

	start := time.Now()
	cnvSend(t, ab, "See you at 7.")
	cnvSees(t, rb, "Robin", "See you at 7.")
	t.Logf("a message showed on the other page %v after the click", time.Since(start).Round(time.Millisecond))
	cnvSees(t, ab, "Alex", "See you at 7.") // htmx, then the fetch of new messages
	if got := browserText(t, rb, "#messages-status"); !strings.Contains(got, "New message from Alex R.") {
		t.Errorf("Robin's page announced %q", got)
	}
	// Seen on the open page, the message is marked read.
	deadline = time.Now().Add(cnvLiveWait)
	unread := -1
	for time.Now().Before(deadline) {
		if unread, err = conversations.UnreadTotal(context.Background(), d, robin.Actor("t")); err != nil || unread == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if unread != 0 {
		t.Errorf("Robin's unread total is %d (%v) with the conversation open, want 0", unread, err)
	}
	cnvSend(t, rb, "Sounds good!")
	cnvSees(t, rb, "Robin", "Sounds good!")
	cnvSees(t, ab, "Alex", "Sounds good!")
	// The send form is empty again, and each message shows once.
	if v, _ := chromedp.Run(ab, chromedp.Evaluate[string](`document.getElementById("body").value`)); v != "" {
		t.Errorf("Alex's send form still holds %q", v)
	}
	if n, _ := chromedp.Run(ab, chromedp.Evaluate[int](`document.querySelectorAll("#messages li").length`)); n != 3 {
		t.Errorf("Alex's thread shows %d messages, want 3", n)
	}
	testkit.Axe(t, ab)

	// With the list open instead, a new message refreshes it and the
	// count in the menu, without a reload.
	browserDo(t, rb, "open the list", chromedp.Navigate(base+"/conversations"), chromedp.WaitVisible(chromedp.CSS("#conversation-list")))
	if _, err := chromedp.Run(rb, chromedp.Evaluate[bool]("window.cnvNoReload = true")); err != nil {
		t.Fatal(err)
	}
	cnvWaitStreams(t, hub, 2)
	cnvSend(t, ab, "One more thing")
	deadline = time.Now().Add(cnvLiveWait)
	for time.Now().Before(deadline) && !strings.Contains(browserText(t, rb, "#conversation-list"), "One more thing") {
		time.Sleep(100 * time.Millisecond)
	}
	if got := browserText(t, rb, "#conversation-list"); !strings.Contains(got, "One more thing") || !strings.Contains(got, "1 new") {
		t.Errorf("Robin's list reads %q, want the new message's preview and count", got)
	}
	if got := browserText(t, rb, "#messages-count"); !strings.Contains(got, "1 new") {
		t.Errorf("Robin's menu reads %q, want the unread conversation counted", got)
	}
	if kept, err := chromedp.Run(rb, chromedp.Evaluate[bool]("window.cnvNoReload === true")); err != nil || !kept {
		t.Errorf("Robin's list reloaded (%v)", err)
	}
}

// TestBrowserConversationTwoInstances: the same, with each browser on its
// own instance of Cairn (its own server, database pool and live hub)
// sharing one PostgreSQL database, so that a message sent through one
// instance reaches the page open on the other through LISTEN/NOTIFY.
func TestBrowserConversationTwoInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	d := testkit.Postgres(t)
	e := newWebEnv(t, d)
	d2, err := db.Open(context.Background(), d.DSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d2.Close() })
	a2 := auth.New(d2, auth.Options{SecretKey: e.cfg.SecretKey, BaseURL: e.cfg.BaseURL, StaffIdle: e.cfg.StaffIdle,
		MemberIdle: e.cfg.MemberIdle, Lifetime: e.cfg.SessionLifetime, Argon: auth.CheapArgon2ParamsForTests()})
	srv2, err := New(Deps{Config: e.cfg, DB: d2, Auth: a2, Logger: slog.New(slog.DiscardHandler), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	baseA, hubA := cnvServe(t, e.srv, d)
	baseB, hubB := cnvServe(t, srv2, d2)

	alex := e.users[access.Alumnus]
	robin := cnvAlumnus(t, e, "Robin", "Hale")
	c, _, err := conversations.Start(context.Background(), d, alex.Actor("t"),
		conversations.NewConversation{MemberIDs: []string{robin.ID}, Body: "Hello from instance A"})
	if err != nil {
		t.Fatal(err)
	}

	b := testkit.Browser(t)
	ab, rb := testkit.NewContext(t, b), testkit.NewContext(t, b)
	browserSignIn(t, ab, baseA, alex.Email, "#bell")
	browserSignIn(t, rb, baseB, robin.Email, "#bell")
	cnvOpenThread(t, ab, baseA, c.ID)
	cnvOpenThread(t, rb, baseB, c.ID)
	cnvWaitStreams(t, hubA, 1)
	cnvWaitStreams(t, hubB, 1)

	start := time.Now()
	cnvSend(t, ab, "Sent through A.")
	cnvSees(t, rb, "Robin (on B)", "Sent through A.")
	t.Logf("a message sent through A showed on B's page %v after the click", time.Since(start).Round(time.Millisecond))
	cnvSend(t, rb, "Sent through B.")
	cnvSees(t, ab, "Alex (on A)", "Sent through B.")
}
