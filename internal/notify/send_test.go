package notify

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// The clock of these cases: 2026-03-01 04:00 UTC is 22:00 on Feb 28 in
// Chicago (CST, UTC-6) and 13:00 on Mar 1 in Tokyo.
var sendNow = time.Date(2026, 3, 1, 4, 0, 0, 0, time.UTC)

func TestSendPreferencesChannelsQuietHours(t *testing.T) {
	type want struct {
		inApp    bool
		email    bool
		sms      bool
		delayTo  time.Time // zero: due now
		unsubHdr bool
	}
	cases := []struct {
		name  string
		kind  Kind
		prefs func(p *Prefs)
		raw   [][3]string // rows written directly (kind, channel, enabled)
		want  want
	}{
		{name: "defaults", kind: KindMilestone,
			want: want{inApp: true, email: true, unsubHdr: true}},
		{name: "email off", kind: KindMilestone, prefs: func(p *Prefs) { p.Set(KindMilestone, ChannelEmail, false) },
			want: want{inApp: true}},
		{name: "email off for another kind", kind: KindMessage, prefs: func(p *Prefs) { p.Set(KindMilestone, ChannelEmail, false) },
			want: want{inApp: true, email: true, unsubHdr: true}},
		{name: "in-app off", kind: KindDigest, prefs: func(p *Prefs) { p.Set(KindDigest, ChannelInApp, false) },
			want: want{email: true, unsubHdr: true}},
		{name: "everything off", kind: KindDigest, prefs: func(p *Prefs) {
			p.Set(KindDigest, ChannelInApp, false)
			p.Set(KindDigest, ChannelEmail, false)
		}, want: want{}},
		{name: "sms on with phone", kind: KindEventReminder, prefs: func(p *Prefs) {
			p.SMSPhone = "+1 555 010 0199"
			p.Set(KindEventReminder, ChannelSMS, true)
		}, want: want{inApp: true, email: true, sms: true, unsubHdr: true}},
		{name: "phone but sms not turned on", kind: KindEventReminder, prefs: func(p *Prefs) { p.SMSPhone = "+15550100199" },
			want: want{inApp: true, email: true, unsubHdr: true}},
		{name: "sms on without phone", kind: KindEventReminder, raw: [][3]string{{"event_reminder", "sms", "true"}},
			want: want{inApp: true, email: true, unsubHdr: true}},
		{name: "quiet hours over midnight delay email and sms", kind: KindEventReminder, prefs: func(p *Prefs) {
			p.QuietStart, p.QuietEnd = "21:30", "07:00"
			p.SMSPhone = "+15550100199"
			p.Set(KindEventReminder, ChannelSMS, true)
		}, want: want{inApp: true, email: true, sms: true, unsubHdr: true,
			delayTo: time.Date(2026, 3, 1, 13, 0, 0, 0, time.UTC)}}, // 07:00 CST
		{name: "support requests never wait", kind: KindSupportRequest, prefs: func(p *Prefs) {
			p.QuietStart, p.QuietEnd = "21:30", "07:00"
		}, want: want{inApp: true, email: true, unsubHdr: true}},
		{name: "account mail ignores preferences and quiet hours", kind: KindAccount, prefs: func(p *Prefs) {
			p.QuietStart, p.QuietEnd = "21:30", "07:00"
			p.SMSPhone = "+15550100199"
		}, raw: [][3]string{{"account", "email", "false"}, {"account", "sms", "true"}},
			want: want{inApp: true, email: true}},
		{name: "outside quiet hours", kind: KindMessage, prefs: func(p *Prefs) { p.QuietStart, p.QuietEnd = "23:00", "06:00" },
			want: want{inApp: true, email: true, unsubHdr: true}},
		{name: "quiet hours in the person's own zone", kind: KindMessage, prefs: func(p *Prefs) {
			p.TimeZone = "Asia/Tokyo"
			p.QuietStart, p.QuietEnd = "12:00", "14:30"
		}, want: want{inApp: true, email: true, unsubHdr: true,
			delayTo: time.Date(2026, 3, 1, 5, 30, 0, 0, time.UTC)}}, // 14:30 JST
		{name: "own zone outside its quiet hours", kind: KindMessage, prefs: func(p *Prefs) {
			p.TimeZone = "Asia/Tokyo"
			p.QuietStart, p.QuietEnd = "21:30", "07:00"
		}, want: want{inApp: true, email: true, unsubHdr: true}},
	}
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := clock(t)
		*now = sendNow
		f := newFixture(t, d)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				a := f.person(t, strings.ReplaceAll(tc.name, " ", ".")+"@example.org")
				if tc.prefs != nil {
					p := &Prefs{}
					tc.prefs(p)
					if err := SavePrefs(ctx, d, a, p); err != nil {
						t.Fatalf("SavePrefs: %v", err)
					}
				}
				for _, r := range tc.raw {
					if _, err := d.Exec(ctx, `INSERT INTO notification_prefs (user_id, kind, channel, enabled) VALUES (?, ?, ?, ?)`,
						a.UserID, r[0], r[1], r[2] == "true"); err != nil {
						t.Fatal(err)
					}
				}
				before := len(outbox(t, d))
				id := send(t, d, a.UserID, tc.kind, Data{Title: "Case " + tc.name, Body: "Body", Link: "/events/1"})
				if (id != "") != tc.want.inApp {
					t.Errorf("in-app id %q, want in-app %v", id, tc.want.inApp)
				}
				if n := count(t, d, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, a.UserID); n != map[bool]int{true: 1}[tc.want.inApp] {
					t.Errorf("%d notifications stored", n)
				}
				var email, sms *outboxRow
				rows := outbox(t, d)[before:]
				for j := range rows {
					switch rows[j].channel {
					case "email":
						email = &rows[j]
					case "sms":
						sms = &rows[j]
					}
				}
				if len(rows) != map[bool]int{true: 1}[tc.want.email]+map[bool]int{true: 1}[tc.want.sms] {
					t.Errorf("%d outbox rows", len(rows))
				}
				due := sendNow
				if !tc.want.delayTo.IsZero() {
					due = tc.want.delayTo
				}
				if (email != nil) != tc.want.email {
					t.Fatalf("email queued = %v, want %v", email != nil, tc.want.email)
				}
				if email != nil {
					if !email.next.Equal(due) {
						t.Errorf("email due %v, want %v", email.next, due)
					}
					if got := strings.Contains(email.headers, "List-Unsubscribe"); got != tc.want.unsubHdr {
						t.Errorf("List-Unsubscribe stored = %v, want %v (%s)", got, tc.want.unsubHdr, email.headers)
					}
					if !strings.Contains(email.text, "http://cairn.test/events/1") || !strings.Contains(email.html, `href="http://cairn.test/events/1"`) {
						t.Errorf("email lacks the absolute link:\n%s\n%s", email.text, email.html)
					}
				}
				if (sms != nil) != tc.want.sms {
					t.Fatalf("sms queued = %v, want %v", sms != nil, tc.want.sms)
				}
				if sms != nil {
					if sms.to != "+15550100199" || !strings.Contains(sms.text, "Case ") || !strings.Contains(sms.text, "http://cairn.test/events/1") {
						t.Errorf("sms row: %+v", *sms)
					}
					if !sms.next.Equal(due) {
						t.Errorf("sms due %v, want %v", sms.next, due)
					}
				}
			})
		}
	})
}

func init() { Configure("http://cairn.test", []byte("0123456789abcdef0123456789abcdef")) }

func TestQuietUntil(t *testing.T) {
	chicago := loadZone("America/Chicago")
	at := func(h, m int) time.Time { return time.Date(2026, 7, 1, h, m, 0, 0, chicago) }
	cases := []struct {
		start, end string
		now        time.Time
		want       time.Time
	}{
		{"", "", at(23, 0), time.Time{}},
		{"22:00", "07:00", at(21, 59), time.Time{}},
		{"22:00", "07:00", at(22, 0), time.Date(2026, 7, 2, 7, 0, 0, 0, chicago)},
		{"22:00", "07:00", at(3, 15), at(7, 0)},
		{"22:00", "07:00", at(7, 0), time.Time{}},
		{"09:00", "17:00", at(12, 0), at(17, 0)},
		{"09:00", "17:00", at(17, 30), time.Time{}},
		{"09:00", "09:00", at(9, 0), time.Time{}},
	}
	for _, tc := range cases {
		p := &Prefs{QuietStart: tc.start, QuietEnd: tc.end}
		got := p.quietUntil(tc.now, chicago)
		if !got.Equal(tc.want) {
			t.Errorf("quiet %s–%s at %s: until %v, want %v", tc.start, tc.end, tc.now.Format("15:04"), got, tc.want)
		}
	}
	// Over the start of daylight saving time (Mar 8, 2026 in Chicago),
	// 07:00 local is 12:00 UTC, not 13:00.
	p := &Prefs{QuietStart: "22:00", QuietEnd: "07:00"}
	got := p.quietUntil(time.Date(2026, 3, 8, 4, 0, 0, 0, chicago), chicago)
	if want := time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("over DST: %v, want %v", got, want)
	}
}

func TestSendRolledBackLeavesNothing(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		a := f.person(t, "rollback@example.org")
		hub := live.NewHub(d, nil)
		hctx, stop := context.WithCancel(ctx)
		defer stop()
		go func() { _ = hub.Run(hctx) }()
		<-hub.Ready()
		events, cancel := hub.Subscribe(a.UserID)
		defer cancel()

		boom := errors.New("boom")
		err := d.Tx(ctx, func(tx *db.Tx) error {
			if _, err := Send(ctx, tx, a.UserID, KindMilestone, Data{Title: "Thirty days"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("tx: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM notifications`); n != 0 {
			t.Errorf("%d notifications after rollback", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM mail_outbox`); n != 0 {
			t.Errorf("%d outbox rows after rollback", n)
		}
		// A committed Send publishes; the rolled-back one did not.
		send(t, d, a.UserID, KindMilestone, Data{Title: "Sixty days"})
		select {
		case ev := <-events:
			if ev.Type != "notification" || string(ev.Data) != `{"unread":1}` {
				t.Errorf("first event %s %s; want the committed notification with unread 1", ev.Type, ev.Data)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no live event after commit")
		}
	})
}

func TestSendRejectsBadInput(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.person(t, "bad@example.org")
		cases := []struct {
			kind  Kind
			data  Data
			field string
		}{
			{"gossip", Data{Title: "x"}, "kind"},
			{KindMessage, Data{Title: " "}, "title"},
			{KindMessage, Data{Title: "a\nb"}, "title"},
			{KindMessage, Data{Title: strings.Repeat("x", 201)}, "title"},
			{KindMessage, Data{Title: "x", Link: "https://evil.example/"}, "link"},
			{KindMessage, Data{Title: "x", Link: "//evil.example/"}, "link"},
			{KindMessage, Data{Title: "x", Link: "/a b"}, "link"},
		}
		for _, tc := range cases {
			err := d.Tx(context.Background(), func(tx *db.Tx) error {
				_, err := Send(context.Background(), tx, a.UserID, tc.kind, tc.data)
				return err
			})
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Errorf("Send(%q, %+v) = %v, want a FieldError for %s", tc.kind, tc.data, err, tc.field)
			}
		}
		err := d.Tx(context.Background(), func(tx *db.Tx) error {
			_, err := Send(context.Background(), tx, "no-such-user", KindMessage, Data{Title: "x"})
			return err
		})
		if !errors.Is(err, db.ErrNotFound) {
			t.Errorf("unknown recipient: %v", err)
		}
		if _, err := d.Exec(context.Background(), `UPDATE users SET disabled_at = ? WHERE id = ?`, time.Now().UTC(), a.UserID); err != nil {
			t.Fatal(err)
		}
		if id := send(t, d, a.UserID, KindMessage, Data{Title: "x"}); id != "" {
			t.Errorf("a disabled account got notification %s", id)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM mail_outbox`); n != 0 {
			t.Errorf("a disabled account got %d outbox rows", n)
		}
	})
}

func TestEnqueueRefusesReservedHeaders(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		for name, value := range map[string]string{"Bcc": "x@example.org", "Content-Type": "text/html", "X Bad": "v", "X-Ok": "a\r\nBcc: y@example.org"} {
			m := invite
			m.Headers = map[string]string{name: value}
			err := d.Tx(context.Background(), func(tx *db.Tx) error {
				_, err := Enqueue(context.Background(), tx, m)
				return err
			})
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "headers" {
				t.Errorf("header %q: %v, want a FieldError for headers", name, err)
			}
		}
	})
}
