package events

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/cairn-recovery/cairn/internal/members"
)

// Bounds on recurrence.
const (
	// maxExpand bounds the occurrences one expansion returns, so that a
	// rule without end (or a very dense one) costs a bounded amount of work
	// per call.
	maxExpand = 800
	// maxRuleCount bounds a rule's COUNT.
	maxRuleCount = 5000
	// maxRuleInterval bounds a rule's INTERVAL.
	maxRuleInterval = 1000
	// maxRRule bounds the length of a rule's text.
	maxRRule = 500
)

// ruleKeys are the RRULE parts Cairn accepts. BYHOUR, BYMINUTE and
// BYSECOND are refused because an event happens at most once a day at the
// time of its start; DTSTART because the event's start is the start.
var ruleKeys = map[string]bool{
	"FREQ": true, "INTERVAL": true, "COUNT": true, "UNTIL": true, "WKST": true,
	"BYDAY": true, "BYMONTHDAY": true, "BYYEARDAY": true, "BYWEEKNO": true,
	"BYMONTH": true, "BYSETPOS": true,
}

// normalizeRule trims s, drops an "RRULE:" prefix and writes the keys in
// upper case, so that stored rules look alike.
func normalizeRule(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 6 && strings.EqualFold(s[:6], "RRULE:") {
		s = s[6:]
	}
	return strings.ToUpper(strings.TrimSpace(s))
}

// parseRule checks an RRULE (already normalized) and returns its options
// for expansion in "floating" wall-clock time: the times it yields are
// local wall-clock times in loc written as if they were UTC, so that
// daylight-saving changes never shift an occurrence's hour. A UNTIL given
// in UTC (…Z) is turned into loc's wall-clock time; a UNTIL that is a date
// includes that whole day. The error says what is wrong, for people.
func parseRule(s string, loc *time.Location) (*rrule.ROption, error) {
	if s == "" {
		return nil, errors.New("is empty")
	}
	if len(s) > maxRRule {
		return nil, fmt.Errorf("is longer than %d characters", maxRRule)
	}
	if strings.ContainsAny(s, "\r\n") || strings.Contains(s, "DTSTART") {
		return nil, errors.New("must be one RRULE without DTSTART (the event's start is the first occurrence), such as FREQ=WEEKLY;BYDAY=TU")
	}
	seen := map[string]bool{}
	var until string
	var freq string
	for _, part := range strings.Split(s, ";") {
		key, value, ok := strings.Cut(part, "=")
		if !ok || key == "" || value == "" {
			return nil, fmt.Errorf("has a malformed part %q (write KEY=VALUE parts separated by ;)", clipRunes(part, maxQuoted))
		}
		switch key {
		case "BYHOUR", "BYMINUTE", "BYSECOND":
			return nil, fmt.Errorf("must not use %s: an event happens at most once a day, at its start time", key)
		}
		if !ruleKeys[key] {
			return nil, fmt.Errorf("has an unknown or unsupported part %s", clipRunes(key, maxQuoted))
		}
		if seen[key] {
			return nil, fmt.Errorf("repeats %s", key)
		}
		seen[key] = true
		switch key {
		case "FREQ":
			freq = value
			switch value {
			case "DAILY", "WEEKLY", "MONTHLY", "YEARLY":
			case "HOURLY", "MINUTELY", "SECONDLY":
				return nil, errors.New("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY: an event happens at most once a day")
			default:
				return nil, errors.New("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")
			}
		case "COUNT":
			n, err := strconv.Atoi(value)
			if err != nil {
				return nil, errors.New("COUNT must be a whole number")
			}
			if n < 1 {
				return nil, errors.New("COUNT must be at least 1")
			}
			if n > maxRuleCount {
				return nil, fmt.Errorf("COUNT must be at most %d", maxRuleCount)
			}
		case "INTERVAL":
			n, err := strconv.Atoi(value)
			if err != nil || n < 1 || n > maxRuleInterval {
				return nil, fmt.Errorf("INTERVAL must be a whole number from 1 to %d", maxRuleInterval)
			}
		case "UNTIL":
			until = value
		}
	}
	if freq == "" {
		return nil, errors.New("must have a FREQ, such as FREQ=WEEKLY")
	}
	if seen["COUNT"] && seen["UNTIL"] {
		return nil, errors.New("must not have both COUNT and UNTIL")
	}
	opt, err := rrule.StrToROptionInLocation(s, time.UTC)
	if err != nil {
		return nil, fmt.Errorf("is not a valid recurrence rule: %s", clipRunes(err.Error(), maxQuoted))
	}
	if until != "" {
		switch {
		case len(until) == len("20060102"):
			opt.Until = opt.Until.Add(24*time.Hour - time.Second)
		case strings.HasSuffix(until, "Z"):
			w := opt.Until.In(loc)
			opt.Until = time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, time.UTC)
		}
		if y := opt.Until.Year(); y < 1900 || y > 9000 {
			return nil, errors.New("UNTIL must be a date such as 20271231")
		}
	}
	// Let the library check the bounds of the BY parts.
	probe := *opt
	probe.Dtstart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := rrule.NewRRule(probe); err != nil {
		return nil, fmt.Errorf("is not a valid recurrence rule: %s", clipRunes(err.Error(), maxQuoted))
	}
	return opt, nil
}

// floating writes a wall-clock time as if it were UTC.
func floatingTime(t LocalTime) time.Time {
	return time.Date(t.Date.Year, t.Date.Month, t.Date.Day, t.Hour, t.Minute, 0, 0, time.UTC)
}

// ruleIterator returns the dates of rule from start on (the first may be
// after start's date when start does not match the rule).
func ruleIterator(rule string, start LocalTime, loc *time.Location) (func() (members.Date, bool), error) {
	opt, err := parseRule(rule, loc)
	if err != nil {
		return nil, err
	}
	opt.Dtstart = floatingTime(start)
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, err
	}
	next := r.Iterator()
	return func() (members.Date, bool) {
		t, ok := next()
		if !ok {
			return members.Date{}, false
		}
		return members.DateOf(t), true
	}, nil
}

// expand returns the local start times of e's occurrences whose original
// dates fall from from to to (inclusive), within e's first and last dates,
// in order and at most maxExpand of them. It is pure: rows, exceptions and
// cancellations are not its business. Every occurrence starts at the
// series' wall-clock time, whatever the daylight-saving offset that day.
func expand(e *Event, loc *time.Location, from, to members.Date) ([]LocalTime, error) {
	if !e.LastDate.IsZero() && to.After(e.LastDate) {
		to = e.LastDate
	}
	if from.Before(e.FirstDate) {
		from = e.FirstDate
	}
	if to.Before(from) {
		return nil, nil
	}
	at := func(d members.Date) LocalTime { return LocalTime{Date: d, Hour: e.Start.Hour, Minute: e.Start.Minute} }
	if !e.Recurring() {
		d := e.Start.Date
		if d.Before(from) || d.After(to) {
			return nil, nil
		}
		return []LocalTime{at(d)}, nil
	}
	next, err := ruleIterator(e.RRule, e.Start, loc)
	if err != nil {
		return nil, fmt.Errorf("events: rule of %s: %w", e.ID, err)
	}
	var out []LocalTime
	for len(out) < maxExpand {
		d, ok := next()
		if !ok || d.After(to) {
			break
		}
		if d.Before(from) {
			continue
		}
		out = append(out, at(d))
	}
	return out, nil
}

// ruleBounds returns the first date of rule from start and its last date
// (zero when the rule has no end). ok is false when the rule yields no
// occurrence at all.
func ruleBounds(rule string, start LocalTime, loc *time.Location) (first, last members.Date, ok bool, err error) {
	next, err := ruleIterator(rule, start, loc)
	if err != nil {
		return first, last, false, err
	}
	first, ok = next()
	if !ok {
		return first, last, false, nil
	}
	opt, _ := parseRule(rule, loc)
	switch {
	case opt.Count > 0:
		last = first
		for i := 1; i < opt.Count; i++ {
			d, more := next()
			if !more {
				break
			}
			last = d
		}
	case !opt.Until.IsZero():
		last = members.DateOf(opt.Until)
		if last.Before(first) {
			last = first
		}
	}
	return first, last, true, nil
}
