package notify

import (
	"context"
	"errors"
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// clock replaces Now for the test with a clock the test moves by hand.
func clock(t *testing.T) *time.Time {
	t.Helper()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	old := Now
	Now = func() time.Time { return now }
	t.Cleanup(func() { Now = old })
	return &now
}

func enqueue(t *testing.T, d *db.DB, m Message) string {
	t.Helper()
	var id string
	err := d.Tx(context.Background(), func(tx *db.Tx) error {
		var err error
		id, err = Enqueue(context.Background(), tx, m)
		return err
	})
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	return id
}

func rawEntry(t *testing.T, d *db.DB, id string) *OutboxEntry {
	t.Helper()
	e, err := scanEntry(d.QueryRow(context.Background(), `SELECT id, program_id, to_address, subject,
		body_text, body_html, status, channel, error, attempts, created_at, sent_at, next_attempt_at
		FROM mail_outbox WHERE id = ?`, id))
	if err != nil {
		t.Fatalf("read outbox %s: %v", id, err)
	}
	return e
}

func newSender(t testing.TB, d *db.DB, ts *testServer) *Sender {
	t.Helper()
	s, err := NewSender(d, "smtp://"+ts.Addr, "Cairn <cairn@example.org>", nil)
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	return s
}

var invite = Message{
	ProgramID: "p1",
	To:        "alex.canary@example.com",
	Subject:   "You're invited to Cairn",
	Text:      "Hello,\nuse this link: https://cairn.example/invite/abc\n",
	HTML:      "<p>Hello, use <a href=\"https://cairn.example/invite/abc\">this link</a>.</p>",
}

// deliverySetup fakes the clock, starts a test SMTP server with a sender
// for it, and queues invite: where the delivery tests start.
func deliverySetup(t *testing.T, d *db.DB) (now *time.Time, ts *testServer, s *Sender, id string) {
	t.Helper()
	now = clock(t)
	ts = newTestServer(t)
	s = newSender(t, d, ts)
	return now, ts, s, enqueue(t, d, invite)
}

func TestDeliverOnce(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now, ts, s, id := deliverySetup(t, d)

		if e := rawEntry(t, d, id); e.Status != StatusQueued || e.Attempts != 0 {
			t.Fatalf("after enqueue: status %q attempts %d", e.Status, e.Attempts)
		}
		n, err := s.DeliverOnce(ctx)
		if err != nil || n != 1 {
			t.Fatalf("DeliverOnce = %d, %v; want 1, nil", n, err)
		}
		*now = now.Add(time.Hour)
		n, err = s.DeliverOnce(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second DeliverOnce = %d, %v; want 0, nil", n, err)
		}
		got := ts.messages()
		if len(got) != 1 {
			t.Fatalf("server received %d messages, want 1", len(got))
		}
		if len(got[0].To) != 1 || got[0].To[0] != invite.To {
			t.Errorf("envelope recipients %v", got[0].To)
		}
		if got[0].From != "cairn@example.org" {
			t.Errorf("envelope sender %q", got[0].From)
		}
		h, text, html := parts(t, got[0].Data)
		subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
		if subject != invite.Subject {
			t.Errorf("subject %q, want %q", subject, invite.Subject)
		}
		if h.Get("To") != "<"+invite.To+">" && h.Get("To") != invite.To {
			t.Errorf("To header %q", h.Get("To"))
		}
		if want := "<" + id + "@example.org>"; h.Get("Message-Id") != want {
			t.Errorf("Message-ID %q, want %q", h.Get("Message-Id"), want)
		}
		if strings.ReplaceAll(text, "\r\n", "\n") != invite.Text {
			t.Errorf("text part %q", text)
		}
		if html != invite.HTML {
			t.Errorf("html part %q", html)
		}
		e := rawEntry(t, d, id)
		if e.Status != StatusSent || e.Attempts != 1 || e.SentAt == nil || e.Error != "" || e.NextAttemptAt != nil {
			t.Errorf("after send: %+v", e)
		}
	})
}

func TestDeliverRejectedThenRetried(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now, ts, s, id := deliverySetup(t, d)

		ts.reject.Store(true)
		n, err := s.DeliverOnce(ctx)
		if err == nil || n != 0 {
			t.Fatalf("DeliverOnce against a rejecting server = %d, %v; want 0 and an error", n, err)
		}
		if strings.Contains(err.Error(), invite.To) {
			t.Errorf("returned error names the recipient: %v", err)
		}
		e := rawEntry(t, d, id)
		if e.Status != StatusFailed || e.Attempts != 1 || e.NextAttemptAt == nil {
			t.Fatalf("after rejection: %+v", e)
		}
		if !strings.Contains(e.Error, "550") || !strings.Contains(e.Error, "rejected") {
			t.Errorf("stored error %q does not say what the server said", e.Error)
		}
		if strings.Contains(strings.ToLower(e.Error), "alex.canary") {
			t.Errorf("stored error names the recipient: %q", e.Error)
		}
		if !e.NextAttemptAt.Equal(now.Add(Backoff(1))) {
			t.Errorf("next attempt %v, want %v", e.NextAttemptAt, now.Add(Backoff(1)))
		}

		// Not due yet: nothing is tried.
		ts.reject.Store(false)
		if n, err := s.DeliverOnce(ctx); n != 0 || err != nil {
			t.Fatalf("DeliverOnce before the backoff = %d, %v", n, err)
		}
		if e := rawEntry(t, d, id); e.Attempts != 1 {
			t.Fatalf("attempts %d before the backoff ended", e.Attempts)
		}

		*now = now.Add(Backoff(1) + time.Second)
		if n, err := s.DeliverOnce(ctx); n != 1 || err != nil {
			t.Fatalf("retry = %d, %v; want 1, nil", n, err)
		}
		e = rawEntry(t, d, id)
		if e.Status != StatusSent || e.Attempts != 2 || e.Error != "" {
			t.Errorf("after retry: %+v", e)
		}
		if len(ts.messages()) != 1 {
			t.Errorf("server received %d messages, want 1", len(ts.messages()))
		}
	})
}

func TestDeliverGivesUp(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now, ts, s, id := deliverySetup(t, d)
		ts.reject.Store(true)
		for i := 1; i <= MaxAttempts+2; i++ {
			_, _ = s.DeliverOnce(ctx)
			*now = now.Add(maxBackoff + time.Minute)
		}
		e := rawEntry(t, d, id)
		if e.Status != StatusFailed || e.Attempts != MaxAttempts || e.NextAttemptAt != nil || e.Error == "" {
			t.Errorf("after giving up: %+v", e)
		}
		ts.reject.Store(false)
		if n, err := s.DeliverOnce(ctx); n != 0 || err != nil {
			t.Errorf("DeliverOnce after giving up = %d, %v", n, err)
		}
	})
}

// A claim is recorded before sending; if the sender dies holding it, the
// message is held until the claim expires and is then sent with the same
// Message-ID.
func TestClaimHeldThenExpires(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now, ts, s, id := deliverySetup(t, d)

		m := due{id: id, attempts: 0}
		ok, err := s.claim(ctx, &m)
		if err != nil || !ok {
			t.Fatalf("claim = %v, %v", ok, err)
		}
		// A second claim on the same state loses.
		m2 := due{id: id, attempts: 0}
		if ok, err := s.claim(ctx, &m2); err != nil || ok {
			t.Fatalf("second claim = %v, %v; want false", ok, err)
		}
		if e := rawEntry(t, d, id); e.Status != StatusQueued || e.Attempts != 1 {
			t.Fatalf("claimed entry: %+v", e)
		}
		if n, _ := s.DeliverOnce(ctx); n != 0 {
			t.Fatalf("a claimed message was sent again")
		}
		*now = now.Add(lease + time.Second)
		if n, err := s.DeliverOnce(ctx); n != 1 || err != nil {
			t.Fatalf("after the claim expired: %d, %v", n, err)
		}
		h, _, _ := parts(t, ts.messages()[0].Data)
		if !strings.Contains(h.Get("Message-Id"), id) {
			t.Errorf("Message-ID %q does not carry the outbox id", h.Get("Message-Id"))
		}
		if e := rawEntry(t, d, id); e.Status != StatusSent || e.Attempts != 2 {
			t.Errorf("after resend: %+v", e)
		}
	})
}

func TestNewSender(t *testing.T) {
	s, err := NewSender(nil, "", "cairn@example.org", nil)
	if s != nil || err != nil {
		t.Errorf("NewSender without SMTP = %v, %v; want nil, nil", s, err)
	}
	for _, u := range []string{"http://host", "smtp://", "::bad", "smtp://host:99999", "smtp://host:x"} {
		if _, err := NewSender(nil, u, "cairn@example.org", nil); err == nil || !strings.Contains(err.Error(), "CAIRN_SMTP_URL") {
			t.Errorf("NewSender(%q) error = %v; want one naming CAIRN_SMTP_URL", u, err)
		}
	}
	if _, err := NewSender(nil, "smtp://host:25", "not an address", nil); err == nil || !strings.Contains(err.Error(), "CAIRN_MAIL_FROM") {
		t.Errorf("bad from address: %v", err)
	}
	for _, u := range []string{"smtp://user:pa%40ss@mail.example.org:587", "smtps://mail.example.org", "smtp://mail.example.org"} {
		if s, err := NewSender(nil, u, "cairn@example.org", nil); err != nil || s == nil {
			t.Errorf("NewSender(%q) = %v, %v", u, s, err)
		}
	}
}

func TestEnqueueRejectsBadMessages(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		cases := map[string]Message{
			"to":       {To: "", Subject: "s", Text: "t"},
			"to ":      {To: "Bob <bob@example.org>", Subject: "s", Text: "t"},
			"to  ":     {To: "a@example.org, b@example.org", Subject: "s", Text: "t"},
			"subject":  {To: "a@example.org", Subject: "hi\r\nBcc: x@example.org", Text: "t"},
			"subject ": {To: "a@example.org", Subject: " ", Text: "t"},
			"text":     {To: "a@example.org", Subject: "s"},
		}
		for field, m := range cases {
			err := d.Tx(context.Background(), func(tx *db.Tx) error {
				_, err := Enqueue(context.Background(), tx, m)
				return err
			})
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != strings.TrimSpace(field) {
				t.Errorf("%s: error %v, want a FieldError for %q", field, err, strings.TrimSpace(field))
			}
		}
		var n int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM mail_outbox`).Scan(&n); err != nil || n != 0 {
			t.Errorf("outbox holds %d rows after bad input (%v)", n, err)
		}
	})
}

func TestCleanError(t *testing.T) {
	got := cleanError("550 5.1.1 <Alex.Canary@Example.com>: rejected; also cc other@example.net\r\nmore", "alex.canary@example.com")
	if strings.Contains(strings.ToLower(got), "canary") || strings.Contains(got, "other@") || strings.Contains(got, "\n") {
		t.Errorf("cleanError left an address or a newline: %q", got)
	}
	if !strings.Contains(got, "550 5.1.1") {
		t.Errorf("cleanError dropped the server's code: %q", got)
	}
	if got := cleanError(strings.Repeat("é", 400), ""); len(got) > 510 {
		t.Errorf("cleanError did not bound the length: %d bytes", len(got))
	}
}

func TestBackoff(t *testing.T) {
	if Backoff(1) != time.Minute || Backoff(2) != 2*time.Minute || Backoff(100) != maxBackoff {
		t.Errorf("Backoff = %v %v %v", Backoff(1), Backoff(2), Backoff(100))
	}
}

func TestRunDeliversUntilCancelled(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ts := newTestServer(t)
		s := newSender(t, d, ts)
		s.interval = 10 * time.Millisecond
		id := enqueue(t, d, invite)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { s.Run(ctx); close(done) }()
		deadline := time.Now().Add(20 * time.Second)
		for rawEntry(t, d, id).Status != StatusSent {
			if time.Now().After(deadline) {
				cancel()
				t.Fatal("Run never delivered the message")
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		<-done
		if len(ts.messages()) != 1 {
			t.Errorf("server received %d messages, want 1", len(ts.messages()))
		}
	})
}
