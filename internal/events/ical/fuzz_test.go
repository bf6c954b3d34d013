package ical

import (
	"strings"
	"testing"
	"time"
)

// FuzzMarshalText: whatever people type into the text fields, the output
// has only valid, folded CRLF lines, go-ical parses it, and the text reads
// back as typed (less the control characters TEXT cannot hold).
func FuzzMarshalText(f *testing.F) {
	f.Add("Tuesday meeting", "Line one\nLine two; a, b \\ c", "Room 4", "Alumni")
	f.Add(strings.Repeat("é", 100), strings.Repeat("日本語", 50), "🎉\r\n\r", "a,b;c")
	f.Add("\x00\x7f\xff\xfe", "\\n\\N\\;", ":;,\"", "")
	f.Add(strings.Repeat("a", 74)+"€", strings.Repeat("x", 73)+"🎉", "", ",")
	chi, err := time.LoadLocation("America/Chicago")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, summary, description, location, category string) {
		c := Calendar{Name: summary, ProdID: category, Location: chi, Events: []Event{{
			UID:         summary + "@cairn.test",
			Summary:     summary,
			Description: description,
			Location:    location,
			Categories:  []string{category},
			Start:       time.Date(2026, 12, 1, 18, 30, 0, 0, chi),
			Duration:    time.Hour,
			Stamp:       time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
		}}}
		if strings.TrimSpace(summary) == "" {
			c.Events[0].UID = "fallback@cairn.test"
		}
		b, err := Marshal(c)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		checkLines(t, b)
		cal := decode(t, b)
		events := cal.Events()
		if len(events) != 1 {
			t.Fatalf("%d events", len(events))
		}
		for name, typed := range map[string]string{"SUMMARY": summary, "DESCRIPTION": description, "LOCATION": location} {
			if got, want := text(t, events[0].Component, name), readBack(typed); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
	})
}

// readBack is what a TEXT value reads back as after escaping: valid UTF-8,
// line breaks as \n, no other control characters but tab.
func readBack(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// FuzzRRule: parseRRule never panics, and a rule it accepts is written as
// one clean RRULE line that go-ical reads back unchanged.
func FuzzRRule(f *testing.F) {
	for _, s := range []string{
		"FREQ=WEEKLY;BYDAY=TU", "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231T235959Z", "FREQ=DAILY;COUNT=3",
		"FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "FREQ=WEEKLY\r\nX:Y", "FREQ=WEEKLY;BYDAY=TU,TH;INTERVAL=2;WKST=SU",
	} {
		f.Add(s)
	}
	chi, err := time.LoadLocation("America/Chicago")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, rule string) {
		r, err := parseRRule(rule)
		if err != nil {
			return
		}
		if strings.ContainsFunc(r.value, func(c rune) bool { return !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=;,+-", c) }) {
			t.Fatalf("accepted rule %q has unexpected characters", r.value)
		}
		start := time.Date(2026, 1, 6, 18, 30, 0, 0, chi)
		if !r.until.IsZero() && r.until.Before(start) {
			return
		}
		b, err := Marshal(Calendar{Location: chi, Events: []Event{{
			UID: "u", Start: start, RRule: rule, Stamp: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		}}})
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		checkLines(t, b)
		e := decode(t, b).Events()
		if len(e) != 1 || e[0].Props.Get("RRULE").Value != r.value {
			t.Fatalf("RRULE does not read back as %q", r.value)
		}
	})
}
