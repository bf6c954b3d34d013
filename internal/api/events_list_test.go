package api

import (
	"testing"
	"time"
)

// FuzzEventsWindow feeds the list's query parsers anything: they never
// panic, a bound they accept is a real instant, and a cursor they accept
// encodes back to itself.
func FuzzEventsWindow(f *testing.F) {
	for _, s := range []string{"2026-12-01", "2026-12-01T18:30", "2026-12-01 18:30:00", "2026-12-01T18:30:00-06:00",
		"2026-02-30", "", "ZTEuMTc2NDU0NDAwMDAwMDAwMC4y", "e1.1.1", "!!", "2026-12-01T24:00"} {
		f.Add(s)
	}
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, end := range []bool{false, true} {
			if at, ok := parseWhen(s, loc, end); ok && at.IsZero() {
				t.Fatalf("parseWhen(%q) accepted a zero time", s)
			}
		}
		if c, err := decodeEventCursor(s); err == nil {
			if c.skip < 1 || c.encode() != s {
				t.Fatalf("cursor %q decoded to %+v, which encodes to %q", s, c, c.encode())
			}
		} else if p, ok := err.(*Problem); !ok || p.Errors[0].Field != "cursor" {
			t.Fatalf("cursor %q: error %v does not name the cursor", s, err)
		}
	})
}

// TestEventCursorRoundTrip: a cursor names an instant and a count.
func TestEventCursorRoundTrip(t *testing.T) {
	c := eventCursor{start: time.Date(2026, 12, 1, 18, 30, 0, 0, time.UTC), skip: 3}
	got, err := decodeEventCursor(c.encode())
	if err != nil || !got.start.Equal(c.start) || got.skip != 3 {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
}

// TestOpenAPIListsConflict: the 409 problem type of the events routes is
// in the Problem schema's enum.
func TestOpenAPIListsConflict(t *testing.T) {
	_, tree := parseDoc(t)
	list, _ := resolve(tree, "#/components/schemas/Problem/properties/type/enum").([]any)
	for _, v := range list {
		if v == typeConflict {
			return
		}
	}
	t.Fatalf("problem type %q is not in the Problem schema's enum", typeConflict)
}
