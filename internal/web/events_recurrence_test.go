package web

import (
	"net/url"
	"testing"

	"github.com/cairn-recovery/cairn/internal/members"
)

func TestBuildRRule(t *testing.T) {
	cases := []struct {
		name string
		form url.Values
		want string
		bad  string
	}{
		{"one-off", url.Values{"repeat": {"none"}, "byday": {"TU"}}, "", ""},
		{"weekly", url.Values{"repeat": {"weekly"}, "byday": {"TH", "TU"}, "weekly_interval": {"1"}}, "FREQ=WEEKLY;BYDAY=TU,TH", ""},
		{"fortnightly until", url.Values{"repeat": {"weekly"}, "byday": {"SA"}, "weekly_interval": {"2"}, "ends": {"until"}, "until": {"2027-06-30"}},
			"FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;UNTIL=20270630", ""},
		{"monthly day", url.Values{"repeat": {"monthly"}, "monthly_mode": {"day"}, "monthly_day": {"15"}, "ends": {"count"}, "count": {"12"}},
			"FREQ=MONTHLY;BYMONTHDAY=15;COUNT=12", ""},
		{"first friday", url.Values{"repeat": {"monthly"}, "monthly_mode": {"weekday"}, "monthly_nth": {"1"}, "monthly_weekday": {"FR"}}, "FREQ=MONTHLY;BYDAY=1FR", ""},
		{"last sunday", url.Values{"repeat": {"monthly"}, "monthly_mode": {"weekday"}, "monthly_nth": {"-1"}, "monthly_weekday": {"SU"}}, "FREQ=MONTHLY;BYDAY=-1SU", ""},
		{"custom", url.Values{"repeat": {"custom"}, "rrule_custom": {"rrule:freq=daily;count=3"}}, "FREQ=DAILY;COUNT=3", ""},
		{"weekly without days", url.Values{"repeat": {"weekly"}}, "", "byday"},
		{"bad interval", url.Values{"repeat": {"weekly"}, "byday": {"MO"}, "weekly_interval": {"0"}}, "", "weekly_interval"},
		{"bad month day", url.Values{"repeat": {"monthly"}, "monthly_day": {"32"}}, "", "monthly_day"},
		{"bad nth", url.Values{"repeat": {"monthly"}, "monthly_mode": {"weekday"}, "monthly_nth": {"5"}, "monthly_weekday": {"FR"}}, "", "monthly_nth"},
		{"bad until", url.Values{"repeat": {"weekly"}, "byday": {"MO"}, "ends": {"until"}, "until": {"soon"}}, "", "until"},
		{"count zero", url.Values{"repeat": {"weekly"}, "byday": {"MO"}, "ends": {"count"}, "count": {"0"}}, "", "count"},
		{"empty custom", url.Values{"repeat": {"custom"}}, "", "rrule_custom"},
		{"unknown choice", url.Values{"repeat": {"hourly"}}, "", "repeat"},
	}
	for _, c := range cases {
		got, ve := buildRRule(c.form)
		if c.bad != "" {
			if ve.For(c.bad) == "" {
				t.Errorf("%s: problems %v, want one on %s", c.name, ve, c.bad)
			}
			continue
		}
		if len(ve) > 0 || got != c.want {
			t.Errorf("%s: %q %v, want %q", c.name, got, ve, c.want)
		}
	}
}

// TestPickerRoundTrip: a rule the picker wrote reads back into the same
// choices, and any other rule lands in the custom field unchanged.
func TestPickerRoundTrip(t *testing.T) {
	start := members.MustDate("2026-12-01") // a Tuesday
	for _, rule := range []string{"", "FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10",
		"FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20271231", "FREQ=MONTHLY;BYDAY=-1FR"} {
		f := pickerValues(rule, start)
		got, ve := buildRRule(f)
		if len(ve) > 0 || got != rule {
			t.Errorf("%q read back as %q (%v)", rule, got, ve)
		}
	}
	for _, rule := range []string{"FREQ=DAILY", "FREQ=YEARLY;BYMONTH=6", "FREQ=WEEKLY;BYDAY=TU;WKST=SU", "FREQ=MONTHLY;BYDAY=2SA,4SA", "garbage"} {
		f := pickerValues(rule, start)
		if f.Get("repeat") != "custom" || f.Get("rrule_custom") != rule {
			t.Errorf("%q: picker %v, want the custom field", rule, f)
		}
	}
	if f := pickerValues("", start); f.Get("repeat") != "none" || f.Get("monthly_weekday") != "TU" || f.Get("monthly_day") != "1" {
		t.Errorf("defaults for a Tuesday the 1st: %v", f)
	}
}

func FuzzBuildRRule(f *testing.F) {
	f.Add("weekly", "TU", "2", "day", "15", "1", "FR", "until", "2027-01-01", "3", "")
	f.Add("custom", "", "", "", "", "", "", "", "", "", "FREQ=DAILY")
	f.Fuzz(func(t *testing.T, repeat, day, interval, mode, mday, nth, wd, ends, until, count, custom string) {
		v := url.Values{"repeat": {repeat}, "byday": {day}, "weekly_interval": {interval}, "monthly_mode": {mode},
			"monthly_day": {mday}, "monthly_nth": {nth}, "monthly_weekday": {wd}, "ends": {ends}, "until": {until},
			"count": {count}, "rrule_custom": {custom}}
		rule, ve := buildRRule(v)
		if len(ve) == 0 && repeat != "custom" && rule != "" {
			// A friendly rule reads back as itself.
			back, ve2 := buildRRule(pickerValues(rule, members.MustDate("2026-12-01")))
			if len(ve2) > 0 || back != rule {
				t.Fatalf("%q read back as %q (%v)", rule, back, ve2)
			}
		}
	})
}
