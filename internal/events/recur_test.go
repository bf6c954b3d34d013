package events

import (
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/members"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// series builds an event as Create would, from a start and a rule.
func series(t *testing.T, loc *time.Location, start, rule string) *Event {
	t.Helper()
	st, err := ParseLocalTime(start)
	if err != nil {
		t.Fatal(err)
	}
	e := &Event{ID: "test", Start: st, RRule: normalizeRule(rule), Duration: time.Hour, FirstDate: st.Date, LastDate: st.Date}
	if e.RRule != "" {
		first, last, ok, err := ruleBounds(e.RRule, st, loc)
		if err != nil || !ok {
			t.Fatalf("rule %q: ok %v, %v", rule, ok, err)
		}
		e.FirstDate, e.LastDate, e.Start.Date = first, last, first
	}
	return e
}

func dates(lts []LocalTime) string {
	var b []string
	for _, lt := range lts {
		b = append(b, lt.Date.String())
	}
	return strings.Join(b, " ")
}

// TestExpandAcrossDST: a Tuesday 18:30 meeting stays at 18:30 local time
// on both sides of both daylight-saving changes in Chicago (so its UTC
// time moves by an hour), and at the same UTC time in zones without DST.
func TestExpandAcrossDST(t *testing.T) {
	cases := []struct {
		zone     string
		from, to string
		want     []string // local start → UTC instant
	}{
		{"America/Chicago", "2026-10-27", "2026-11-03", []string{"2026-10-27T23:30:00Z", "2026-11-04T00:30:00Z"}},
		{"America/Chicago", "2027-03-09", "2027-03-16", []string{"2027-03-10T00:30:00Z", "2027-03-16T23:30:00Z"}},
		{"Asia/Tokyo", "2026-10-27", "2026-11-03", []string{"2026-10-27T09:30:00Z", "2026-11-03T09:30:00Z"}},
		{"America/Phoenix", "2027-03-09", "2027-03-16", []string{"2027-03-10T01:30:00Z", "2027-03-17T01:30:00Z"}},
		{"Europe/Berlin", "2027-03-23", "2027-03-30", []string{"2027-03-23T17:30:00Z", "2027-03-30T16:30:00Z"}},
	}
	for _, c := range cases {
		t.Run(c.zone+" "+c.from, func(t *testing.T) {
			loc := mustZone(t, c.zone)
			e := series(t, loc, "2026-09-01T18:30", "FREQ=WEEKLY;BYDAY=TU")
			got, err := expand(e, loc, members.MustDate(c.from), members.MustDate(c.to))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %s, want %d occurrences", dates(got), len(c.want))
			}
			for i, lt := range got {
				at := lt.In(loc)
				if at.UTC().Format(time.RFC3339) != c.want[i] {
					t.Errorf("%s starts %s, want %s", lt, at.UTC().Format(time.RFC3339), c.want[i])
				}
				if at.Hour() != 18 || at.Minute() != 30 {
					t.Errorf("%s is %s local, want 18:30", lt, at.Format("15:04"))
				}
			}
		})
	}
}

// TestExpandCalendarEdges: monthly on the 31st skips months without one
// (RFC 5545), yearly on 29 February only falls in leap years, and
// "the last Friday" and "every other week" follow the rule.
func TestExpandCalendarEdges(t *testing.T) {
	loc := mustZone(t, "America/Chicago")
	cases := []struct {
		name, start, rule, from, to, want string
	}{
		{"monthly on the 31st", "2027-01-31T18:00", "FREQ=MONTHLY", "2027-01-01", "2027-12-31",
			"2027-01-31 2027-03-31 2027-05-31 2027-07-31 2027-08-31 2027-10-31 2027-12-31"},
		{"BYMONTHDAY=31", "2027-01-01T18:00", "FREQ=MONTHLY;BYMONTHDAY=31", "2027-01-01", "2027-06-30",
			"2027-01-31 2027-03-31 2027-05-31"},
		{"yearly on 29 February", "2028-02-29T12:00", "FREQ=YEARLY", "2028-01-01", "2037-01-01",
			"2028-02-29 2032-02-29 2036-02-29"},
		{"last Friday", "2026-12-01T19:00", "FREQ=MONTHLY;BYDAY=-1FR", "2026-12-01", "2027-03-31",
			"2026-12-25 2027-01-29 2027-02-26 2027-03-26"},
		{"every other Tuesday", "2026-12-01T18:30", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "2026-12-01", "2027-01-15",
			"2026-12-01 2026-12-15 2026-12-29 2027-01-12"},
		{"count", "2026-12-01T18:30", "FREQ=WEEKLY;COUNT=3", "2026-01-01", "2030-01-01",
			"2026-12-01 2026-12-08 2026-12-15"},
		{"until a date includes it", "2026-12-01T18:30", "FREQ=DAILY;UNTIL=20261203", "2026-01-01", "2030-01-01",
			"2026-12-01 2026-12-02 2026-12-03"},
		// 00:00Z on 3 December is 18:00 on the 2nd in Chicago, before
		// that day's 18:30.
		{"until in UTC", "2026-12-01T18:30", "FREQ=DAILY;UNTIL=20261203T000000Z", "2026-01-01", "2030-01-01",
			"2026-12-01"},
		{"start not on the rule", "2026-11-30T18:30", "FREQ=WEEKLY;BYDAY=TU,TH", "2026-11-01", "2026-12-06",
			"2026-12-01 2026-12-03"},
		{"one-off", "2026-12-05T10:00", "", "2026-12-01", "2026-12-31", "2026-12-05"},
		{"window clips", "2026-12-01T18:30", "FREQ=DAILY", "2026-12-10", "2026-12-12", "2026-12-10 2026-12-11 2026-12-12"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := series(t, loc, c.start, c.rule)
			got, err := expand(e, loc, members.MustDate(c.from), members.MustDate(c.to))
			if err != nil {
				t.Fatal(err)
			}
			if dates(got) != c.want {
				t.Errorf("got  %s\nwant %s", dates(got), c.want)
			}
		})
	}
}

// TestExpandBounded: a rule without end is expanded at most maxExpand at
// a time, and its bounds say it has no last date.
func TestExpandBounded(t *testing.T) {
	loc := mustZone(t, "America/Chicago")
	e := series(t, loc, "2026-12-01T07:00", "FREQ=DAILY")
	if !e.LastDate.IsZero() {
		t.Errorf("last date %s, want none", e.LastDate)
	}
	got, err := expand(e, loc, e.FirstDate, e.FirstDate.AddYears(50))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != maxExpand {
		t.Errorf("expanded %d, want the cap %d", len(got), maxExpand)
	}
	all, err := expandAll(e, loc, e.FirstDate, e.FirstDate.AddYears(3).AddDays(-1))
	if err != nil || len(all) != 1096 {
		t.Errorf("three years: %d occurrences (%v), want 1096 (2028 is a leap year)", len(all), err)
	}
	c := series(t, loc, "2026-12-01T07:00", "FREQ=WEEKLY;COUNT=10")
	if c.LastDate != members.MustDate("2027-02-02") {
		t.Errorf("COUNT=10 last date %s, want 2027-02-02", c.LastDate)
	}
}

// TestUntilRule: ending a series keeps its parts and ends it on the day,
// written in UTC; the rule reads back to the same last date.
func TestUntilRule(t *testing.T) {
	loc := mustZone(t, "America/Chicago")
	got := untilRule("FREQ=WEEKLY;BYDAY=TU;COUNT=50", members.MustDate("2026-12-21"), loc)
	if got != "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261222T055959Z" {
		t.Errorf("got %s", got)
	}
	e := series(t, loc, "2026-12-01T18:30", got)
	if e.LastDate != members.MustDate("2026-12-21") {
		t.Errorf("last date %s", e.LastDate)
	}
	occ, _ := expand(e, loc, e.FirstDate, e.FirstDate.AddYears(1))
	if dates(occ) != "2026-12-01 2026-12-08 2026-12-15" {
		t.Errorf("occurrences %s", dates(occ))
	}
}

// TestExpandSkippedHour: a daily 2:30 am occurrence on the night clocks
// spring forward in Chicago (2:30 does not exist) starts at 3:30, as RFC
// 5545 says; the days around it stay at 2:30.
func TestExpandSkippedHour(t *testing.T) {
	loc := mustZone(t, "America/Chicago")
	e := series(t, loc, "2027-03-13T02:30", "FREQ=DAILY;COUNT=3")
	got, err := expand(e, loc, e.FirstDate, e.LastDate)
	if err != nil {
		t.Fatal(err)
	}
	var local []string
	for _, lt := range got {
		local = append(local, lt.In(loc).Format("Jan 2 15:04 MST"))
	}
	if s := strings.Join(local, ", "); s != "Mar 13 02:30 CST, Mar 14 03:30 CDT, Mar 15 02:30 CDT" {
		t.Errorf("got %s", s)
	}
}
