package ical

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// weeklySeries is a Tuesday 18:30 series in Chicago through 2026, so it
// crosses the March and November daylight-saving changes, with one
// occurrence removed and one moved to Wednesday 19:00.
func weeklySeries(t testing.TB) Calendar {
	chi := mustZone(t, "America/Chicago")
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, chi) }
	stamp := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	return Calendar{
		Name:            "Alumni events",
		Method:          "PUBLISH",
		RefreshInterval: time.Hour,
		Location:        chi,
		Events: []Event{{
			UID:          "series-7@cairn.test",
			Sequence:     2,
			Summary:      "Tuesday alumni meeting",
			Description:  "Coffee at 18:15.\nBring a friend; all welcome, really.",
			Location:     "Room 4, Main Hall",
			URL:          "https://alumni.example.org/events/7",
			Start:        at(2026, 1, 6, 18, 30),
			Duration:     90 * time.Minute,
			RRule:        "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261231T235959Z",
			ExDates:      []time.Time{at(2026, 7, 7, 18, 30)},
			Created:      time.Date(2025, 12, 1, 10, 0, 0, 0, time.UTC),
			LastModified: time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC),
			Stamp:        stamp,
			Categories:   []string{"Meeting", "Alumni"},
		}, {
			UID:          "series-7@cairn.test",
			Sequence:     2,
			Summary:      "Tuesday alumni meeting (moved to Wednesday)",
			Location:     "Room 4, Main Hall",
			Start:        at(2026, 11, 4, 19, 0),
			Duration:     90 * time.Minute,
			RecurrenceID: at(2026, 11, 3, 18, 30),
			Stamp:        stamp,
		}},
	}
}

func marshal(t testing.TB, c Calendar) []byte {
	t.Helper()
	b, err := Marshal(c)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	checkLines(t, b)
	return b
}

func TestWeeklySeriesGolden(t *testing.T) {
	golden(t, "weekly_chicago.ics", marshal(t, weeklySeries(t)))
}

func TestWriteMatchesMarshal(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, weeklySeries(t)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), marshal(t, weeklySeries(t))) {
		t.Error("Write and Marshal differ")
	}
	bad := weeklySeries(t)
	bad.Events[0].UID = ""
	buf.Reset()
	if err := Write(&buf, bad); err == nil || buf.Len() != 0 {
		t.Errorf("Write of a bad calendar: err %v, %d bytes written", err, buf.Len())
	}
}

func TestWeeklySeriesRoundTrip(t *testing.T) {
	c := weeklySeries(t)
	cal := decode(t, marshal(t, c))
	chi := c.Location

	if got := cal.Props.Get("VERSION").Value; got != "2.0" {
		t.Errorf("VERSION = %q", got)
	}
	if got := cal.Props.Get("METHOD").Value; got != "PUBLISH" {
		t.Errorf("METHOD = %q", got)
	}
	if got := text(t, cal.Component, "X-WR-CALNAME"); got != "Alumni events" {
		t.Errorf("X-WR-CALNAME = %q", got)
	}
	if got := text(t, cal.Component, "PRODID"); got != DefaultProdID {
		t.Errorf("PRODID = %q", got)
	}
	tzs := children(cal.Component, "VTIMEZONE")
	if len(tzs) != 1 || tzs[0].Props.Get("TZID").Value != "America/Chicago" {
		t.Fatalf("want one VTIMEZONE for America/Chicago, got %d", len(tzs))
	}
	events := cal.Events()
	if len(events) != 2 {
		t.Fatalf("want 2 VEVENTs, got %d", len(events))
	}
	master, moved := events[0], events[1]

	wantLocal := map[string]string{"DTSTART": "20260106T183000", "DTEND": "20260106T200000", "EXDATE": "20260707T183000"}
	for name, want := range wantLocal {
		p := master.Props.Get(name)
		if p == nil || p.Value != want || p.Params.Get("TZID") != "America/Chicago" {
			t.Errorf("%s = %+v, want TZID=America/Chicago:%s", name, p, want)
		}
	}
	start, err := master.DateTimeStart(nil)
	if err != nil || !start.Equal(c.Events[0].Start) {
		t.Errorf("DTSTART reads back as %v (%v), want %v", start, err, c.Events[0].Start)
	}
	end, err := master.DateTimeEnd(nil)
	if err != nil || end.Sub(start) != 90*time.Minute {
		t.Errorf("DTEND reads back as %v (%v)", end, err)
	}
	if got := master.Props.Get("RRULE").Value; got != "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261231T235959Z" {
		t.Errorf("RRULE = %q", got)
	}
	for name, want := range map[string]string{
		"UID": "series-7@cairn.test", "SEQUENCE": "2", "STATUS": "CONFIRMED",
		"DTSTAMP": "20261130T120000Z", "CREATED": "20251201T100000Z", "LAST-MODIFIED": "20260201T120000Z",
		"URL": "https://alumni.example.org/events/7", "CATEGORIES": "Meeting,Alumni",
	} {
		if p := master.Props.Get(name); p == nil || p.Value != want {
			t.Errorf("%s = %+v, want %q", name, p, want)
		}
	}
	for name, want := range map[string]string{
		"SUMMARY": c.Events[0].Summary, "DESCRIPTION": c.Events[0].Description, "LOCATION": c.Events[0].Location,
	} {
		if got := text(t, master.Component, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if master.Props.Get("RECURRENCE-ID") != nil {
		t.Error("the series has a RECURRENCE-ID")
	}

	if got := text(t, moved.Component, "UID"); got != "series-7@cairn.test" {
		t.Errorf("override UID = %q", got)
	}
	rid := moved.Props.Get("RECURRENCE-ID")
	if rid == nil || rid.Value != "20261103T183000" || rid.Params.Get("TZID") != "America/Chicago" {
		t.Errorf("RECURRENCE-ID = %+v", rid)
	}
	if p := moved.Props.Get("DTSTART"); p.Value != "20261104T190000" || p.Params.Get("TZID") != "America/Chicago" {
		t.Errorf("override DTSTART = %+v", p)
	}
	if moved.Props.Get("RRULE") != nil || moved.Props.Get("EXDATE") != nil {
		t.Error("the override has a rule or exceptions")
	}
	ridTime, err := rid.DateTime(nil)
	if err != nil || !ridTime.Equal(time.Date(2026, 11, 3, 18, 30, 0, 0, chi)) {
		t.Errorf("RECURRENCE-ID reads back as %v (%v)", ridTime, err)
	}
}

// TestVTimezoneOffsets reads the generated VTIMEZONE on its own, as a
// client without Go's zone data would, and checks it gives Go's offset at
// every instant of the span, with -06:00 in winter and -05:00 in summer.
func TestVTimezoneOffsets(t *testing.T) {
	c := weeklySeries(t)
	cal := decode(t, marshal(t, c))
	z := readVTimezone(t, children(cal.Component, "VTIMEZONE")[0])

	for u := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC); u.Before(time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)); u = u.Add(time.Hour) {
		if _, want := u.In(c.Location).Zone(); z.offsetAt(u) != want {
			t.Fatalf("VTIMEZONE offset at %v is %d, Go says %d", u, z.offsetAt(u), want)
		}
	}
	for _, tc := range []struct {
		wall string
		want int
	}{
		{"20260113T183000", -6 * 3600},
		{"20260714T183000", -5 * 3600},
		{"20261215T183000", -6 * 3600},
		{"20270706T183000", -5 * 3600},
	} {
		w, _ := time.Parse(localDateTime, tc.wall)
		if got := z.offsetAt(z.instant(w)); got != tc.want {
			t.Errorf("offset at %s = %d, want %d", tc.wall, got, tc.want)
		}
	}
}

// TestSeriesExpandsAt1830 expands the series the way a client does: the
// RRULE on floating wall-clock time, then the VTIMEZONE to place each
// occurrence. Every occurrence must be a Tuesday at 18:30 in Chicago, on
// both sides of both daylight-saving changes.
func TestSeriesExpandsAt1830(t *testing.T) {
	c := weeklySeries(t)
	cal := decode(t, marshal(t, c))
	z := readVTimezone(t, children(cal.Component, "VTIMEZONE")[0])
	master, moved := cal.Events()[0], cal.Events()[1]

	movedFrom := floating(t, moved.Props.Get("RECURRENCE-ID"))
	for _, name := range []string{"DTSTART", "EXDATE"} {
		for i := range master.Props[name] {
			master.Props[name][i].Params.Del("TZID")
		}
	}
	set, err := master.RecurrenceSet(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var got []time.Time
	for _, wall := range set.All() {
		if wall.Equal(movedFrom) {
			continue
		}
		got = append(got, z.instant(wall))
	}
	// 52 Tuesdays in 2026, less the EXDATE and the moved one.
	if len(got) != 50 {
		t.Fatalf("got %d occurrences, want 50", len(got))
	}
	for _, u := range got {
		local := u.In(c.Location)
		if local.Weekday() != time.Tuesday || local.Hour() != 18 || local.Minute() != 30 {
			t.Errorf("occurrence at %v is not Tuesday 18:30", local)
		}
		if local.Month() == time.July && local.Day() == 7 {
			t.Error("the EXDATE occurrence is still there")
		}
	}
	has := func(u time.Time) bool {
		for _, g := range got {
			if g.Equal(u) {
				return true
			}
		}
		return false
	}
	for _, u := range []string{
		"2026-03-04T00:30:00Z", // Tuesday 3 March, CST
		"2026-03-10T23:30:00Z", // Tuesday 10 March, CDT
		"2026-10-27T23:30:00Z", // Tuesday 27 October, CDT
		"2026-11-11T00:30:00Z", // Tuesday 10 November, CST
	} {
		want, _ := time.Parse(time.RFC3339, u)
		if !has(want) {
			t.Errorf("no occurrence at %s", u)
		}
	}
}

func TestCancelledSingleUTC(t *testing.T) {
	c := Calendar{
		ProdID: "-//Cairn//Test//EN",
		Events: []Event{{
			UID:       "event-12@cairn.test",
			Sequence:  3,
			Summary:   "Spring picnic",
			Location:  "Lakeside Park",
			Start:     time.Date(2027, 4, 17, 16, 0, 0, 0, time.UTC),
			Duration:  3 * time.Hour,
			Cancelled: true,
			Stamp:     time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC),
		}},
	}
	b := marshal(t, c)
	golden(t, "cancelled_utc.ics", b)
	cal := decode(t, b)
	if len(children(cal.Component, "VTIMEZONE")) != 0 || cal.Props.Get("X-WR-TIMEZONE") != nil {
		t.Error("a UTC calendar has time zone data")
	}
	if cal.Props.Get("METHOD") != nil || cal.Props.Get("X-WR-CALNAME") != nil {
		t.Error("empty METHOD or name written")
	}
	e := cal.Events()[0]
	status, err := e.Status()
	if err != nil || status != goical.EventCancelled {
		t.Errorf("STATUS = %q (%v)", status, err)
	}
	for name, want := range map[string]string{"DTSTART": "20270417T160000Z", "DTEND": "20270417T190000Z", "SEQUENCE": "3", "DTSTAMP": "20270401T090000Z"} {
		if p := e.Props.Get(name); p == nil || p.Value != want || p.Params.Get("TZID") != "" {
			t.Errorf("%s = %+v, want %s without TZID", name, p, want)
		}
	}
	for _, name := range []string{"RRULE", "EXDATE", "RECURRENCE-ID", "CREATED", "LAST-MODIFIED", "URL", "DESCRIPTION"} {
		if e.Props.Get(name) != nil {
			t.Errorf("unexpected %s", name)
		}
	}
}

// TestEscapingAndFolding uses text with every special character and long
// multibyte runs, in Asia/Tokyo (no daylight saving).
func TestEscapingAndFolding(t *testing.T) {
	tokyo := mustZone(t, "Asia/Tokyo")
	summary := `Family day; kids, partners & friends \ all welcome`
	desc := "Bring food to share, if you can; nothing fancy.\r\nLine two\nLine three\x07 with a bell\t(and a tab).\n" +
		strings.Repeat("日本語のテキスト、", 12) + " Café crème — 🎉🎉🎉 " + strings.Repeat("é", 80)
	c := Calendar{
		Name:     "Événements, été; \"quoted\"",
		Location: tokyo,
		Events: []Event{{
			UID:         "event-99@cairn.test",
			Summary:     summary,
			Description: desc,
			Location:    "東京都渋谷区, 2F",
			Start:       time.Date(2026, 8, 1, 10, 0, 0, 0, tokyo),
			Duration:    2 * time.Hour,
			Created:     time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
			Categories:  []string{"Family, friends", "", "a;b"},
		}},
	}
	b := marshal(t, c)
	golden(t, "escaping_tokyo.ics", b)
	if !bytes.Contains(b, []byte("\r\n ")) {
		t.Error("no line was folded")
	}
	unfolded := strings.ReplaceAll(string(b), "\r\n ", "")
	for _, want := range []string{`Family day\; kids\, partners & friends \\ all welcome`, `Line two\nLine three with a bell`, "CATEGORIES:Family\\, friends,a\\;b"} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	cal := decode(t, b)
	e := cal.Events()[0]
	wantDesc := strings.ReplaceAll(strings.ReplaceAll(desc, "\r\n", "\n"), "\x07", "")
	for name, want := range map[string]string{"SUMMARY": summary, "DESCRIPTION": wantDesc, "LOCATION": "東京都渋谷区, 2F"} {
		if got := text(t, e.Component, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got := text(t, cal.Component, "NAME"); got != c.Name {
		t.Errorf("NAME = %q", got)
	}
	cats, err := e.Props.Get("CATEGORIES").TextList()
	if err != nil || strings.Join(cats, "|") != "Family, friends|a;b" {
		t.Errorf("CATEGORIES = %q (%v)", cats, err)
	}
	if got := e.Props.Get("DTSTAMP").Value; got != "20260601T000000Z" {
		t.Errorf("DTSTAMP falls back to Created: got %q", got)
	}
	vtz := children(cal.Component, "VTIMEZONE")
	if len(vtz) != 1 {
		t.Fatalf("want one VTIMEZONE, got %d", len(vtz))
	}
	obs := vtz[0].Children
	if len(obs) != 1 || obs[0].Name != "STANDARD" {
		t.Fatalf("Asia/Tokyo: want one STANDARD observance, got %d", len(obs))
	}
	for name, want := range map[string]string{"TZOFFSETFROM": "+0900", "TZOFFSETTO": "+0900", "TZNAME": "JST"} {
		if got := obs[0].Props.Get(name).Value; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

func TestZonesWithoutDaylightSaving(t *testing.T) {
	for _, tc := range []struct{ zone, offset, name string }{
		{"America/Phoenix", "-0700", "MST"},
		{"Asia/Tokyo", "+0900", "JST"},
	} {
		loc := mustZone(t, tc.zone)
		c := Calendar{Location: loc, Events: []Event{{
			UID: "x", Start: time.Date(2026, 7, 1, 18, 30, 0, 0, loc), RRule: "FREQ=WEEKLY",
			Stamp: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		}}}
		cal := decode(t, marshal(t, c))
		obs := children(cal.Component, "VTIMEZONE")[0].Children
		if len(obs) != 1 || obs[0].Name != "STANDARD" {
			t.Errorf("%s: want one STANDARD observance, got %d", tc.zone, len(obs))
			continue
		}
		if got := obs[0].Props.Get("TZOFFSETTO").Value; got != tc.offset {
			t.Errorf("%s: TZOFFSETTO = %s, want %s", tc.zone, got, tc.offset)
		}
		if got := obs[0].Props.Get("TZNAME").Value; got != tc.name {
			t.Errorf("%s: TZNAME = %s, want %s", tc.zone, got, tc.name)
		}
	}
}

// TestVTimezoneSouthernAndOddZones checks zones whose rules differ from
// the US: southern-hemisphere DST, a half-hour DST step, a 45-minute
// offset. The VTIMEZONE must agree with Go everywhere in its span.
func TestVTimezoneSouthernAndOddZones(t *testing.T) {
	for _, name := range []string{"Australia/Sydney", "Australia/Lord_Howe", "Asia/Kathmandu", "Europe/London", "America/Santiago", "America/St_Johns"} {
		loc := mustZone(t, name)
		c := Calendar{Location: loc, Events: []Event{{
			UID: "x", Start: time.Date(2026, 1, 5, 9, 0, 0, 0, loc), RRule: "FREQ=DAILY;COUNT=3",
			Stamp: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		}}}
		cal := decode(t, marshal(t, c))
		z := readVTimezone(t, children(cal.Component, "VTIMEZONE")[0])
		for u := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC); u.Before(time.Date(2036, 12, 31, 0, 0, 0, 0, time.UTC)); u = u.Add(30 * time.Minute) {
			if _, want := u.In(loc).Zone(); z.offsetAt(u) != want {
				t.Fatalf("%s: VTIMEZONE offset at %v is %d, Go says %d", name, u, z.offsetAt(u), want)
			}
		}
	}
}

func TestMarshalRejects(t *testing.T) {
	chi := mustZone(t, "America/Chicago")
	ok := func() Event {
		return Event{UID: "u", Start: time.Date(2026, 1, 6, 18, 30, 0, 0, chi), Stamp: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	}
	for _, tc := range []struct {
		name  string
		edit  func(c *Calendar)
		field string
	}{
		{"local zone", func(c *Calendar) { c.Location = time.Local }, "calendar.location"},
		{"refresh too often", func(c *Calendar) { c.RefreshInterval = time.Second }, "calendar.refresh_interval"},
		{"zone with odd name", func(c *Calendar) { c.Location = time.FixedZone("A:B", 3600) }, "calendar.location"},
		{"method", func(c *Calendar) { c.Method = "PUBLISH\r\nX" }, "calendar.method"},
		{"no uid", func(c *Calendar) { c.Events[0].UID = " " }, "events[0].uid"},
		{"negative sequence", func(c *Calendar) { c.Events[0].Sequence = -1 }, "events[0].sequence"},
		{"no start", func(c *Calendar) { c.Events[0].Start = time.Time{} }, "events[0].start"},
		{"negative duration", func(c *Calendar) { c.Events[0].Duration = -time.Minute }, "events[0].duration"},
		{"no stamp", func(c *Calendar) { c.Events[0].Stamp = time.Time{} }, "events[0].stamp"},
		{"bad rule", func(c *Calendar) { c.Events[0].RRule = "FREQ=FORTNIGHTLY" }, "events[0].rrule"},
		{"rule injection", func(c *Calendar) { c.Events[0].RRule = "FREQ=DAILY\r\nBEGIN:VEVENT" }, "events[0].rrule"},
		{"floating until", func(c *Calendar) { c.Events[0].RRule = "FREQ=DAILY;UNTIL=20261231T000000" }, "events[0].rrule"},
		{"until before start", func(c *Calendar) { c.Events[0].RRule = "FREQ=DAILY;UNTIL=20251231T000000Z" }, "events[0].rrule"},
		{"override with rule", func(c *Calendar) {
			c.Events[0].RRule = "FREQ=DAILY"
			c.Events[0].RecurrenceID = c.Events[0].Start
		}, "events[0].rrule"},
		{"exdate without rule", func(c *Calendar) { c.Events[0].ExDates = []time.Time{c.Events[0].Start} }, "events[0].exdates"},
		{"zero exdate", func(c *Calendar) {
			c.Events[0].RRule = "FREQ=DAILY"
			c.Events[0].ExDates = []time.Time{{}}
		}, "events[0].exdates[0]"},
		{"relative url", func(c *Calendar) { c.Events[0].URL = "/events/7" }, "events[0].url"},
		{"javascript url", func(c *Calendar) { c.Events[0].URL = "javascript:alert(1)" }, "events[0].url"},
		{"url with newline", func(c *Calendar) { c.Events[0].URL = "https://a.example/\r\nX:y" }, "events[0].url"},
		{"duplicate", func(c *Calendar) { c.Events = append(c.Events, ok()) }, "events[1].uid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Calendar{Location: chi, Events: []Event{ok()}}
			tc.edit(&c)
			b, err := Marshal(c)
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

func TestParseRRule(t *testing.T) {
	for _, s := range []string{
		"FREQ=WEEKLY;BYDAY=TU", "freq=weekly;byday=tu,th", "RRULE:FREQ=MONTHLY;BYDAY=-1FR",
		"FREQ=MONTHLY;BYDAY=2TU;INTERVAL=2;WKST=SU", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=-1;COUNT=5",
		"FREQ=WEEKLY;UNTIL=20271231T235959Z", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
	} {
		if _, err := parseRRule(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{
		"", "BYDAY=TU", "FREQ=WEEKLY;FREQ=DAILY", "FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;BYDAY=0MO",
		"FREQ=WEEKLY;BYDAY=54MO", "FREQ=WEEKLY;COUNT=0", "FREQ=WEEKLY;COUNT=2;UNTIL=20271231T235959Z",
		"FREQ=WEEKLY;UNTIL=2027-12-31", "FREQ=WEEKLY;X-NAME=1", "FREQ=WEEKLY;BYMONTH=13",
		"FREQ=WEEKLY;BYMONTHDAY=0", "FREQ=WEEKLY;", "FREQ=WEEKLY;BYHOUR=1:00", "FREQ=WEEKLY;INTERVAL=+2",
	} {
		if _, err := parseRRule(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	r, err := parseRRule("freq=weekly;until=20271231T235959Z")
	if err != nil || r.value != "FREQ=WEEKLY;UNTIL=20271231T235959Z" || !r.until.Equal(time.Date(2027, 12, 31, 23, 59, 59, 0, time.UTC)) {
		t.Errorf("parsed %+v, %v", r, err)
	}
}

func TestEscapeText(t *testing.T) {
	for in, want := range map[string]string{
		`a\b`:           `a\\b`,
		"a;b,c":         `a\;b\,c`,
		"one\ntwo":      `one\ntwo`,
		"one\r\ntwo\rx": `one\ntwo\nx`,
		"tab\there":     "tab\there",
		"bell\x07\x00":  "bell",
		"bad\xffutf8":   "bad\uFFFDutf8",
		"日本語: ok":       "日本語: ok",
		`\n is literal`: `\\n is literal`,
	} {
		if got := escapeText(in); got != want {
			t.Errorf("escapeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFoldKeepsCharactersWhole(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("a", 74) + "é" + strings.Repeat("b", 100),
		strings.Repeat("a", 73) + "🎉" + strings.Repeat("日", 60),
		strings.Repeat("€", 200),
		strings.Repeat("x", 75),
		strings.Repeat("x", 76),
	} {
		var w contentWriter
		w.line(s)
		b := w.buf.Bytes()
		checkLines(t, b)
		unfolded := strings.ReplaceAll(strings.TrimSuffix(string(b), "\r\n"), "\r\n ", "")
		if unfolded != s {
			t.Errorf("unfolding gives %q, want %q", unfolded, s)
		}
	}
	var w contentWriter
	w.line(strings.Repeat("x", 75))
	if w.buf.String() != strings.Repeat("x", 75)+"\r\n" {
		t.Error("a 75-octet line was folded")
	}
}

func TestUTCOffset(t *testing.T) {
	for secs, want := range map[int]string{
		0: "+0000", -6 * 3600: "-0600", 9 * 3600: "+0900", 5*3600 + 45*60: "+0545",
		-(3*3600 + 30*60): "-0330", -(5*3600 + 50*60 + 36): "-055036",
	} {
		if got := utcOffset(secs); got != want {
			t.Errorf("utcOffset(%d) = %q, want %q", secs, got, want)
		}
	}
}

func TestRefreshInterval(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Hour: "PT1H", 90 * time.Minute: "PT1H30M", 24 * time.Hour: "P1D", 7 * 24 * time.Hour: "P7D",
		time.Minute + 5*time.Second: "PT1M5S", 25 * time.Hour: "PT25H",
	} {
		cal := decode(t, marshal(t, Calendar{RefreshInterval: d}))
		p := cal.Props.Get("REFRESH-INTERVAL")
		if p == nil || p.Value != want || p.Params.Get("VALUE") != "DURATION" {
			t.Errorf("%v: REFRESH-INTERVAL = %+v, want %s", d, p, want)
			continue
		}
		if got, err := p.Duration(); err != nil || got != d {
			t.Errorf("%v: reads back as %v (%v)", d, got, err)
		}
		if got := cal.Props.Get("X-PUBLISHED-TTL").Value; got != want {
			t.Errorf("%v: X-PUBLISHED-TTL = %s", d, got)
		}
	}
	if cal := decode(t, marshal(t, Calendar{})); cal.Props.Get("REFRESH-INTERVAL") != nil {
		t.Error("REFRESH-INTERVAL written when not set")
	}
}

func TestEmptyCalendar(t *testing.T) {
	cal := decode(t, marshal(t, Calendar{Location: mustZone(t, "America/Chicago"), Name: "Nothing yet"}))
	if len(cal.Children) != 0 {
		t.Errorf("empty calendar has %d components", len(cal.Children))
	}
}
