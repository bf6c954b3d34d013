package api

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
)

// defaultEventMonths is the window of GET /api/v1/events unless the
// caller says otherwise: three months from the start. A window spans at
// most a year (to a date a year after from, that day included).
const defaultEventMonths = 3

// parseWhen reads a bound of the events window: a local date (YYYY-MM-DD,
// the start of that day, or for an end the start of the next day, so that
// an end date is included), a local date and time (YYYY-MM-DDTHH:MM), or
// an RFC 3339 instant.
func parseWhen(s string, loc *time.Location, end bool) (time.Time, bool) {
	if len(s) == 10 {
		d, err := members.ParseDate(s)
		if err != nil {
			return time.Time{}, false
		}
		if end {
			d = d.AddDays(1)
		}
		return d.In(loc), true
	}
	if lt, err := events.ParseLocalTime(s); err == nil {
		return lt.In(loc), true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// eventCursor is where the next page of occurrences starts: after the
// skip occurrences that start at start (those the earlier pages already
// listed), in the order events.List gives them.
type eventCursor struct {
	start time.Time
	skip  int
}

func (c eventCursor) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte("e1." + strconv.FormatInt(c.start.UnixMicro(), 10) + "." + strconv.Itoa(c.skip)))
}

func decodeEventCursor(s string) (eventCursor, error) {
	bad := invalid("cursor", "Is not a cursor this list returned.")
	if len(s) > 100 {
		return eventCursor{}, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return eventCursor{}, bad
	}
	parts := strings.Split(string(b), ".")
	if len(parts) != 3 || parts[0] != "e1" {
		return eventCursor{}, bad
	}
	micros, err1 := strconv.ParseInt(parts[1], 10, 64)
	skip, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || skip < 1 || skip > 100000 {
		return eventCursor{}, bad
	}
	c := eventCursor{start: time.UnixMicro(micros), skip: skip}
	if c.encode() != s {
		// Only the cursors this list writes.
		return eventCursor{}, bad
	}
	return c, nil
}

// listEvents answers the occurrences the caller may see from from to to,
// by start, cursor-paged. Cancelled ones are listed, marked.
func (a *API) listEvents(w http.ResponseWriter, r *http.Request, c *call) error {
	q := r.URL.Query()
	limit, err := pageLimit(q)
	if err != nil {
		return err
	}
	loc, err := a.location(r, c)
	if err != nil {
		return err
	}
	const when = "Must be a date (YYYY-MM-DD), a local date and time in the program's zone (YYYY-MM-DDTHH:MM) or an RFC 3339 instant."
	today := members.DateOf(a.now().In(loc))
	from := today.In(loc)
	if s := q.Get("from"); s != "" {
		var ok bool
		if from, ok = parseWhen(s, loc, false); !ok {
			return invalid("from", when)
		}
	}
	to := members.DateOf(from.In(loc)).AddMonths(defaultEventMonths).In(loc)
	if s := q.Get("to"); s != "" {
		var ok bool
		if to, ok = parseWhen(s, loc, true); !ok {
			return invalid("to", when)
		}
	}
	switch {
	case !to.After(from):
		return invalid("to", "Must be after from.")
	case to.After(from.In(loc).AddDate(1, 0, 1)):
		return invalid("to", "Must be at most a year after from; page through longer spans a year at a time.")
	}
	var cur eventCursor
	if s := q.Get("cursor"); s != "" {
		if cur, err = decodeEventCursor(s); err != nil {
			return err
		}
		if cur.start.Before(from) || !cur.start.Before(to) {
			return invalid("cursor", "Is not a cursor of this window; keep from and to as they were.")
		}
		from = cur.start
	}
	list, err := events.List(r.Context(), a.db, c.actor(), from, to, limit+cur.skip+1)
	if err != nil {
		return eventsProblem(err)
	}
	// Drop what earlier pages listed: the occurrences that start at the
	// cursor's instant, up to its count (and any that start before it).
	items := list[:0:0]
	skipped := 0
	for _, l := range list {
		if !cur.start.IsZero() {
			if l.Occurrence.Start.Before(cur.start) {
				continue
			}
			if l.Occurrence.Start.Equal(cur.start) && skipped < cur.skip {
				skipped++
				continue
			}
		}
		items = append(items, l)
	}
	page := pageJSON[occurrenceJSON]{Items: make([]occurrenceJSON, 0, min(len(items), limit))}
	for i, l := range items {
		if i == limit {
			break
		}
		page.Items = append(page.Items, toOccurrenceJSON(l.Event, l.Occurrence, loc, l.MyState))
	}
	if len(items) > limit {
		last := items[limit-1].Occurrence.Start
		next := eventCursor{start: last}
		for _, l := range items[:limit] {
			if l.Occurrence.Start.Equal(last) {
				next.skip++
			}
		}
		if last.Equal(cur.start) {
			next.skip += cur.skip
		}
		s := next.encode()
		page.NextCursor = &s
	}
	return writeJSON(w, page)
}
