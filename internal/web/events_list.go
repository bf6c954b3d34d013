package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
)

// eventsPageSize is how many occurrences one page of the list shows.
const eventsPageSize = 25

// eventsMaxPage bounds ?page= to what one List call can read.
const eventsMaxPage = (events.MaxList - 1) / eventsPageSize

// eventsListMonths is how far ahead the upcoming list looks.
const eventsListMonths = 3

// eventItem is one occurrence as the lists and the month view show it.
type eventItem struct {
	Link, Title, Kind string
	Start             time.Time
	// Time is the local start time ("6:30 PM"); Day its local date.
	Time      string
	Day       members.Date
	Place     string
	Cancelled bool
	// State is my RSVP as a badge ("Going", "Waitlisted #2", "Maybe").
	State string
}

// eventDay groups a list's occurrences by local date.
type eventDay struct {
	Label string
	Date  members.Date
	Items []eventItem
}

// eventsListPage is the upcoming list's data.
type eventsListPage struct {
	Days []eventDay
	// Page is this page's number (from 1); Prev and Next are 0 when there
	// is no such page.
	Page, Prev, Next int
	// Month is the current month's YYYY-MM, for the month view link.
	Month   string
	MayEdit bool
	Mine    bool
}

// eventsMonthPage is the month view's data.
type eventsMonthPage struct {
	Caption string
	// Prev and Next are the neighbouring months as YYYY-MM.
	Prev, Next string
	Weeks      [][]monthCell
	Weekdays   []string
	Count      int
	MayEdit    bool
}

// monthCell is one day of the month view; Day is 0 for padding.
type monthCell struct {
	Day   int
	Label string
	Today bool
	Items []eventItem
}

// eventItems turns listed occurrences into list items.
func eventItems(list []events.Listed, loc *time.Location) []eventItem {
	out := make([]eventItem, 0, len(list))
	for _, l := range list {
		e, o := l.Event, l.Occurrence
		it := eventItem{Link: occurrenceLink(e.ID, o.ID), Title: e.Title, Kind: e.Kind.Label(), Start: o.Start,
			Time: o.Start.In(loc).Format("3:04 PM"), Day: members.DateOf(o.Start.In(loc)),
			Place: e.LocationName, Cancelled: o.Cancelled || e.Cancelled()}
		if o.LocationName != "" {
			it.Place = o.LocationName
		}
		if it.Place == "" && e.OnlineURL != "" {
			it.Place = "Online"
		}
		it.State = stateLabel(l.MyState, l.MyPosition)
		out = append(out, it)
	}
	return out
}

// groupByDay groups items, which are in order of start, by local date.
func groupByDay(items []eventItem) []eventDay {
	var days []eventDay
	for _, it := range items {
		if n := len(days); n == 0 || days[n-1].Date != it.Day {
			days = append(days, eventDay{Date: it.Day, Label: it.Day.In(time.UTC).Format("Monday, January 2, 2006")})
		}
		days[len(days)-1].Items = append(days[len(days)-1].Items, it)
	}
	return days
}

// eventsList is the upcoming list (default) or, with ?view=month, the
// month view.
func (s *Server) eventsList(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Get("view") == "month" {
		return s.eventsMonth(w, r)
	}
	a := actor(r)
	v := s.eventView(r, "Events", nil)
	page := 1
	if p := r.URL.Query().Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > eventsMaxPage {
			return errNotFound
		}
		page = n
	}
	today := members.Today(v.Loc, s.now())
	from := today.In(v.Loc)
	to := today.AddMonths(eventsListMonths).In(v.Loc)
	list, err := events.List(r.Context(), s.db, a, from, to, page*eventsPageSize+1)
	if err != nil {
		return err
	}
	data := &eventsListPage{Page: page, Month: today.String()[:7],
		MayEdit: access.ManageEvents(a, a.ProgramID) == nil}
	skip := (page - 1) * eventsPageSize
	if skip > len(list) {
		skip = len(list)
	}
	list = list[skip:]
	if len(list) > eventsPageSize {
		list = list[:eventsPageSize]
		data.Next = page + 1
	}
	if page > 1 {
		data.Prev = page - 1
	}
	items := eventItems(list, v.Loc)
	data.Days = groupByDay(items)
	v.Data = data
	return s.render(w, r, "events_list", v)
}

// eventsMine lists my upcoming RSVPs.
func (s *Server) eventsMine(w http.ResponseWriter, r *http.Request) error {
	v := s.eventView(r, "My events", nil)
	list, err := events.MyEvents(r.Context(), s.db, actor(r), members.Today(v.Loc, s.now()).In(v.Loc), 200)
	if err != nil {
		return err
	}
	items := eventItems(list, v.Loc)
	v.Data = &eventsListPage{Days: groupByDay(items), Mine: true}
	return s.render(w, r, "events_mine", v)
}

// eventsMonth is the month view: a table of the month's weeks with each
// day's occurrences as links.
func (s *Server) eventsMonth(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	v := s.eventView(r, "Events", nil)
	today := members.Today(v.Loc, s.now())
	first := members.Date{Year: today.Year, Month: today.Month, Day: 1}
	if m := r.URL.Query().Get("month"); m != "" {
		d, err := members.ParseDate(m + "-01")
		if err != nil || d.Year < 2000 || d.Year > 2100 {
			return errStatus(http.StatusBadRequest, "That month is not one we can show. Please choose a month such as 2026-12.")
		}
		first = d
	}
	next := first.AddMonths(1)
	list, err := events.List(r.Context(), s.db, a, first.In(v.Loc), next.In(v.Loc), events.MaxList)
	if err != nil {
		return err
	}
	items := eventItems(list, v.Loc)
	byDay := map[int][]eventItem{}
	for _, it := range items {
		if it.Day.Year == first.Year && it.Day.Month == first.Month {
			byDay[it.Day.Day] = append(byDay[it.Day.Day], it)
		}
	}
	data := &eventsMonthPage{Caption: first.In(time.UTC).Format("January 2006"), Count: len(items),
		Prev: first.AddMonths(-1).String()[:7], Next: next.String()[:7],
		Weekdays: []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		MayEdit:  access.ManageEvents(a, a.ProgramID) == nil}
	week := make([]monthCell, int(first.In(time.UTC).Weekday()))
	for d := first; d.Before(next); d = d.AddDays(1) {
		week = append(week, monthCell{Day: d.Day, Label: d.In(time.UTC).Format("Monday, January 2"),
			Today: d == today, Items: byDay[d.Day]})
		if len(week) == 7 {
			data.Weeks = append(data.Weeks, week)
			week = nil
		}
	}
	if len(week) > 0 {
		for len(week) < 7 {
			week = append(week, monthCell{})
		}
		data.Weeks = append(data.Weeks, week)
	}
	v.Title = "Events in " + data.Caption
	v.Data = data
	return s.render(w, r, "events_month", v)
}
