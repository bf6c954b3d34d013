package events

import (
	"slices"
	"testing"
	"time"
)

// TestWeeklyDays: only rules that meet every week are meetings for the
// Meeting Guide feed.
func TestWeeklyDays(t *testing.T) {
	tests := []struct {
		rule string
		days []time.Weekday
		ok   bool
	}{
		{"FREQ=WEEKLY;BYDAY=TU", []time.Weekday{time.Tuesday}, true},
		{"freq=weekly;byday=mo,th", []time.Weekday{time.Monday, time.Thursday}, true},
		{"FREQ=WEEKLY", nil, true},
		{"FREQ=WEEKLY;INTERVAL=1;BYDAY=SU;COUNT=10", []time.Weekday{time.Sunday}, true},
		{"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", nil, false},
		{"FREQ=MONTHLY;BYDAY=1TU", nil, false},
		{"FREQ=WEEKLY;BYDAY=1TU", nil, false},
		{"FREQ=WEEKLY;BYMONTH=6;BYDAY=TU", nil, false},
		{"FREQ=DAILY", nil, false},
		{"", nil, false},
	}
	for _, tt := range tests {
		days, ok := weeklyDays(tt.rule)
		if ok != tt.ok || (ok && !slices.Equal(days, tt.days)) {
			t.Errorf("weeklyDays(%q) = %v, %v; want %v, %v", tt.rule, days, ok, tt.days, tt.ok)
		}
	}
}
