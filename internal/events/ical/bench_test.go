package ical

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkMarshalFeed writes a program's feed: 50 weekly series with an
// exception each and 150 single events over a year, in America/Chicago.
func BenchmarkMarshalFeed(b *testing.B) {
	chi := mustZone(b, "America/Chicago")
	stamp := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	var c = Calendar{Name: "Alumni events", Method: "PUBLISH", Location: chi}
	for i := range 200 {
		e := Event{
			UID:         fmt.Sprintf("event-%d@cairn.test", i),
			Summary:     fmt.Sprintf("Event %d, with a title; long enough", i),
			Description: "A description that runs over one line, so that folding is part of the work being measured here.",
			Location:    "Room 4, Main Hall",
			Start:       time.Date(2026, 1, 1+i, 18, 30, 0, 0, chi),
			Duration:    90 * time.Minute,
			Stamp:       stamp,
		}
		if i < 50 {
			e.RRule = "FREQ=WEEKLY;UNTIL=20271231T235959Z"
			e.ExDates = []time.Time{e.Start.AddDate(0, 0, 14)}
		}
		c.Events = append(c.Events, e)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Marshal(c); err != nil {
			b.Fatal(err)
		}
	}
}
