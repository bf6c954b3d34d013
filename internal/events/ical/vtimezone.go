package ical

import (
	"fmt"
	"time"
)

// Bounds of the span a VTIMEZONE covers. Transitions outside the span are
// left out; a client keeps using the last observance after it.
const (
	// openEndedYears is how far past its start, and past its DTSTAMP, an
	// open-ended series (no UNTIL) is covered. A subscribed feed is
	// re-fetched, and so extended, long before then.
	openEndedYears = 10
	// maxSpanYears caps the span, so a far-off UNTIL cannot make the
	// calendar huge.
	maxSpanYears = 60
)

// observance is one STANDARD or DAYLIGHT sub-component: from the instant
// start on, local time is UTC+to seconds; before it, it was UTC+from.
type observance struct {
	daylight bool
	start    time.Time
	from, to int
	name     string
}

// zoneState is what a VTIMEZONE observance records about a zone at an
// instant.
type zoneState struct {
	name string
	off  int
	dst  bool
}

func stateAt(loc *time.Location, u time.Time) zoneState {
	t := u.In(loc)
	name, off := t.Zone()
	return zoneState{name: name, off: off, dst: t.IsDST()}
}

// scanStep is how far apart the zone is sampled when looking for
// transitions; every change found is then narrowed to the second. Zones
// do not change twice within a day.
const scanStep = 24 * time.Hour

// observances lists the offsets of loc in force from the instant from up to
// (not including) the instant to: first the one in force at from (with equal
// TZOFFSETFROM and TZOFFSETTO), then one per transition.
//
// Transitions are found by sampling Go's zone data and bisecting, not with
// time.Time.ZoneBounds, whose end is wrong on the last day of leap years
// in the rule-based part of the data (it stops making progress there).
func observances(loc *time.Location, from, to time.Time) []observance {
	cur := stateAt(loc, from)
	out := []observance{{daylight: cur.dst, start: from, from: cur.off, to: cur.off, name: cur.name}}
	for lo := from; lo.Before(to); {
		hi := lo.Add(scanStep)
		next := stateAt(loc, hi)
		if next == cur {
			lo = hi
			continue
		}
		// The state changes in (lo, hi]: narrow down to the first second
		// that is not cur.
		for {
			half := (hi.Sub(lo) / 2).Truncate(time.Second)
			if half <= 0 {
				break
			}
			mid := lo.Add(half)
			if s := stateAt(loc, mid); s == cur {
				lo = mid
			} else {
				hi, next = mid, s
			}
		}
		if !hi.Before(to) {
			break
		}
		out = append(out, observance{daylight: next.dst, start: hi, from: cur.off, to: next.off, name: next.name})
		lo, cur = hi, next
	}
	return out
}

// span returns the instants the VTIMEZONE must cover for events: from
// January 1 of the year before the earliest time written to January 1 two
// years after the latest (the UNTIL of a bounded series, or openEndedYears
// past the later of the start and the DTSTAMP of an open-ended one),
// capped at maxSpanYears.
func span(loc *time.Location, events []Event, rules []recur) (from, to time.Time) {
	var lo, hi time.Time
	see := func(t time.Time) {
		if t.IsZero() {
			return
		}
		if lo.IsZero() || t.Before(lo) {
			lo = t
		}
		if hi.IsZero() || t.After(hi) {
			hi = t
		}
	}
	for i := range events {
		e := &events[i]
		see(e.Start)
		see(e.Start.Add(e.Duration))
		see(e.RecurrenceID)
		for _, x := range e.ExDates {
			see(x)
		}
		if e.RRule != "" {
			if !rules[i].until.IsZero() {
				see(rules[i].until)
			} else {
				// Cover the years ahead of both the series start and
				// the time the calendar was written (DTSTAMP), so an
				// old series that runs on is still covered.
				see(e.Start.AddDate(openEndedYears, 0, 0))
				see(e.stamp().AddDate(openEndedYears, 0, 0))
			}
		}
	}
	from = time.Date(lo.In(loc).Year()-1, time.January, 1, 0, 0, 0, 0, loc)
	to = time.Date(hi.In(loc).Year()+2, time.January, 1, 0, 0, 0, 0, loc)
	if limit := from.AddDate(maxSpanYears, 0, 0); to.After(limit) {
		to = limit
	}
	return from, to
}

// writeVTimezone writes the VTIMEZONE for loc covering [from, to), with one
// explicit STANDARD or DAYLIGHT sub-component per transition. That is
// longer than a yearly RRULE but exact for any zone and any history.
func (w *contentWriter) writeVTimezone(loc *time.Location, from, to time.Time) {
	w.prop("BEGIN", "VTIMEZONE")
	w.prop("TZID", loc.String())
	for _, o := range observances(loc, from, to) {
		kind := "STANDARD"
		if o.daylight {
			kind = "DAYLIGHT"
		}
		w.prop("BEGIN", kind)
		// DTSTART is the local time of the onset, read on the clock in
		// force just before it (RFC 5545 section 3.6.5).
		w.prop("DTSTART", o.start.In(time.FixedZone("", o.from)).Format(localDateTime))
		w.prop("TZOFFSETFROM", utcOffset(o.from))
		w.prop("TZOFFSETTO", utcOffset(o.to))
		w.text("TZNAME", o.name)
		w.prop("END", kind)
	}
	w.prop("END", "VTIMEZONE")
}

// utcOffset formats seconds east of UTC as an RFC 5545 UTC-OFFSET:
// +HHMM, or +HHMMSS when there are seconds. Zero is "+0000" ("-0000" is
// not allowed).
func utcOffset(secs int) string {
	sign := '+'
	if secs < 0 {
		sign, secs = '-', -secs
	}
	h, m, s := secs/3600, secs/60%60, secs%60
	if s != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}
