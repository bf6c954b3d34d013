package members

import (
	"testing"
)

func TestDefaultScheduleDates(t *testing.T) {
	for _, c := range []struct {
		start, label, want string
	}{
		{"2025-03-14", "24 hours", "2025-03-15"},
		{"2024-02-28", "24 hours", "2024-02-29"},
		{"2025-12-31", "24 hours", "2026-01-01"},
		{"2025-03-14", "30 days", "2025-04-13"},
		{"2025-03-14", "90 days", "2025-06-12"},
		{"2025-08-31", "6 months", "2026-02-28"},
		{"2023-08-31", "6 months", "2024-02-29"},
		{"2025-05-31", "9 months", "2026-02-28"},
		{"2024-02-29", "1 year", "2025-02-28"},
		{"2024-02-29", "4 years", "2028-02-29"},
		{"2024-02-29", "18 months", "2025-08-29"},
		{"2024-08-31", "18 months", "2026-02-28"},
		{"2015-06-01", "10 years", "2025-06-01"},
		{"2015-06-01", "2 years", "2017-06-01"},
	} {
		start := MustDate(c.start)
		var got string
		for _, m := range DefaultSchedule.Between(start, start, start.AddYears(20)) {
			if m.Label == c.label {
				got = m.Date.String()
				break
			}
		}
		if got != c.want {
			t.Errorf("%s from %s = %q, want %s", c.label, c.start, got, c.want)
		}
	}
}

func TestNextAndReached(t *testing.T) {
	start := MustDate("2025-03-14")
	if m := DefaultSchedule.Next(start, start); m.Label != "24 hours" || m.Date.String() != "2025-03-15" {
		t.Errorf("next on day 0 = %+v", m)
	}
	if r := DefaultSchedule.Reached(start, start); len(r) != 0 {
		t.Errorf("reached on day 0 = %v", r)
	}
	today := MustDate("2026-10-01")
	r := DefaultSchedule.Reached(start, today)
	if len(r) != 8 || r[7].Label != "18 months" {
		t.Errorf("reached = %v", r)
	}
	if m := DefaultSchedule.Next(start, today); m.Label != "2 years" || m.Date.String() != "2027-03-14" {
		t.Errorf("next = %+v", m)
	}
	// On the milestone's own day it is reached, and the next is later.
	if m := DefaultSchedule.Next(start, MustDate("2026-03-14")); m.Label != "18 months" {
		t.Errorf("next on the 1-year day = %+v", m)
	}
	// A long recovery: the 30th anniversary comes next, with no list of
	// everything before it.
	if m := DefaultSchedule.Next(MustDate("1995-07-04"), MustDate("2025-01-01")); m.Label != "30 years" || m.Date.String() != "2025-07-04" {
		t.Errorf("next after 29 years = %+v", m)
	}
}

// TestMilestonesIncreaseAndNoneSkipped checks, over every start date of
// eight years (two leap cycles), that the milestones are strictly
// increasing, that the default steps come in order followed by every
// anniversary from 2 on, and that windows split anywhere give the same
// list as one window.
func TestMilestonesIncreaseAndNoneSkipped(t *testing.T) {
	first := MustDate("2019-01-01")
	for k := 0; k < 8*366; k++ {
		start := first.AddDays(k)
		end := start.AddYears(12)
		all := DefaultSchedule.Between(start, start, end)
		want := len(DefaultSchedule) + 11 // 2 … 12 years
		if len(all) != want {
			t.Fatalf("start %s: %d milestones, want %d: %v", start, len(all), want, all)
		}
		for i := range all {
			if i > 0 && !all[i].Date.After(all[i-1].Date) {
				t.Fatalf("start %s: %v not after %v", start, all[i], all[i-1])
			}
			if i < len(DefaultSchedule) && all[i].Label != DefaultSchedule[i].Label {
				t.Fatalf("start %s: milestone %d is %q", start, i, all[i].Label)
			}
			if i >= len(DefaultSchedule) && all[i].Label != yearLabel(i-len(DefaultSchedule)+2) {
				t.Fatalf("start %s: milestone %d is %q", start, i, all[i].Label)
			}
		}
		// Split into consecutive windows of 31 days: same milestones.
		var split []Milestone
		for from := start; !from.After(end); from = from.AddDays(31) {
			to := from.AddDays(30)
			if to.After(end) {
				to = end
			}
			split = append(split, DefaultSchedule.Between(start, from, to)...)
		}
		if len(split) != len(all) {
			t.Fatalf("start %s: windows give %d milestones, one range %d", start, len(split), len(all))
		}
		for i := range split {
			if split[i] != all[i] {
				t.Fatalf("start %s: window milestone %v, want %v", start, split[i], all[i])
			}
		}
		// Next agrees with the list on every milestone day and the day
		// before it.
		for i, m := range all[:len(all)-1] {
			if n := DefaultSchedule.Next(start, m.Date); n != all[i+1] {
				t.Fatalf("start %s: next after %v = %v, want %v", start, m, n, all[i+1])
			}
			if n := DefaultSchedule.Next(start, m.Date.AddDays(-1)); n != m {
				t.Fatalf("start %s: next before %v = %v", start, m, n)
			}
		}
	}
}

func TestScheduleValidate(t *testing.T) {
	if err := DefaultSchedule.Validate(); err != nil {
		t.Fatalf("default schedule: %v", err)
	}
	for _, c := range []struct {
		s     Schedule
		field string
	}{
		{Schedule{}, "steps"},
		{Schedule{{"", Days, 1}}, "steps[0].label"},
		{Schedule{{"x", "weeks", 1}}, "steps[0].unit"},
		{Schedule{{"x", Days, 0}}, "steps[0].amount"},
		{Schedule{{"x", Years, 101}}, "steps[0].amount"},
		{Schedule{{"30 days", Days, 30}, {"1 month", Months, 1}}, "steps[1]"},
		{Schedule{{"60 days", Days, 60}, {"30 days", Days, 30}}, "steps[1]"},
	} {
		err := c.s.Validate()
		ve, ok := err.(ValidationError)
		if !ok || len(ve) != 1 || ve[0].Field != c.field {
			t.Errorf("Validate(%v) = %v, want field %s", c.s, err, c.field)
		}
	}
}

func TestCustomScheduleTail(t *testing.T) {
	s := Schedule{{"1 week", Days, 7}, {"2 years", Years, 2}}
	start := MustDate("2020-01-10")
	got := s.Between(start, start, MustDate("2024-01-10"))
	var labels []string
	for _, m := range got {
		labels = append(labels, m.Label)
	}
	want := []string{"1 week", "2 years", "3 years", "4 years"}
	if len(labels) != len(want) {
		t.Fatalf("labels %v", labels)
	}
	for i := range want {
		if labels[i] != want[i] {
			t.Fatalf("labels %v", labels)
		}
	}
}
