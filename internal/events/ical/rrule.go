package ical

import (
	"strconv"
	"strings"
	"time"
)

// recur is what the writer needs to know about a validated RRULE.
type recur struct {
	// value is the rule as written, upper-cased, without "RRULE:".
	value string
	// until is the UNTIL bound; zero when the rule has none.
	until time.Time
}

// utcDateTime is the RFC 5545 DATE-TIME form with UTC time.
const utcDateTime = "20060102T150405Z"

var freqs = map[string]bool{
	"SECONDLY": true, "MINUTELY": true, "HOURLY": true, "DAILY": true,
	"WEEKLY": true, "MONTHLY": true, "YEARLY": true,
}

var weekdays = map[string]bool{
	"MO": true, "TU": true, "WE": true, "TH": true, "FR": true, "SA": true, "SU": true,
}

// intLists are the rule parts whose value is a comma list of signed
// integers, with the bounds RFC 5545 section 3.3.10 gives them.
var intLists = map[string][2]int{
	"BYSECOND":   {0, 60},
	"BYMINUTE":   {0, 59},
	"BYHOUR":     {0, 23},
	"BYMONTHDAY": {-31, 31},
	"BYYEARDAY":  {-366, 366},
	"BYWEEKNO":   {-53, 53},
	"BYMONTH":    {1, 12},
	"BYSETPOS":   {-366, 366},
}

// parseRRule checks s against the RECUR grammar of RFC 5545 section 3.3.10
// closely enough that nothing unsafe or meaningless reaches a client: known
// parts only, each once, FREQ present, values of the right shape, and UNTIL
// in UTC (required because DTSTART carries a TZID).
func parseRRule(s string) (recur, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "RRULE:")
	if s == "" {
		return recur{}, errorString("is empty")
	}
	var r recur
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ";") {
		name, value, ok := strings.Cut(part, "=")
		if !ok || name == "" || value == "" {
			return recur{}, errorString("part " + strconv.Quote(part) + " is not NAME=VALUE")
		}
		if seen[name] {
			return recur{}, errorString(name + " appears twice")
		}
		seen[name] = true
		if err := checkRulePart(name, value, &r); err != nil {
			return recur{}, err
		}
	}
	if !seen["FREQ"] {
		return recur{}, errorString("FREQ is required")
	}
	if seen["UNTIL"] && seen["COUNT"] {
		return recur{}, errorString("UNTIL and COUNT cannot both be given")
	}
	r.value = s
	return r, nil
}

// checkRulePart validates one NAME=VALUE part of a rule.
func checkRulePart(name, value string, r *recur) error {
	switch name {
	case "FREQ":
		if !freqs[value] {
			return errorString("FREQ " + strconv.Quote(value) + " is not a frequency")
		}
	case "UNTIL":
		t, err := time.Parse(utcDateTime, value)
		if err != nil {
			return errorString("UNTIL must be a UTC date-time like 20271231T235959Z")
		}
		r.until = t
	case "COUNT", "INTERVAL":
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 || strings.HasPrefix(value, "+") {
			return errorString(name + " must be a positive whole number")
		}
	case "WKST":
		if !weekdays[value] {
			return errorString("WKST must be a weekday code such as MO")
		}
	case "BYDAY":
		for day := range strings.SplitSeq(value, ",") {
			if !validByDay(day) {
				return errorString("BYDAY " + strconv.Quote(day) + " is not like TU, 1MO or -1FR")
			}
		}
	default:
		bounds, ok := intLists[name]
		if !ok {
			return errorString(strconv.Quote(name) + " is not a recurrence rule part")
		}
		for item := range strings.SplitSeq(value, ",") {
			n, err := strconv.Atoi(item)
			if err != nil || n < bounds[0] || n > bounds[1] || (n == 0 && bounds[0] < 0) {
				return errorString(name + " value " + strconv.Quote(item) + " is out of range")
			}
		}
	}
	return nil
}

// validByDay reports whether s is a BYDAY item: an optional signed ordinal
// (1 to 53) followed by a two-letter weekday.
func validByDay(s string) bool {
	if len(s) < 2 || !weekdays[s[len(s)-2:]] {
		return false
	}
	ord := s[:len(s)-2]
	if ord == "" {
		return true
	}
	if ord[0] == '+' || ord[0] == '-' {
		ord = ord[1:]
	}
	if ord == "" || len(ord) > 2 || ord[0] == '0' {
		return false
	}
	n, err := strconv.Atoi(ord)
	return err == nil && n >= 1 && n <= 53
}

// errorString is a plain message, wrapped into a FieldError by the caller.
type errorString string

func (e errorString) Error() string { return string(e) }
