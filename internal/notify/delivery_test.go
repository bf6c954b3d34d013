package notify

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestNotificationEmailThroughSMTP(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clock(t)
		f := newFixture(t, d)
		a := f.person(t, "sam.rivers@example.com")
		ts := newTestServer(t)
		s := newSender(t, d, ts)
		send(t, d, a.UserID, KindEventReminder, Data{Title: "Tuesday meeting at 7 PM",
			Body: "The weekly alumni meeting is tomorrow.\n\nBring a friend <3", Link: "/events/42"})
		send(t, d, a.UserID, KindAccount, Data{Title: "Your password was changed"})
		if n, err := s.DeliverOnce(ctx); n != 2 || err != nil {
			t.Fatalf("DeliverOnce = %d, %v", n, err)
		}
		msgs := ts.messages()
		if len(msgs) != 2 {
			t.Fatalf("server got %d messages", len(msgs))
		}
		h, text, html := parts(t, msgs[0].Data)
		subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
		if subject != "Tuesday meeting at 7 PM" {
			t.Errorf("subject %q", subject)
		}
		tok := UnsubscribeToken(a.UserID, KindEventReminder)
		if got, want := h.Get("List-Unsubscribe"), "<http://cairn.test/unsubscribe/"+tok+">"; got != want {
			t.Errorf("List-Unsubscribe %q, want %q", got, want)
		}
		if got := h.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %q", got)
		}
		for _, want := range []string{"Tuesday meeting at 7 PM", "Bring a friend <3", "http://cairn.test/events/42",
			"http://cairn.test/unsubscribe/" + tok} {
			if !strings.Contains(text, want) {
				t.Errorf("text part lacks %q:\n%s", want, text)
			}
		}
		for _, want := range []string{"<h1 style=\"font-size: 1.25em;\">Tuesday meeting at 7 PM</h1>", "<p>Bring a friend &lt;3</p>",
			`href="http://cairn.test/events/42"`, `href="http://cairn.test/unsubscribe/` + tok + `"`} {
			if !strings.Contains(html, want) {
				t.Errorf("html part lacks %q:\n%s", want, html)
			}
		}
		h2, text2, html2 := parts(t, msgs[1].Data)
		if h2.Get("List-Unsubscribe") != "" || text2 == "" || html2 == "" {
			t.Errorf("account mail: List-Unsubscribe %q, parts %d/%d bytes", h2.Get("List-Unsubscribe"), len(text2), len(html2))
		}
	})
}

// smsHook is an SMS gateway stand-in that records requests and fails while
// failing is set.
type smsHook struct {
	mu      sync.Mutex
	got     []map[string]string
	keys    []string
	failing atomic.Bool
}

func (h *smsHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.keys = append(h.keys, r.Header.Get("Idempotency-Key"))
	if h.failing.Load() {
		http.Error(w, "gateway down", http.StatusServiceUnavailable)
		return
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil || r.Header.Get("Content-Type") != "application/json" || r.Method != http.MethodPost {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	h.got = append(h.got, m)
}

func TestSMSWebhookRetriesWithBackoff(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := clock(t)
		f := newFixture(t, d)
		a := f.person(t, "texter@example.org")
		p := &Prefs{SMSPhone: "+15550100199"}
		p.Set(KindSupportRequest, ChannelSMS, true)
		p.Set(KindSupportRequest, ChannelEmail, false)
		if err := SavePrefs(ctx, d, a, p); err != nil {
			t.Fatal(err)
		}
		hook := &smsHook{}
		srv := httptest.NewServer(hook)
		defer srv.Close()
		wh, err := NewWebhook(srv.URL+"/sms?token=secret", nil)
		if err != nil {
			t.Fatal(err)
		}
		s := NewSMSSender(d, wh, nil)
		send(t, d, a.UserID, KindSupportRequest, Data{Title: "Jordan asked for support", Link: "/support/9"})
		rows := outbox(t, d)
		if len(rows) != 1 || rows[0].channel != "sms" {
			t.Fatalf("outbox: %+v", rows)
		}
		id := rows[0].id

		// The email sender does not touch text messages.
		ts := newTestServer(t)
		if n, err := newSender(t, d, ts).DeliverOnce(ctx); n != 0 || err != nil || len(ts.messages()) != 0 {
			t.Fatalf("email sender took an SMS: %d, %v", n, err)
		}

		hook.failing.Store(true)
		n, err := s.DeliverOnce(ctx)
		if n != 0 || err == nil {
			t.Fatalf("DeliverOnce against a failing webhook = %d, %v", n, err)
		}
		if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "5550100199") {
			t.Errorf("error leaks the URL or number: %v", err)
		}
		e := rawEntry(t, d, id)
		if e.Status != StatusFailed || e.Attempts != 1 || !strings.Contains(e.Error, "503") || e.NextAttemptAt == nil ||
			!e.NextAttemptAt.Equal(now.Add(Backoff(1))) {
			t.Fatalf("after a failure: %+v", e)
		}
		hook.failing.Store(false)
		if n, _ := s.DeliverOnce(ctx); n != 0 {
			t.Fatal("retried before the backoff ended")
		}
		*now = now.Add(Backoff(1) + time.Second)
		if n, err := s.DeliverOnce(ctx); n != 1 || err != nil {
			t.Fatalf("retry = %d, %v", n, err)
		}
		*now = now.Add(time.Hour)
		if n, err := s.DeliverOnce(ctx); n != 0 || err != nil {
			t.Fatalf("sent again: %d, %v", n, err)
		}
		hook.mu.Lock()
		defer hook.mu.Unlock()
		if len(hook.got) != 1 || len(hook.keys) != 2 {
			t.Fatalf("webhook got %d messages in %d requests", len(hook.got), len(hook.keys))
		}
		if hook.keys[0] != id || hook.keys[1] != id {
			t.Errorf("Idempotency-Key %v, want the outbox id %s on every attempt", hook.keys, id)
		}
		m := hook.got[0]
		if m["to"] != "+15550100199" || m["id"] != id || !strings.Contains(m["body"], "Jordan asked for support") ||
			!strings.Contains(m["body"], "http://cairn.test/support/9") {
			t.Errorf("webhook JSON %v", m)
		}
		if e := rawEntry(t, d, id); e.Status != StatusSent || e.Attempts != 2 {
			t.Errorf("after retry: %+v", e)
		}
	})
}

func TestNewWebhook(t *testing.T) {
	if w, err := NewWebhook("", nil); w != nil || err != nil {
		t.Errorf("empty URL = %v, %v", w, err)
	}
	for _, u := range []string{"ftp://x", "http://", "::"} {
		if _, err := NewWebhook(u, nil); err == nil || !strings.Contains(err.Error(), "CAIRN_SMS_WEBHOOK_URL") {
			t.Errorf("NewWebhook(%q) = %v", u, err)
		}
	}
	if s := NewSMSSender(nil, nil, nil); s != nil {
		t.Error("NewSMSSender without a transport is not nil")
	}
}
