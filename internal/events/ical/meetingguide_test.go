package ical

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func guideMeetings(t testing.TB) []Meeting {
	chi := mustZone(t, "America/Chicago")
	return []Meeting{{
		Name:           "Tuesday Alumni Meeting",
		Slug:           "tuesday-alumni",
		Start:          time.Date(2026, 12, 1, 18, 30, 0, 0, chi),
		Duration:       90 * time.Minute,
		Types:          []string{"O", "D", "X"},
		Notes:          "Coffee from 18:15.\nUse the side door; ring the bell.",
		Location:       "Lakeview Recovery Center",
		LocationNotes:  "Free parking behind the building.",
		Address:        "4953 W Addison St",
		City:           "Chicago",
		State:          "IL",
		PostalCode:     "60641",
		Country:        "US",
		Region:         "Portage Park",
		URL:            "https://alumni.example.org/events/7",
		Group:          "Lakeview Alumni",
		Updated:        time.Date(2026, 11, 2, 9, 5, 7, 0, chi),
		Entity:         "Lakeview Alumni Program",
		EntityURL:      "https://alumni.example.org",
		EntityPhone:    "+1-312-555-0100",
		EntityLocation: "Chicago, Illinois",
	}, {
		Name:                 "Online Check-in",
		Slug:                 "online-check-in",
		Start:                time.Date(2026, 12, 2, 7, 0, 0, 0, chi),
		Duration:             time.Hour,
		Days:                 []time.Weekday{time.Monday, time.Wednesday, time.Friday, time.Monday},
		Types:                []string{"C", "ONL"},
		FormattedAddress:     "Chicago, IL, USA",
		Approximate:          true,
		ConferenceURL:        "https://zoom.us/j/123456789",
		ConferenceURLNotes:   "Passcode: serenity",
		ConferencePhone:      "+13125550199,,123456789#",
		ConferencePhoneNotes: "Meeting ID 123 456 789",
	}, {
		Name:  "Late Night",
		Slug:  "late-night",
		Start: time.Date(2026, 12, 5, 23, 30, 0, 0, chi),
		// Ends after midnight.
		Duration: 75 * time.Minute,
		City:     "Chicago",
		State:    "IL",
	}}
}

func TestMeetingGuideGolden(t *testing.T) {
	b, err := MeetingGuide(guideMeetings(t))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "meetingguide.json", b)
}

func TestMeetingGuideFields(t *testing.T) {
	b, err := MeetingGuide(guideMeetings(t))
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("not a JSON array of objects: %v", err)
	}
	if len(got) != 3 {
		t.Fatalf("%d meetings, want 3", len(got))
	}
	want := []map[string]any{{
		"name": "Tuesday Alumni Meeting", "slug": "tuesday-alumni", "day": 2.0, "time": "18:30", "end_time": "20:00",
		"timezone": "America/Chicago", "types": []any{"O", "D", "X"}, "notes": "Coffee from 18:15.\nUse the side door; ring the bell.",
		"location": "Lakeview Recovery Center", "location_notes": "Free parking behind the building.",
		"address": "4953 W Addison St", "city": "Chicago", "state": "IL", "postal_code": "60641", "country": "US",
		"region": "Portage Park", "url": "https://alumni.example.org/events/7", "group": "Lakeview Alumni",
		"updated": "2026-11-02 15:05:07", "entity": "Lakeview Alumni Program", "entity_url": "https://alumni.example.org",
		"entity_phone": "+1-312-555-0100", "entity_location": "Chicago, Illinois",
	}, {
		"name": "Online Check-in", "slug": "online-check-in", "day": []any{1.0, 3.0, 5.0}, "time": "07:00", "end_time": "08:00",
		"timezone": "America/Chicago", "types": []any{"C", "ONL"}, "formatted_address": "Chicago, IL, USA", "approximate": "yes",
		"conference_url": "https://zoom.us/j/123456789", "conference_url_notes": "Passcode: serenity",
		"conference_phone": "+13125550199,,123456789#", "conference_phone_notes": "Meeting ID 123 456 789",
	}, {
		"name": "Late Night", "slug": "late-night", "day": 6.0, "time": "23:30", "end_time": "00:45",
		"timezone": "America/Chicago", "city": "Chicago", "state": "IL",
	}}
	for i := range want {
		gotJSON, _ := json.Marshal(got[i])
		wantJSON, _ := json.Marshal(want[i])
		if string(gotJSON) != string(wantJSON) {
			t.Errorf("meeting %d:\n got %s\nwant %s", i, gotJSON, wantJSON)
		}
	}
}

func TestMeetingGuideWallClockEnd(t *testing.T) {
	// 8 March 2026: Chicago springs forward at 02:00; a 00:30-03:30 wall
	// clock meeting is three hours long on the listing every other week.
	chi := mustZone(t, "America/Chicago")
	b, err := MeetingGuide([]Meeting{{Name: "N", Slug: "n", Start: time.Date(2026, 3, 8, 0, 30, 0, 0, chi), Duration: 3 * time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"end_time":"03:30"`) {
		t.Errorf("end_time not by wall clock: %s", b)
	}
}

func TestMeetingGuideEmpty(t *testing.T) {
	b, err := MeetingGuide(nil)
	if err != nil || string(b) != "[]" {
		t.Errorf("got %s, %v; want []", b, err)
	}
}

func TestMeetingGuideRejects(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(m *Meeting)
		field string
	}{
		{"no name", func(m *Meeting) { m.Name = "  " }, "meetings[0].name"},
		{"long name", func(m *Meeting) { m.Name = strings.Repeat("n", 256) }, "meetings[0].name"},
		{"no slug", func(m *Meeting) { m.Slug = "" }, "meetings[0].slug"},
		{"slug with space", func(m *Meeting) { m.Slug = "a b" }, "meetings[0].slug"},
		{"long slug", func(m *Meeting) { m.Slug = strings.Repeat("s", 65) }, "meetings[0].slug"},
		{"no start", func(m *Meeting) { m.Start = time.Time{} }, "meetings[0].start"},
		{"negative duration", func(m *Meeting) { m.Duration = -time.Minute }, "meetings[0].duration"},
		{"day out of range", func(m *Meeting) { m.Days = []time.Weekday{7} }, "meetings[0].days[0]"},
		{"empty type", func(m *Meeting) { m.Types = []string{"O", ""} }, "meetings[0].types[1]"},
		{"bad url", func(m *Meeting) { m.URL = "javascript:alert(1)" }, "meetings[0].url"},
		{"bad conference url", func(m *Meeting) { m.ConferenceURL = "zoom" }, "meetings[0].conference_url"},
		{"bad phone", func(m *Meeting) { m.ConferencePhone = "call Bob" }, "meetings[0].conference_phone"},
		{"entity fields without entity", func(m *Meeting) { m.Entity = "" }, "meetings[0].entity"},
		{"duplicate slug", func(m *Meeting) { m.Slug = "online-check-in" }, "meetings[1].slug"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms := guideMeetings(t)
			tc.edit(&ms[0])
			b, err := MeetingGuide(ms)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("err = %v, want a FieldError for %s", err, tc.field)
			}
			if b != nil {
				t.Error("output despite the error")
			}
		})
	}
}
