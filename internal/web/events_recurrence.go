package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/cairn-recovery/cairn/internal/members"
)

// The editor's recurrence picker: a few friendly choices (weekly on some
// days, monthly on a day or on the Nth weekday, with an optional end) that
// produce an RRULE, and a text field for any other rule. The picker's
// fields are plain form fields, so that it works without JavaScript.

// weekdayCode is one day of the week as RRULE writes it, with its name.
type weekdayCode struct{ Code, Name string }

// rruleWeekdays are the days in the order the picker shows them.
var rruleWeekdays = []weekdayCode{
	{"SU", "Sunday"}, {"MO", "Monday"}, {"TU", "Tuesday"}, {"WE", "Wednesday"},
	{"TH", "Thursday"}, {"FR", "Friday"}, {"SA", "Saturday"},
}

// ordinal is a choice of "which weekday of the month".
type ordinal struct {
	Value string
	Name  string
}

var rruleOrdinals = []ordinal{{"1", "first"}, {"2", "second"}, {"3", "third"}, {"4", "fourth"}, {"-1", "last"}}

func isWeekday(code string) bool {
	return slices.ContainsFunc(rruleWeekdays, func(w weekdayCode) bool { return w.Code == code })
}

func isOrdinal(v string) bool {
	return slices.ContainsFunc(rruleOrdinals, func(o ordinal) bool { return o.Value == v })
}

// buildRRule turns the picker's fields into an RRULE ("" for a one-off
// event). Problems are reported on the picker's fields; the rule itself is
// validated by the store.
func buildRRule(f url.Values) (string, members.ValidationError) {
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	var ve members.ValidationError
	bad := func(field, msg string) { ve = append(ve, members.FieldError{Field: field, Message: msg}) }
	var parts []string
	switch get("repeat") {
	case "", "none":
		return "", nil
	case "custom":
		rule := strings.TrimPrefix(strings.ToUpper(get("rrule_custom")), "RRULE:")
		if rule == "" {
			bad("rrule_custom", "Enter a rule such as FREQ=WEEKLY;BYDAY=TU, or choose another way to repeat.")
		}
		return rule, ve
	case "weekly":
		parts = append(parts, "FREQ=WEEKLY")
		if n := get("weekly_interval"); n != "" && n != "1" {
			i, err := strconv.Atoi(n)
			if err != nil || i < 1 || i > 52 {
				bad("weekly_interval", "Enter how many weeks apart, from 1 to 52.")
			} else {
				parts = append(parts, fmt.Sprintf("INTERVAL=%d", i))
			}
		}
		var days []string
		for _, w := range rruleWeekdays {
			if slices.Contains(f["byday"], w.Code) {
				days = append(days, w.Code)
			}
		}
		if len(days) == 0 {
			bad("byday", "Choose at least one day of the week.")
		}
		parts = append(parts, "BYDAY="+strings.Join(days, ","))
	case "monthly":
		parts = append(parts, "FREQ=MONTHLY")
		if get("monthly_mode") == "weekday" {
			nth, wd := get("monthly_nth"), get("monthly_weekday")
			if !isOrdinal(nth) || !isWeekday(wd) {
				bad("monthly_nth", "Choose which weekday of the month, such as the first Friday.")
			}
			parts = append(parts, "BYDAY="+nth+wd)
		} else {
			d, err := strconv.Atoi(get("monthly_day"))
			if err != nil || d < 1 || d > 31 {
				bad("monthly_day", "Enter a day of the month from 1 to 31.")
			}
			parts = append(parts, fmt.Sprintf("BYMONTHDAY=%d", d))
		}
	default:
		bad("repeat", "Choose how the event repeats.")
		return "", ve
	}
	switch get("ends") {
	case "", "never":
	case "until":
		d, err := members.ParseDate(get("until"))
		if err != nil {
			bad("until", "Enter the last date, such as 2027-06-30.")
		} else {
			parts = append(parts, fmt.Sprintf("UNTIL=%04d%02d%02d", d.Year, int(d.Month), d.Day))
		}
	case "count":
		n, err := strconv.Atoi(get("count"))
		if err != nil || n < 1 || n > 800 {
			bad("count", "Enter how many times, from 1 to 800.")
		} else {
			parts = append(parts, fmt.Sprintf("COUNT=%d", n))
		}
	default:
		bad("ends", "Choose when the series ends.")
	}
	return strings.Join(parts, ";"), ve
}

// pickerValues fills the picker's fields from a saved rule: the friendly
// choices when the rule is one of theirs, the custom field otherwise.
func pickerValues(rule string, start members.Date) url.Values {
	v := url.Values{"repeat": {"none"}, "weekly_interval": {"1"}, "monthly_mode": {"day"}, "ends": {"never"},
		"monthly_day": {strconv.Itoa(max(start.Day, 1))}, "monthly_nth": {"1"}}
	if !start.IsZero() {
		wd := rruleWeekdays[int(start.In(nil).Weekday())].Code
		v.Set("monthly_weekday", wd)
		v["byday"] = []string{wd}
	}
	if rule == "" {
		return v
	}
	custom := func() url.Values {
		v.Set("repeat", "custom")
		v.Set("rrule_custom", rule)
		return v
	}
	kv := map[string]string{}
	for _, p := range strings.Split(strings.ToUpper(rule), ";") {
		k, val, ok := strings.Cut(p, "=")
		if !ok {
			return custom()
		}
		if _, dup := kv[k]; dup {
			return custom()
		}
		kv[k] = val
	}
	if until, ok := kv["UNTIL"]; ok {
		if len(until) != 8 {
			return custom()
		}
		d, err := members.ParseDate(until[:4] + "-" + until[4:6] + "-" + until[6:8])
		if err != nil {
			return custom()
		}
		v.Set("ends", "until")
		v.Set("until", d.String())
		delete(kv, "UNTIL")
	}
	if count, ok := kv["COUNT"]; ok {
		v.Set("ends", "count")
		v.Set("count", count)
		delete(kv, "COUNT")
	}
	switch kv["FREQ"] {
	case "WEEKLY":
		days, ok := kv["BYDAY"]
		if !ok || len(kv) > 3 || (len(kv) == 3 && kv["INTERVAL"] == "") {
			return custom()
		}
		list := strings.Split(days, ",")
		for _, d := range list {
			if !isWeekday(d) {
				return custom()
			}
		}
		v["byday"] = list
		if i := kv["INTERVAL"]; i != "" {
			v.Set("weekly_interval", i)
		}
		v.Set("repeat", "weekly")
	case "MONTHLY":
		if len(kv) != 2 {
			return custom()
		}
		if d, ok := kv["BYMONTHDAY"]; ok {
			if n, err := strconv.Atoi(d); err != nil || n < 1 || n > 31 {
				return custom()
			}
			v.Set("monthly_day", d)
		} else if bd, ok := kv["BYDAY"]; ok && len(bd) >= 3 && isWeekday(bd[len(bd)-2:]) && isOrdinal(bd[:len(bd)-2]) {
			v.Set("monthly_mode", "weekday")
			v.Set("monthly_nth", bd[:len(bd)-2])
			v.Set("monthly_weekday", bd[len(bd)-2:])
		} else {
			return custom()
		}
		v.Set("repeat", "monthly")
	default:
		return custom()
	}
	return v
}
