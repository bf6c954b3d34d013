package ical

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test -update after checking):\n--- got ---\n%s", path, got)
	}
}

// checkLines asserts the physical-line rules of RFC 5545 section 3.1: every
// line ends in CRLF, there is no other CR or LF, no line is over 75 octets,
// and every line is valid UTF-8 on its own (no character split by a fold).
func checkLines(t testing.TB, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatalf("output does not end in CRLF")
	}
	lines := bytes.Split(b[:len(b)-2], []byte("\r\n"))
	for i, l := range lines {
		if bytes.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > maxLineOctets {
			t.Fatalf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if !utf8.Valid(l) {
			t.Fatalf("line %d is not valid UTF-8 (a fold split a character): %q", i+1, l)
		}
		if len(l) == 0 {
			t.Fatalf("line %d is empty", i+1)
		}
	}
}

// decode parses b with go-ical, the reference decoder.
func decode(t testing.TB, b []byte) *goical.Calendar {
	t.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot parse the output: %v\n%s", err, b)
	}
	return cal
}

// text returns the unescaped TEXT value of prop name in comp.
func text(t testing.TB, comp *goical.Component, name string) string {
	t.Helper()
	p := comp.Props.Get(name)
	if p == nil {
		return ""
	}
	s, err := p.Text()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

// children returns comp's sub-components called name.
func children(comp *goical.Component, name string) []*goical.Component {
	var out []*goical.Component
	for _, c := range comp.Children {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// vtzClock is a time zone read back from a VTIMEZONE alone, the way a
// calendar client without Go's zone data would use it.
type vtzClock struct {
	onsets  []time.Time // instants, ascending
	offsets []int       // seconds east of UTC from the matching onset on
	first   int         // offset before the first onset (its TZOFFSETFROM)
}

// parseOffset reads an RFC 5545 UTC-OFFSET.
func parseOffset(t testing.TB, s string) int {
	t.Helper()
	if len(s) != 5 && len(s) != 7 {
		t.Fatalf("bad UTC offset %q", s)
	}
	var h, m, sec int
	h = int(s[1]-'0')*10 + int(s[2]-'0')
	m = int(s[3]-'0')*10 + int(s[4]-'0')
	if len(s) == 7 {
		sec = int(s[5]-'0')*10 + int(s[6]-'0')
	}
	n := h*3600 + m*60 + sec
	if s[0] == '-' {
		n = -n
	}
	return n
}

// readVTimezone builds a vtzClock from a parsed VTIMEZONE.
func readVTimezone(t testing.TB, vtz *goical.Component) vtzClock {
	t.Helper()
	type obs struct {
		onset    time.Time
		from, to int
	}
	var all []obs
	for _, c := range vtz.Children {
		if c.Name != "STANDARD" && c.Name != "DAYLIGHT" {
			t.Fatalf("unexpected %s in VTIMEZONE", c.Name)
		}
		from := parseOffset(t, c.Props.Get("TZOFFSETFROM").Value)
		to := parseOffset(t, c.Props.Get("TZOFFSETTO").Value)
		local, err := time.Parse(localDateTime, c.Props.Get("DTSTART").Value)
		if err != nil {
			t.Fatalf("observance DTSTART: %v", err)
		}
		if c.Props.Get("RRULE") != nil || c.Props.Get("RDATE") != nil {
			t.Fatalf("this reader handles explicit observances only")
		}
		if c.Props.Get("TZNAME") == nil {
			t.Errorf("observance at %s has no TZNAME", local)
		}
		all = append(all, obs{local.Add(-time.Duration(from) * time.Second), from, to})
	}
	if len(all) == 0 {
		t.Fatal("VTIMEZONE has no observances")
	}
	sort.Slice(all, func(i, j int) bool { return all[i].onset.Before(all[j].onset) })
	z := vtzClock{first: all[0].from}
	for _, o := range all {
		z.onsets = append(z.onsets, o.onset)
		z.offsets = append(z.offsets, o.to)
	}
	return z
}

// offsetAt is the offset in force at instant u.
func (z vtzClock) offsetAt(u time.Time) int {
	off := z.first
	for i, on := range z.onsets {
		if on.After(u) {
			break
		}
		off = z.offsets[i]
	}
	return off
}

// instant turns a wall-clock time (read as if in UTC) into an instant,
// choosing the offset in force at that wall time.
func (z vtzClock) instant(wall time.Time) time.Time {
	guess := wall.Add(-time.Duration(z.offsetAt(wall)) * time.Second)
	return wall.Add(-time.Duration(z.offsetAt(guess)) * time.Second)
}

// floating returns a copy of prop's DATE-TIME read as floating wall-clock
// time (TZID dropped, parsed as UTC).
func floating(t testing.TB, p *goical.Prop) time.Time {
	t.Helper()
	if strings.HasSuffix(p.Value, "Z") {
		t.Fatalf("%s is in UTC, want local time with TZID: %s", p.Name, p.Value)
	}
	w, err := time.Parse(localDateTime, p.Value)
	if err != nil {
		t.Fatal(err)
	}
	return w
}
