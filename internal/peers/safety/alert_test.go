package safety

import (
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// A new report tells the program's staff, in words that name no one; a
// repeated report does not; and a staff member is not told again while the
// last notification is unread (or, with in-app off, within an hour).
func TestNewReportAlertsStaff(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
		Now = func() time.Time { return at }
		t.Cleanup(func() { Now = time.Now })
		alerts := func(a access.Actor) int {
			return w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = 'moderation_report'`, a.UserID)
		}
		report := func(by access.Actor, target access.Actor, note string) string {
			t.Helper()
			id, err := Report(w.ctx, d, by, ReportInput{Kind: KindPerson, ID: target.UserID, Reason: "harassment", Note: note})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		// A coach with in-app notifications off still hears, by email.
		quiet := addUser(t, w.ctx, d, w.prog, access.Coach, "Quinn", "Silent")
		p := &notify.Prefs{}
		p.Set(notify.KindModerationReport, notify.ChannelInApp, false)
		if err := notify.SavePrefs(w.ctx, d, quiet, p); err != nil {
			t.Fatal(err)
		}
		emails := func() int {
			return w.count(t, `SELECT COUNT(*) FROM mail_outbox o JOIN users u ON u.email = o.to_address WHERE u.id = ?`, quiet.UserID)
		}

		first := report(w.alex, w.pat, "Pat keeps messaging me at night")
		for _, a := range []access.Actor{w.coach, w.coord, w.admin} {
			if n := alerts(a); n != 1 {
				t.Errorf("%s got %d notifications, want 1", a.Role, n)
			}
		}
		for _, a := range []access.Actor{w.alex, w.pat, w.sam, w.family, w.alien, quiet} {
			if n := alerts(a); n != 0 {
				t.Errorf("%s %s got %d notifications", a.Role, a.UserID, n)
			}
		}
		if n := emails(); n != 1 {
			t.Errorf("quiet coach got %d emails, want 1", n)
		}
		var title, body, link string
		if err := d.QueryRow(w.ctx, `SELECT title, body, link FROM notifications WHERE user_id = ? AND kind = 'moderation_report'`,
			w.coord.UserID).Scan(&title, &body, &link); err != nil {
			t.Fatal(err)
		}
		if title != AlertTitle || link != "/moderation" {
			t.Errorf("notification = %q %q", title, link)
		}
		for _, secret := range []string{"Pat", "Quinn", "Alex", "Rivera", "night", "harassment", first} {
			if strings.Contains(title+body+link, secret) {
				t.Errorf("notification names %q: %q %q", secret, title, body)
			}
		}
		var subject, text string
		if err := d.QueryRow(w.ctx, `SELECT o.subject, o.body_text FROM mail_outbox o JOIN users u ON u.email = o.to_address WHERE u.id = ?`,
			quiet.UserID).Scan(&subject, &text); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(subject+text, "Pat") || strings.Contains(subject+text, "night") {
			t.Errorf("email names the report: %q", subject+text)
		}

		// The same report again changes nothing; another report while the
		// notifications are unread tells no one again.
		if again := report(w.alex, w.pat, "again"); again != first {
			t.Fatalf("repeat report made a new one: %s", again)
		}
		at = at.Add(10 * time.Minute)
		report(w.sam, w.pat, "")
		for _, a := range []access.Actor{w.coach, w.coord, w.admin} {
			if n := alerts(a); n != 1 {
				t.Errorf("%s got %d notifications while unread, want 1", a.Role, n)
			}
		}
		if n := emails(); n != 1 {
			t.Errorf("quiet coach got %d emails within the hour, want 1", n)
		}

		// The coordinator reads theirs: the next report tells them again,
		// and only them. An hour on, the coach with in-app off hears again.
		if err := notify.MarkAllRead(w.ctx, d, w.coord); err != nil {
			t.Fatal(err)
		}
		at = at.Add(AlertQuiet)
		report(w.pat, w.alex, "")
		if n := alerts(w.coord); n != 2 {
			t.Errorf("coordinator got %d notifications after reading, want 2", n)
		}
		if n := alerts(w.coach); n != 1 {
			t.Errorf("coach got %d notifications with one unread, want 1", n)
		}
		if n := emails(); n != 2 {
			t.Errorf("quiet coach got %d emails after the hour, want 2", n)
		}

		// Staff who report are not told about their own report.
		if err := notify.MarkAllRead(w.ctx, d, w.coord); err != nil {
			t.Fatal(err)
		}
		if err := notify.MarkAllRead(w.ctx, d, w.admin); err != nil {
			t.Fatal(err)
		}
		report(w.coord, w.sam, "")
		if n := alerts(w.coord); n != 2 {
			t.Errorf("reporting coordinator got %d notifications, want 2", n)
		}
		if n := alerts(w.admin); n != 2 {
			t.Errorf("admin got %d notifications, want 2", n)
		}
	})
}
