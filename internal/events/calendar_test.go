package events

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

var updateFeedGolden = flag.Bool("update-feeds", false, "rewrite the calendar golden files in testdata")

// dnCalendar is a program's events for the calendar tests, with a fixed
// clock: a public weekly meeting on Tuesdays at 18:30 (with an online
// link), a monthly family dinner, an alumni-only activity and a staff-only
// workshop.
type dnCalendar struct {
	*dnWorld
	meeting, dinner, hike, workshop *Event
	alum, fam                       access.Actor
}

func newDnCalendar(t *testing.T, d *db.DB) *dnCalendar {
	t.Helper()
	w := newDnWorld(t, d)
	dnClock(t, time.Date(2027, 1, 4, 12, 0, 0, 0, w.loc))
	c := &dnCalendar{dnWorld: w}
	c.meeting = w.create(t, Input{Kind: WeeklyMeeting, Title: "Tuesday Alumni Meeting", Description: "Open to all alumni; bring a friend.",
		LocationName: "Harbor Hall", Address: "1 Main St, Springfield", OnlineURL: "https://meet.example.org/tuesday",
		Start: "2027-01-05T18:30", DurationMinutes: 90, RRule: "FREQ=WEEKLY;BYDAY=TU", Audience: Public,
		Accessibility: "Step-free entrance"})
	c.dinner = w.create(t, Input{Kind: FamilyDinner, Title: "Family Dinner", LocationName: "Harbor Hall",
		Start: "2027-01-15T18:00", DurationMinutes: 120, RRule: "FREQ=MONTHLY;BYMONTHDAY=15", Audience: AlumniFamily})
	c.hike = w.create(t, Input{Kind: Activity, Title: "Saturday Hike", Start: "2027-01-09T09:00", DurationMinutes: 180, Audience: Alumni})
	c.workshop = w.create(t, Input{Kind: Workshop, Title: "Staff Training", Start: "2027-01-07T09:00", DurationMinutes: 60, Audience: StaffOnly})
	c.alum = w.user(t, access.Alumnus, "Ana", "Rivera")
	c.fam = w.user(t, access.Family, "Fran", "Rivera")
	return c
}

// parseICS parses b with go-ical and returns its VEVENTs.
func parseICS(t *testing.T, b []byte) []goical.Event {
	t.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot parse the output: %v\n%s", err, b)
	}
	return cal.Events()
}

// propText returns the text of a property, or "".
func propText(t *testing.T, ev goical.Event, name string) string {
	t.Helper()
	p := ev.Props.Get(name)
	if p == nil {
		return ""
	}
	if name == goical.PropDescription || name == goical.PropSummary || name == goical.PropLocation || name == goical.PropUID {
		s, err := p.Text()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return s
	}
	return p.Value
}

// propTime returns a date-time property as an instant.
func propTime(t *testing.T, p *goical.Prop, loc *time.Location) time.Time {
	t.Helper()
	if p == nil {
		t.Fatal("missing date-time property")
	}
	v, err := p.DateTime(loc)
	if err != nil {
		t.Fatalf("%s: %v", p.Name, err)
	}
	return v
}

// byUID finds the VEVENTs with uid, the master (no RECURRENCE-ID) first.
func byUID(list []goical.Event, uid string) []goical.Event {
	var master, rest []goical.Event
	for _, ev := range list {
		if p := ev.Props.Get(goical.PropUID); p != nil && p.Value == uid {
			if ev.Props.Get(goical.PropRecurrenceID) == nil {
				master = append(master, ev)
			} else {
				rest = append(rest, ev)
			}
		}
	}
	return append(master, rest...)
}

// TestEventICS: a series downloads with its RRULE, an EXDATE for a
// cancelled occurrence and an override for a moved one; SEQUENCE goes up
// with a change; a cancelled event says STATUS:CANCELLED; the online link
// is only in staff's copy and in the occurrence download of a confirmed
// RSVP.
func TestEventICS(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		c := newDnCalendar(t, d)
		b, err := EventICS(c.ctx, d, c.alum, c.meeting.ID)
		if err != nil {
			t.Fatal(err)
		}
		evs := parseICS(t, b)
		if len(evs) != 1 {
			t.Fatalf("%d VEVENTs, want 1", len(evs))
		}
		ev := evs[0]
		if propText(t, ev, goical.PropUID) != c.meeting.ID+"@cairn" || propText(t, ev, goical.PropRecurrenceRule) != "FREQ=WEEKLY;BYDAY=TU" ||
			propText(t, ev, goical.PropStatus) != "CONFIRMED" || propText(t, ev, goical.PropSequence) != "0" {
			t.Errorf("series VEVENT:\n%s", b)
		}
		if !propTime(t, ev.Props.Get(goical.PropDateTimeStart), nil).Equal(time.Date(2027, 1, 5, 18, 30, 0, 0, c.loc)) {
			t.Errorf("DTSTART is not 18:30 in Chicago:\n%s", b)
		}
		if strings.Contains(string(b), "meet.example.org") {
			t.Error("an alumnus' series download holds the online link")
		}
		if !bytes.Contains(b, []byte("BEGIN:VTIMEZONE")) || !bytes.Contains(b, []byte("TZID:America/Chicago")) {
			t.Error("no VTIMEZONE for the program's zone")
		}
		staff, _ := EventICS(c.ctx, d, c.coord, c.meeting.ID)
		if !strings.Contains(string(staff), "meet.example.org/tuesday") {
			t.Error("staff's download lacks the online link")
		}
		before, _ := OccurrenceICS(c.ctx, d, c.alum, c.meeting.ID, "2027-01-19")

		if err := CancelOccurrence(c.ctx, d, c.coord, c.meeting.ID, "2027-01-12", "Holiday"); err != nil {
			t.Fatal(err)
		}
		if err := MoveOccurrence(c.ctx, d, c.coord, c.meeting.ID, "2027-01-19", Move{Start: "2027-01-20T19:00", LocationName: "Annex"}); err != nil {
			t.Fatal(err)
		}
		b, _ = EventICS(c.ctx, d, c.alum, c.meeting.ID)
		evs = byUID(parseICS(t, b), c.meeting.ID+"@cairn")
		if len(evs) != 2 {
			t.Fatalf("%d VEVENTs for the series, want the series and one override:\n%s", len(evs), b)
		}
		ex := evs[0].Props.Values(goical.PropExceptionDates)
		if len(ex) != 1 || !propTime(t, &ex[0], nil).Equal(time.Date(2027, 1, 12, 18, 30, 0, 0, c.loc)) {
			t.Errorf("EXDATE = %v, want the cancelled 12 January:\n%s", ex, b)
		}
		moved := evs[1]
		if !propTime(t, moved.Props.Get(goical.PropRecurrenceID), nil).Equal(time.Date(2027, 1, 19, 18, 30, 0, 0, c.loc)) ||
			!propTime(t, moved.Props.Get(goical.PropDateTimeStart), nil).Equal(time.Date(2027, 1, 20, 19, 0, 0, 0, c.loc)) ||
			!strings.HasPrefix(propText(t, moved, goical.PropLocation), "Annex") {
			t.Errorf("override of the moved occurrence:\n%s", b)
		}
		after, _ := OccurrenceICS(c.ctx, d, c.alum, c.meeting.ID, "2027-01-19")
		seq := func(b []byte) int {
			n, err := parseICS(t, b)[0].Props.Get(goical.PropSequence).Int()
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if seq(after) <= seq(before) {
			t.Errorf("SEQUENCE %d after the move, %d before; want it raised", seq(after), seq(before))
		}
		one := parseICS(t, after)[0]
		if propText(t, one, goical.PropUID) != c.meeting.ID+"-2027-01-19@cairn" {
			t.Errorf("occurrence UID = %q", propText(t, one, goical.PropUID))
		}
		// The online link: not for an alumnus without an RSVP, yes once
		// their RSVP is confirmed.
		if strings.Contains(string(after), "meet.example.org") {
			t.Error("the occurrence download holds the online link without an RSVP")
		}
		c.rsvp(t, c.alum, c.meeting, "2027-01-26", "yes")
		withRSVP, _ := OccurrenceICS(c.ctx, d, c.alum, c.meeting.ID, "2027-01-26")
		if !strings.Contains(string(withRSVP), "meet.example.org/tuesday") {
			t.Error("a confirmed RSVP's occurrence download lacks the online link")
		}
		cancelled, _ := OccurrenceICS(c.ctx, d, c.alum, c.meeting.ID, "2027-01-12")
		if got := propText(t, parseICS(t, cancelled)[0], goical.PropStatus); got != "CANCELLED" {
			t.Errorf("cancelled occurrence STATUS = %s", got)
		}

		if err := Delete(c.ctx, d, c.coord, c.meeting.ID); err != nil {
			t.Fatal(err)
		}
		b, _ = EventICS(c.ctx, d, c.alum, c.meeting.ID)
		master := byUID(parseICS(t, b), c.meeting.ID+"@cairn")[0]
		if propText(t, master, goical.PropStatus) != "CANCELLED" {
			t.Errorf("a cancelled event's STATUS is not CANCELLED:\n%s", b)
		}
		// Who may not see the event may not download it.
		if _, err := EventICS(c.ctx, d, c.alum, c.workshop.ID); err != db.ErrNotFound {
			t.Errorf("alumnus downloads a staff event: %v", err)
		}
		if _, err := OccurrenceICS(c.ctx, d, c.fam, c.hike.ID, "2027-01-09"); err != db.ErrNotFound {
			t.Errorf("family downloads an alumni event: %v", err)
		}
	})
}

// TestEventICSSplit: after a "this and following" change the old part's
// rule ends with UNTIL (in UTC) before the change, the new part has its
// own UID and start, and a later change of the whole series raises its
// SEQUENCE.
func TestEventICSSplit(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		c := newDnCalendar(t, d)
		in := Input{Kind: WeeklyMeeting, Title: "Tuesday Alumni Meeting", LocationName: "Harbor Hall",
			Start: "2027-01-19T19:00", DurationMinutes: 90, RRule: "FREQ=WEEKLY;BYDAY=TU", Audience: Public}
		next, err := UpdateFrom(c.ctx, d, c.coord, c.meeting.ID, "2027-01-19", in)
		if err != nil {
			t.Fatal(err)
		}
		if next.ID == c.meeting.ID {
			t.Fatal("the change did not split the series")
		}
		b, _ := EventICS(c.ctx, d, c.alum, c.meeting.ID)
		old := byUID(parseICS(t, b), c.meeting.ID+"@cairn")
		// The old part ends the day before the change: 18 January, whose end
		// in Chicago is 05:59:59 UTC on the 19th.
		if len(old) == 0 || propText(t, old[0], goical.PropRecurrenceRule) != "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270119T055959Z" {
			t.Errorf("old part:\n%s", b)
		}
		b, _ = EventICS(c.ctx, d, c.alum, next.ID)
		part := byUID(parseICS(t, b), next.ID+"@cairn")
		if len(part) != 1 || !propTime(t, part[0].Props.Get(goical.PropDateTimeStart), nil).Equal(time.Date(2027, 1, 19, 19, 0, 0, 0, c.loc)) {
			t.Fatalf("new part:\n%s", b)
		}
		seq, _ := part[0].Props.Get(goical.PropSequence).Int()
		in.Title = "Tuesday Alumni Meeting (new room)"
		in.LocationName = "Annex"
		if _, err := Update(c.ctx, d, c.coord, next.ID, in); err != nil {
			t.Fatal(err)
		}
		b, _ = EventICS(c.ctx, d, c.alum, next.ID)
		part = byUID(parseICS(t, b), next.ID+"@cairn")
		if got, _ := part[0].Props.Get(goical.PropSequence).Int(); got <= seq || propText(t, part[0], goical.PropSummary) != in.Title {
			t.Errorf("after Update, SEQUENCE %d (was %d):\n%s", got, seq, b)
		}
	})
}

// TestPublicFeeds: the public calendar and the Meeting Guide feed hold the
// public events only, without online links; the public calendar matches
// its golden file (fixed clock, ids replaced).
func TestPublicFeeds(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		c := newDnCalendar(t, d)
		if err := CancelOccurrence(c.ctx, d, c.coord, c.meeting.ID, "2027-01-12", ""); err != nil {
			t.Fatal(err)
		}
		if err := MoveOccurrence(c.ctx, d, c.coord, c.meeting.ID, "2027-01-19", Move{Start: "2027-01-20T19:00"}); err != nil {
			t.Fatal(err)
		}
		b, err := PublicICS(c.ctx, d, c.prog.ID)
		if err != nil {
			t.Fatal(err)
		}
		evs := parseICS(t, b)
		if len(evs) != 2 || len(byUID(evs, c.meeting.ID+"@cairn")) != 2 {
			t.Fatalf("public calendar holds %d VEVENTs, want the meeting and its override:\n%s", len(evs), b)
		}
		if strings.Contains(string(b), "meet.example.org") {
			t.Error("the public calendar holds the online link")
		}
		goldenICS(t, "public.ics", b, map[string]string{c.meeting.ID: "MEETING"})

		mg, err := MeetingGuide(c.ctx, d, c.prog.ID, "https://alumni.example.org")
		if err != nil {
			t.Fatal(err)
		}
		var list []map[string]any
		if err := json.Unmarshal(mg, &list); err != nil {
			t.Fatalf("meeting guide JSON: %v\n%s", err, mg)
		}
		if len(list) != 1 {
			t.Fatalf("meeting guide lists %d meetings, want 1:\n%s", len(list), mg)
		}
		m := list[0]
		if m["slug"] != c.meeting.ID || m["name"] != "Tuesday Alumni Meeting" || m["day"] != float64(2) || m["time"] != "18:30" ||
			m["end_time"] != "20:00" || m["timezone"] != "America/Chicago" || m["location"] != "Harbor Hall" ||
			m["entity"] != "Harbor Light" || m["entity_url"] != "https://alumni.example.org" {
			t.Errorf("meeting = %v", m)
		}
		if _, ok := m["conference_url"]; ok {
			t.Error("the meeting guide publishes the online link")
		}

		// A cancelled public event leaves both feeds.
		if err := Delete(c.ctx, d, c.coord, c.meeting.ID); err != nil {
			t.Fatal(err)
		}
		b, _ = PublicICS(c.ctx, d, c.prog.ID)
		if len(parseICS(t, b)) != 0 {
			t.Errorf("a cancelled event stays in the public calendar:\n%s", b)
		}
		if mg, _ := MeetingGuide(c.ctx, d, c.prog.ID, ""); string(mg) != "[]" {
			t.Errorf("meeting guide after cancelling = %s, want []", mg)
		}
		if _, err := PublicICS(c.ctx, d, "no-such-program"); err != db.ErrNotFound {
			t.Errorf("unknown program: %v", err)
		}
	})
}

// goldenICS compares an iCalendar file, unfolded and with the random ids
// replaced, with testdata/name (rewritten with -update-feeds).
func goldenICS(t *testing.T, name string, b []byte, ids map[string]string) {
	t.Helper()
	got := strings.ReplaceAll(string(b), "\r\n ", "")
	for id, as := range ids {
		got = strings.ReplaceAll(got, id, as)
	}
	got = strings.ReplaceAll(got, "\r\n", "\n")
	path := filepath.Join("testdata", name)
	if *updateFeedGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update-feeds to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the output (run go test -update-feeds after checking):\n%s", path, got)
	}
}

// TestSeriesRule: a series with a last date ends with UNTIL at the end of
// that local day in UTC (COUNT replaced); a stored local UNTIL is written
// in UTC; an open series keeps its rule.
func TestSeriesRule(t *testing.T) {
	chicago, _ := time.LoadLocation("America/Chicago")
	tests := []struct {
		rule string
		last string
		want string
	}{
		{"FREQ=WEEKLY;BYDAY=TU", "", "FREQ=WEEKLY;BYDAY=TU"},
		{"FREQ=WEEKLY;BYDAY=TU;COUNT=3", "2027-01-19", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270120T055959Z"},
		{"FREQ=WEEKLY;UNTIL=20270630;BYDAY=TU", "", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270701T045959Z"},
		{"FREQ=WEEKLY;UNTIL=20270630T120000Z", "", "FREQ=WEEKLY;UNTIL=20270630T120000Z"},
		{"FREQ=WEEKLY;UNTIL=20271231T235959Z", "2027-06-29", "FREQ=WEEKLY;UNTIL=20270630T045959Z"},
	}
	for _, tt := range tests {
		e := &Event{RRule: tt.rule}
		if tt.last != "" {
			e.LastDate = members.MustDate(tt.last)
		}
		if got := seriesRule(e, chicago); got != tt.want {
			t.Errorf("seriesRule(%q, last %q) = %q, want %q", tt.rule, tt.last, got, tt.want)
		}
	}
}
