package events

import (
	"bytes"
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"
	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// uids lists the UIDs of the VEVENTs, sorted.
func uids(t *testing.T, evs []goical.Event) []string {
	t.Helper()
	var out []string
	for _, ev := range evs {
		out = append(out, propText(t, ev, goical.PropUID))
	}
	sort.Strings(out)
	return out
}

// TestMemberFeed: the private feed holds the occurrences the person said
// yes or maybe to or waits for, one VEVENT each with a stable UID, the
// cancelled one marked CANCELLED, the online link only where confirmed;
// not the declined one. A family member gets only family events. Each
// read is audited without the token.
func TestMemberFeed(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		c := newDnCalendar(t, d)
		c.rsvp(t, c.alum, c.meeting, "2027-01-05", "yes")
		c.rsvp(t, c.alum, c.meeting, "2027-01-12", "yes")
		c.rsvp(t, c.alum, c.meeting, "2027-01-19", "maybe")
		c.rsvp(t, c.alum, c.meeting, "2027-01-26", "no")
		c.rsvp(t, c.alum, c.hike, "2027-01-09", "yes")
		if err := CancelOccurrence(c.ctx, d, c.coord, c.meeting.ID, "2027-01-12", ""); err != nil {
			t.Fatal(err)
		}
		token, err := FeedURLToken(c.ctx, d, c.alum, false)
		if err != nil || len(token) != 43 || strings.ContainsAny(token, "+/=") {
			t.Fatalf("token %q, %v; want 43 base64url characters", token, err)
		}
		if has, err := HasFeed(c.ctx, d, c.alum); err != nil || !has {
			t.Errorf("HasFeed = %v, %v", has, err)
		}
		if _, err := FeedURLToken(c.ctx, d, c.alum, false); !errors.Is(err, db.ErrConflict) {
			t.Errorf("asking again without rotating = %v, want a conflict", err)
		}
		b, err := MemberFeed(c.ctx, d, token)
		if err != nil {
			t.Fatal(err)
		}
		evs := parseICS(t, b)
		want := []string{c.hike.ID + "@cairn", c.meeting.ID + "-2027-01-05@cairn", c.meeting.ID + "-2027-01-12@cairn", c.meeting.ID + "-2027-01-19@cairn"}
		sort.Strings(want)
		if got := uids(t, evs); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("feed UIDs = %v, want %v", got, want)
		}
		for _, ev := range evs {
			uid := propText(t, ev, goical.PropUID)
			desc := propText(t, ev, goical.PropDescription)
			status := propText(t, ev, goical.PropStatus)
			switch uid {
			case c.meeting.ID + "-2027-01-05@cairn":
				if !strings.Contains(desc, "meet.example.org/tuesday") || status != "CONFIRMED" {
					t.Errorf("confirmed occurrence: %q %s", desc, status)
				}
			case c.meeting.ID + "-2027-01-12@cairn":
				if status != "CANCELLED" {
					t.Errorf("cancelled occurrence STATUS = %s", status)
				}
			case c.meeting.ID + "-2027-01-19@cairn":
				if strings.Contains(desc, "meet.example.org") || !strings.Contains(desc, "maybe") {
					t.Errorf("maybe occurrence description = %q", desc)
				}
			}
		}
		// The same feed read twice has the same UIDs.
		again, _ := MemberFeed(c.ctx, d, token)
		if strings.Join(uids(t, parseICS(t, again)), " ") != strings.Join(uids(t, evs), " ") {
			t.Error("UIDs change between reads")
		}
		var reads, leaks int
		if err := d.QueryRow(c.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'events.feed_read' AND actor_id = ?`, c.alum.UserID).Scan(&reads); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(c.ctx, `SELECT COUNT(*) FROM audit_log WHERE detail LIKE ?`, "%"+token+"%").Scan(&leaks); err != nil {
			t.Fatal(err)
		}
		if reads != 2 || leaks != 0 {
			t.Errorf("feed reads audited %d times (want 2), token in %d entries (want 0)", reads, leaks)
		}

		// A family member: the public meeting and the family dinner, not
		// an event that is no longer for families.
		c.rsvp(t, c.fam, c.meeting, "2027-01-05", "yes")
		c.rsvp(t, c.fam, c.dinner, "2027-01-15", "yes")
		ftoken, err := FeedURLToken(c.ctx, d, c.fam, false)
		if err != nil {
			t.Fatal(err)
		}
		fb, _ := MemberFeed(c.ctx, d, ftoken)
		if got := uids(t, parseICS(t, fb)); len(got) != 2 {
			t.Errorf("family feed = %v, want the meeting and the dinner", got)
		}
		// The dinner becomes alumni-only.
		if _, err := Update(c.ctx, d, c.coord, c.dinner.ID, Input{Kind: FamilyDinner, Title: "Family Dinner", LocationName: "Harbor Hall",
			Start: "2027-01-15T18:00", DurationMinutes: 120, RRule: "FREQ=MONTHLY;BYMONTHDAY=15", Audience: Alumni}); err != nil {
			t.Fatal(err)
		}
		fb, _ = MemberFeed(c.ctx, d, ftoken)
		if got := uids(t, parseICS(t, fb)); len(got) != 1 || got[0] != c.meeting.ID+"-2027-01-05@cairn" {
			t.Errorf("family feed after the dinner became alumni-only = %v", got)
		}
	})
}

// TestFeedTokens: a rotated or revoked token stops working at once (not
// found, like any unknown token); visitors have no feed.
func TestFeedTokens(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		c := newDnCalendar(t, d)
		old, err := FeedURLToken(c.ctx, d, c.alum, false)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := FeedURLToken(c.ctx, d, c.alum, true)
		if err != nil || fresh == old {
			t.Fatalf("rotate = %q, %v", fresh, err)
		}
		if _, err := MemberFeed(c.ctx, d, old); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("rotated-away token = %v, want not found", err)
		}
		if _, err := MemberFeed(c.ctx, d, fresh); err != nil {
			t.Errorf("new token: %v", err)
		}
		if err := RevokeFeed(c.ctx, d, c.alum); err != nil {
			t.Fatal(err)
		}
		if _, err := MemberFeed(c.ctx, d, fresh); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("revoked token = %v, want not found", err)
		}
		if has, _ := HasFeed(c.ctx, d, c.alum); has {
			t.Error("HasFeed after revoking")
		}
		for _, bad := range []string{"", "short", strings.Repeat("A", 43), old + "x", "../../etc/passwd"} {
			if _, err := MemberFeed(c.ctx, d, bad); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("token %q = %v, want not found", bad, err)
			}
		}
		if _, err := FeedURLToken(c.ctx, d, access.Actor{}, true); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("visitor's feed = %v, want not found", err)
		}
		// A disabled account's feed stops too.
		tok, _ := FeedURLToken(c.ctx, d, c.fam, false)
		if _, err := d.Exec(c.ctx, `UPDATE users SET disabled_at = created_at WHERE id = ?`, c.fam.UserID); err != nil {
			t.Fatal(err)
		}
		if _, err := MemberFeed(c.ctx, d, tok); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("disabled account's feed = %v, want not found", err)
		}
		for action, want := range map[string]int{"events.feed_create": 2, "events.feed_rotate": 1, "events.feed_revoke": 1} {
			if got := c.audits(t, action); got != want {
				t.Errorf("%s audited %d times, want %d", action, got, want)
			}
		}
	})
}

// BenchmarkMemberFeed measures a member's private feed with 500
// occurrences (five weekly series, 100 RSVPs each), on both engines.
func BenchmarkMemberFeed(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var d *db.DB
			if engine == "sqlite" {
				d = testkit.SQLite(b)
			} else {
				d = testkit.Postgres(b)
			}
			ctx := context.Background()
			p, err := programs.Create(ctx, d, programs.Settings{Name: "Bench", TimeZone: "America/Chicago"})
			if err != nil {
				b.Fatal(err)
			}
			w := &dnWorld{ctx: ctx, d: d, prog: p, loc: p.Location()}
			coord := w.user(b, access.Coordinator, "Sam", "Ortiz")
			alum := w.user(b, access.Alumnus, "Ana", "Rivera")
			loc := p.Location()
			first := members.Today(loc, now()).AddDays(1)
			var rows [][]any
			at := time.Now().UTC()
			for i, day := range []string{"MO", "TU", "WE", "TH", "FR"} {
				e, err := Create(ctx, d, coord, Input{Kind: WeeklyMeeting, Title: "Meeting " + day, LocationName: "Hall",
					OnlineURL: "https://meet.example.org/" + day, Start: first.AddDays(i).String() + "T18:30", DurationMinutes: 60,
					RRule: "FREQ=WEEKLY;BYDAY=" + day, Audience: Alumni})
				if err != nil {
					b.Fatal(err)
				}
				occs, err := Occurrences(ctx, d, coord, e.ID, at, at.AddDate(3, 0, 0))
				if err != nil || len(occs) < 100 {
					b.Fatalf("%d occurrences, %v", len(occs), err)
				}
				for _, o := range occs[:100] {
					rows = append(rows, []any{uuid.Must(uuid.NewV7()).String(), e.ID, o.ID, p.ID, alum.UserID, "yes", "confirmed", 1, 0, at, at})
				}
			}
			err = d.Tx(ctx, func(tx *db.Tx) error {
				return tx.InsertRows(ctx, `INSERT INTO event_rsvps (id, event_id, occurrence, program_id, user_id, status, state, adults, children, created_at, updated_at) VALUES `, rows)
			})
			if err != nil {
				b.Fatal(err)
			}
			token, err := FeedURLToken(ctx, d, alum, false)
			if err != nil {
				b.Fatal(err)
			}
			out, err := MemberFeed(ctx, d, token)
			if err != nil || bytes.Count(out, []byte("BEGIN:VEVENT")) != 500 {
				b.Fatalf("feed: %v, %d VEVENTs", err, bytes.Count(out, []byte("BEGIN:VEVENT")))
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := MemberFeed(ctx, d, token); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzMemberFeedToken: whatever a URL holds as a token, the feed answers
// not found (or, for the one real token, the feed) and never panics.
func FuzzMemberFeedToken(f *testing.F) {
	d := testkit.SQLite(f)
	ctx := context.Background()
	p, err := programs.Create(ctx, d, programs.Settings{Name: "Fuzz", TimeZone: "America/Chicago"})
	if err != nil {
		f.Fatal(err)
	}
	w := &dnWorld{ctx: ctx, d: d, prog: p, loc: p.Location()}
	alum := w.user(f, access.Alumnus, "Ana", "Rivera")
	token, err := FeedURLToken(ctx, d, alum, false)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", token, token[:42], token + "A", strings.Repeat("_", 43), "%00", "a.ics", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := MemberFeed(ctx, d, s)
		switch {
		case s == token:
			if err != nil || !bytes.HasPrefix(b, []byte("BEGIN:VCALENDAR")) {
				t.Fatalf("the real token: %v", err)
			}
		case !errors.Is(err, db.ErrNotFound):
			t.Fatalf("token %q: %v, want not found", s, err)
		}
	})
}
