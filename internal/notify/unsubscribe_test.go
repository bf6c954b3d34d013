package notify

import (
	"context"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestUnsubscribe(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		a := f.person(t, "unsub@example.org")
		tok := UnsubscribeToken(a.UserID, KindDigest)

		// Tampered tokens: a changed user, kind or signature.
		other := UnsubscribeToken(a.UserID, KindMessage)
		p1, m1, _ := strings.Cut(tok, ".")
		p2, _, _ := strings.Cut(other, ".")
		for _, bad := range []string{"", "x", p1, p2 + "." + m1, p1 + "." + m1[:len(m1)-2] + "AA", tok + "x",
			UnsubscribeToken(a.UserID, KindAccount)} {
			if _, err := Unsubscribe(ctx, d, bad); !isNotFound(err) {
				t.Errorf("token %q: %v, want not found", bad, err)
			}
		}
		if _, err := Unsubscribe(ctx, d, UnsubscribeToken("gone", KindDigest)); !isNotFound(err) {
			t.Errorf("a deleted account's token: %v", err)
		}

		k, err := Unsubscribe(ctx, d, tok)
		if err != nil || k != KindDigest {
			t.Fatalf("Unsubscribe = %q, %v", k, err)
		}
		if _, err := Unsubscribe(ctx, d, tok); err != nil {
			t.Errorf("second Unsubscribe: %v", err)
		}
		p, err := GetPrefs(ctx, d, a)
		if err != nil {
			t.Fatal(err)
		}
		if p.On(KindDigest, ChannelEmail) || !p.On(KindDigest, ChannelInApp) || !p.On(KindMessage, ChannelEmail) {
			t.Errorf("after unsubscribe: %+v", p.Enabled)
		}
		send(t, d, a.UserID, KindDigest, Data{Title: "Your week"})
		send(t, d, a.UserID, KindMessage, Data{Title: "New message"})
		rows := outbox(t, d)
		if len(rows) != 1 || rows[0].subject != "New message" {
			t.Errorf("outbox after unsubscribing from digests: %+v", rows)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'notify.unsubscribe'`); n != 2 {
			t.Errorf("%d unsubscribe audit entries, want 2", n)
		}

		// A token signed with another key does not verify.
		Configure("http://cairn.test", []byte("another key, also 32 characters long"))
		defer Configure("http://cairn.test", []byte("0123456789abcdef0123456789abcdef"))
		if _, err := Unsubscribe(ctx, d, tok); !isNotFound(err) {
			t.Errorf("token under another key: %v", err)
		}
	})
}

func TestPrefsValidate(t *testing.T) {
	cases := []struct {
		p     Prefs
		field string
	}{
		{Prefs{QuietStart: "25:00", QuietEnd: "07:00"}, "quiet_start"},
		{Prefs{QuietStart: "22:00", QuietEnd: "7:00"}, "quiet_end"},
		{Prefs{QuietStart: "22:60", QuietEnd: "07:00"}, "quiet_start"},
		{Prefs{QuietStart: "22:00"}, "quiet_end"},
		{Prefs{QuietEnd: "07:00"}, "quiet_start"},
		{Prefs{QuietStart: "07:00", QuietEnd: "07:00"}, "quiet_end"},
		{Prefs{TimeZone: "Mars/Olympus"}, "time_zone"},
		{Prefs{TimeZone: "Local"}, "time_zone"},
		{Prefs{SMSPhone: "555-0199"}, "sms_phone"},
		{Prefs{Enabled: map[Kind]map[Channel]bool{KindMessage: {ChannelSMS: true}}}, "sms_phone"},
		{Prefs{Enabled: map[Kind]map[Channel]bool{KindAccount: {ChannelEmail: false}}}, "kind"},
		{Prefs{Enabled: map[Kind]map[Channel]bool{KindMessage: {"pigeon": true}}}, "channel"},
		{Prefs{QuietStart: "22:00", QuietEnd: "06:30", TimeZone: "Europe/Berlin", SMSPhone: "+49 (30) 1234-5678",
			Enabled: map[Kind]map[Channel]bool{KindMessage: {ChannelSMS: true}}}, ""},
	}
	for _, tc := range cases {
		err := tc.p.Validate()
		fe, _ := err.(*FieldError)
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%+v: %v", tc.p, err)
		case tc.field != "" && (fe == nil || fe.Field != tc.field):
			t.Errorf("%+v: %v, want a FieldError for %s", tc.p, err, tc.field)
		}
	}
	p := Prefs{SMSPhone: "+49 (30) 1234-5678"}
	if err := p.Validate(); err != nil || p.SMSPhone != "+493012345678" {
		t.Errorf("phone normalised to %q (%v)", p.SMSPhone, err)
	}
}

func TestSavePrefsRoundTrip(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		a := f.person(t, "prefs@example.org")
		p, err := GetPrefs(ctx, d, a)
		if err != nil || !p.On(KindMilestone, ChannelEmail) || p.On(KindMilestone, ChannelSMS) || !p.On(KindDigest, ChannelInApp) {
			t.Fatalf("defaults: %+v, %v", p, err)
		}
		p.Set(KindMilestone, ChannelEmail, false)
		p.Set(KindMessage, ChannelSMS, true)
		p.SMSPhone, p.QuietStart, p.QuietEnd, p.TimeZone = "+15550100123", "22:00", "07:00", "America/Denver"
		if err := SavePrefs(ctx, d, a, p); err != nil {
			t.Fatal(err)
		}
		p.Set(KindMilestone, ChannelEmail, true) // saved again: updates, not duplicates
		if err := SavePrefs(ctx, d, a, p); err != nil {
			t.Fatal(err)
		}
		got, err := GetPrefs(ctx, d, a)
		if err != nil {
			t.Fatal(err)
		}
		if !got.On(KindMilestone, ChannelEmail) || !got.On(KindMessage, ChannelSMS) || got.SMSPhone != "+15550100123" ||
			got.QuietStart != "22:00" || got.QuietEnd != "07:00" || got.TimeZone != "America/Denver" {
			t.Errorf("read back %+v", got)
		}
		bad := &Prefs{QuietStart: "25:00", QuietEnd: "07:00"}
		if err := SavePrefs(ctx, d, a, bad); err == nil {
			t.Error("SavePrefs accepted 25:00")
		}
		if got, _ := GetPrefs(ctx, d, a); got.QuietStart != "22:00" {
			t.Errorf("a rejected save changed the settings: %+v", got)
		}
	})
}
