package ical_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/events/ical"
)

// A weekly meeting in the program's time zone, as a subscribable feed.
func ExampleMarshal() {
	chi, _ := time.LoadLocation("America/Chicago")
	b, err := ical.Marshal(ical.Calendar{
		Name:     "Alumni events",
		Method:   "PUBLISH",
		Location: chi,
		Events: []ical.Event{{
			UID:      "event-7@alumni.example.org",
			Summary:  "Tuesday alumni meeting",
			Start:    time.Date(2026, 12, 1, 18, 30, 0, 0, chi),
			Duration: 90 * time.Minute,
			RRule:    "FREQ=WEEKLY;BYDAY=TU",
			Stamp:    time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC),
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Print the event's times (the VTIMEZONE has DTSTART lines too).
	for line := range strings.SplitSeq(string(b), "\r\n") {
		if strings.HasPrefix(line, "DTSTART;") || strings.HasPrefix(line, "DTEND") ||
			strings.HasPrefix(line, "DTSTAMP") || strings.HasPrefix(line, "RRULE") {
			fmt.Println(line)
		}
	}
	// Output:
	// DTSTAMP:20261130T120000Z
	// DTSTART;TZID=America/Chicago:20261201T183000
	// DTEND;TZID=America/Chicago:20261201T200000
	// RRULE:FREQ=WEEKLY;BYDAY=TU
}

// One weekly meeting in the Meeting Guide JSON format.
func ExampleMeetingGuide() {
	chi, _ := time.LoadLocation("America/Chicago")
	b, err := ical.MeetingGuide([]ical.Meeting{{
		Name:     "Tuesday Alumni Meeting",
		Slug:     "tuesday-alumni",
		Start:    time.Date(2026, 12, 1, 18, 30, 0, 0, chi),
		Duration: 90 * time.Minute,
		Types:    []string{"O"},
		City:     "Chicago",
		State:    "IL",
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(b))
	// Output:
	// [{"name":"Tuesday Alumni Meeting","slug":"tuesday-alumni","day":2,"time":"18:30","end_time":"20:00","timezone":"America/Chicago","types":["O"],"city":"Chicago","state":"IL"}]
}
