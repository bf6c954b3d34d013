package events

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/members"
)

// TestValidateInput: each bad field is named with a clear message, the
// others pass; a rule without end is fine (expansion is bounded).
func TestValidateInput(t *testing.T) {
	loc := mustZone(t, "America/Chicago")
	today := members.MustDate("2026-11-30")
	neg := -5
	big := maxRSVPCloseMinutes + 1
	cases := []struct {
		name  string
		edit  func(in *Input)
		field string // "" = valid
	}{
		{"valid", func(in *Input) {}, ""},
		{"never-ending rule", func(in *Input) { in.RRule = "FREQ=DAILY" }, ""},
		{"RRULE: prefix and lower case", func(in *Input) { in.RRule = "RRULE:freq=weekly;byday=tu" }, ""},
		{"one-off", func(in *Input) { in.RRule = "" }, ""},
		{"two days a month by position", func(in *Input) { in.RRule = "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1,-1" }, ""},
		{"bad kind", func(in *Input) { in.Kind = "party" }, "kind"},
		{"no title", func(in *Input) { in.Title = "  " }, "title"},
		{"long title", func(in *Input) { in.Title = strings.Repeat("a", 201) }, "title"},
		{"two-line title", func(in *Input) { in.Title = "a\nb" }, "title"},
		{"bad UTF-8", func(in *Input) { in.Description = "\xff" }, "description"},
		{"long address", func(in *Input) { in.Address = strings.Repeat("a", maxEventAddress+1) }, "address"},
		{"invalid date", func(in *Input) { in.Start = "2026-02-30T18:30" }, "start"},
		{"not a time", func(in *Input) { in.Start = "tomorrow" }, "start"},
		{"hour 24", func(in *Input) { in.Start = "2026-12-01T24:00" }, "start"},
		{"far future", func(in *Input) { in.Start = "2099-12-01T18:30" }, "start"},
		{"zero duration", func(in *Input) { in.DurationMinutes = 0 }, "duration_minutes"},
		{"over a day", func(in *Input) { in.DurationMinutes = 1441 }, "duration_minutes"},
		{"negative capacity", func(in *Input) { in.Capacity = -1 }, "capacity"},
		{"bad audience", func(in *Input) { in.Audience = "everyone" }, "audience"},
		{"javascript URL", func(in *Input) { in.OnlineURL = "javascript:alert(1)" }, "online_url"},
		{"ftp URL", func(in *Input) { in.OnlineURL = "ftp://example.org/x" }, "online_url"},
		{"URL without host", func(in *Input) { in.OnlineURL = "https://" }, "online_url"},
		{"negative RSVP close", func(in *Input) { in.RSVPCloseMinutes = &neg }, "rsvp_close_minutes"},
		{"huge RSVP close", func(in *Input) { in.RSVPCloseMinutes = &big }, "rsvp_close_minutes"},
		{"COUNT=0", func(in *Input) { in.RRule = "FREQ=WEEKLY;COUNT=0" }, "rrule"},
		{"negative COUNT", func(in *Input) { in.RRule = "FREQ=WEEKLY;COUNT=-3" }, "rrule"},
		{"huge COUNT", func(in *Input) { in.RRule = "FREQ=DAILY;COUNT=999999" }, "rrule"},
		{"hourly", func(in *Input) { in.RRule = "FREQ=HOURLY" }, "rrule"},
		{"minutely", func(in *Input) { in.RRule = "FREQ=MINUTELY;INTERVAL=30" }, "rrule"},
		{"BYHOUR", func(in *Input) { in.RRule = "FREQ=DAILY;BYHOUR=9,18" }, "rrule"},
		{"BYMINUTE", func(in *Input) { in.RRule = "FREQ=DAILY;BYMINUTE=0,30" }, "rrule"},
		{"DTSTART inside", func(in *Input) { in.RRule = "DTSTART:20261201T183000\nRRULE:FREQ=WEEKLY" }, "rrule"},
		{"DTSTART part", func(in *Input) { in.RRule = "FREQ=WEEKLY;DTSTART=20261201T183000" }, "rrule"},
		{"no FREQ", func(in *Input) { in.RRule = "BYDAY=TU" }, "rrule"},
		{"bad day", func(in *Input) { in.RRule = "FREQ=WEEKLY;BYDAY=XX" }, "rrule"},
		{"bad month day", func(in *Input) { in.RRule = "FREQ=MONTHLY;BYMONTHDAY=32" }, "rrule"},
		{"repeated part", func(in *Input) { in.RRule = "FREQ=WEEKLY;FREQ=DAILY" }, "rrule"},
		{"COUNT and UNTIL", func(in *Input) { in.RRule = "FREQ=WEEKLY;COUNT=3;UNTIL=20271231" }, "rrule"},
		{"UNTIL before start", func(in *Input) { in.RRule = "FREQ=WEEKLY;UNTIL=20261101" }, "rrule"},
		{"never occurs", func(in *Input) { in.RRule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30" }, "rrule"},
		{"zero interval", func(in *Input) { in.RRule = "FREQ=WEEKLY;INTERVAL=0" }, "rrule"},
		{"garbage", func(in *Input) { in.RRule = ";;==;" }, "rrule"},
		{"window on a family dinner", func(in *Input) { in.Kind = FamilyDinner; in.WindowStart, in.WindowEnd = "2026-12-01", "2026-12-31" }, "window_start"},
		{"window backwards", func(in *Input) {
			in.Kind = MilestoneDinner
			in.WindowStart, in.WindowEnd = "2026-12-31", "2026-12-01"
		}, "window_end"},
		{"window too long", func(in *Input) {
			in.Kind = MilestoneDinner
			in.WindowStart, in.WindowEnd = "2026-12-01", "2027-03-01"
		}, "window_end"},
		{"window half given", func(in *Input) { in.Kind = MilestoneDinner; in.WindowStart = "2026-12-01" }, "window_end"},
		{"milestone window", func(in *Input) {
			in.Kind = MilestoneDinner
			in.WindowStart, in.WindowEnd = "2026-12-01", "2026-12-31"
		}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := weekly()
			c.edit(&in)
			_, err := validateInput(&in, loc, today, 0)
			if c.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var v members.ValidationError
			if !errors.As(err, &v) {
				t.Fatalf("want a validation error on %s, got %v", c.field, err)
			}
			if v.For(c.field) == "" {
				t.Errorf("want a message on %s, got %v", c.field, v)
			}
		})
	}
}

// TestValidateNamesEveryField: several problems come back together.
func TestValidateNamesEveryField(t *testing.T) {
	in := Input{Kind: "x", Start: "bad", DurationMinutes: -1, Capacity: -1, Audience: "y", RRule: "FREQ=HOURLY"}
	_, err := validateInput(&in, mustZone(t, "UTC"), members.MustDate("2026-11-30"), 0)
	var v members.ValidationError
	if !errors.As(err, &v) {
		t.Fatal(err)
	}
	for _, f := range []string{"kind", "title", "start", "duration_minutes", "capacity", "audience", "rrule"} {
		if v.For(f) == "" {
			t.Errorf("no message on %s: %v", f, v)
		}
	}
}

// TestValidateNormalizesStart: the start moves to the first occurrence
// when its date is not on the rule, and the default RSVP close applies
// when none is given.
func TestValidateNormalizesStart(t *testing.T) {
	in := weekly()
	in.Start = "2026-11-30T18:30" // a Monday; the rule is on Tuesdays
	c, err := validateInput(&in, mustZone(t, "America/Chicago"), members.MustDate("2026-11-30"), 90*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if c.start.String() != "2026-12-01T18:30" || c.firstDate != members.MustDate("2026-12-01") {
		t.Errorf("start %s, first %s", c.start, c.firstDate)
	}
	if c.rsvpClose != 90*time.Minute {
		t.Errorf("RSVP close %s, want the default", c.rsvpClose)
	}
}

// FuzzValidateInput: no input makes validation or expansion panic, and a
// valid rule expands to at most maxExpand occurrences a call.
func FuzzValidateInput(f *testing.F) {
	for _, s := range []struct{ start, rule, url string }{
		{"2026-12-01T18:30", "FREQ=WEEKLY;BYDAY=TU", "https://meet.example.org/x"},
		{"2026-12-01 18:30:00", "FREQ=DAILY", ""},
		{"2027-01-31T00:00", "FREQ=MONTHLY;BYMONTHDAY=-1;BYSETPOS=1", "http://x"},
		{"2028-02-29T23:59", "FREQ=YEARLY;UNTIL=20400101T000000Z", ""},
		{"x", "FREQ=WEEKLY;COUNT=0", "javascript:x"},
		{"2026-12-01T18:30", "FREQ=MONTHLY;BYDAY=+5FR;BYWEEKNO=53;BYYEARDAY=-366", ""},
		{"2026-12-01T18:30", "FREQ=WEEKLY;WKST=SU;INTERVAL=1000;BYMONTH=2", ""},
	} {
		f.Add(s.start, s.rule, s.url)
	}
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, start, rule, link string) {
		in := weekly()
		in.Start, in.RRule, in.OnlineURL = start, rule, link
		c, err := validateInput(&in, loc, members.MustDate("2026-11-30"), 0)
		if err != nil {
			var v members.ValidationError
			if !errors.As(err, &v) || len(v) == 0 {
				t.Fatalf("error is not a validation error: %v", err)
			}
			return
		}
		e := c.event("fuzz", "p")
		got, err := expand(e, loc, c.firstDate, c.firstDate.AddYears(30))
		if err != nil {
			t.Fatalf("valid input fails to expand: %v", err)
		}
		if len(got) > maxExpand || (len(got) > 0 && got[0].Date != c.firstDate) {
			t.Fatalf("expanded %d, first %v, want ≤ %d from %s", len(got), got, maxExpand, c.firstDate)
		}
	})
}
