package ical

import (
	"testing"
	"time"
)

// TestOpenEndedSeriesCoveredAhead: a series that began years ago and has
// no end must still have correct offsets for years after the calendar was
// written, since clients expand it into the future.
func TestOpenEndedSeriesCoveredAhead(t *testing.T) {
	chi := mustZone(t, "America/Chicago")
	c := Calendar{Location: chi, Events: []Event{{
		UID: "old-series", Start: time.Date(2015, 2, 3, 18, 30, 0, 0, chi), RRule: "FREQ=WEEKLY;BYDAY=TU",
		Stamp: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC),
	}}}
	cal := decode(t, marshal(t, c))
	z := readVTimezone(t, children(cal.Component, "VTIMEZONE")[0])
	for u := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC); u.Before(time.Date(2037, 1, 1, 0, 0, 0, 0, time.UTC)); u = u.Add(time.Hour) {
		if _, want := u.In(chi).Zone(); z.offsetAt(u) != want {
			t.Fatalf("offset at %v is %d, Go says %d", u, z.offsetAt(u), want)
		}
	}
}

// TestSpanIsCapped: a far-off UNTIL must not make the calendar huge.
func TestSpanIsCapped(t *testing.T) {
	chi := mustZone(t, "America/Chicago")
	events := []Event{{Start: time.Date(2026, 1, 6, 18, 30, 0, 0, chi), RRule: "FREQ=WEEKLY;UNTIL=29991231T000000Z"}}
	rules := []recur{{until: time.Date(2999, 12, 31, 0, 0, 0, 0, time.UTC)}}
	from, to := span(chi, events, rules)
	if from.Year() != 2025 || to.Year() != 2025+maxSpanYears {
		t.Errorf("span %v to %v", from, to)
	}
	// Walks past 2040, a leap year where time.Time.ZoneBounds stops
	// making progress; every observance must be a real transition.
	obs := observances(chi, from, to)
	if len(obs) != 2*maxSpanYears+1 {
		t.Errorf("%d observances, want %d", len(obs), 2*maxSpanYears+1)
	}
	for i, o := range obs[1:] {
		if got := stateAt(chi, o.start); got.off != o.to || got.dst != o.daylight || got.name != o.name {
			t.Errorf("observance %d at %v: zone is %+v", i+1, o.start, got)
		}
		if got := stateAt(chi, o.start.Add(-time.Second)); got.off != o.from {
			t.Errorf("observance %d at %v: offset before is %d, want %d", i+1, o.start, got.off, o.from)
		}
	}
}

// TestObservancesFixedZone: a zone with no transitions at all gives a single
// observance with equal offsets.
func TestObservancesFixedZone(t *testing.T) {
	loc := time.FixedZone("Etc/GMT-3", 3*3600)
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, loc)
	obs := observances(loc, from, from.AddDate(5, 0, 0))
	if len(obs) != 1 || obs[0].from != 3*3600 || obs[0].to != 3*3600 || obs[0].daylight {
		t.Errorf("observances = %+v", obs)
	}
}
