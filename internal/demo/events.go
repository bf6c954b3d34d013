package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// The demo program's place, where most gatherings are held.
const (
	demoVenue   = "Driftwood Recovery, Community Room"
	demoAddress = "1200 Barton Springs Rd, Austin, TX 78704"
)

// Titles of the demo events, which tests look for.
const (
	MeetingTitle         = "Tuesday Alumni Meeting"
	FamilyDinnerTitle    = "First Friday Family Dinner"
	MilestoneDinnerTitle = "Milestone Dinner"
	HikeTitle            = "Saturday Hike: Barton Creek Greenbelt"
	CookingTitle         = "Cooking Class: Holiday Mocktails and Small Plates"
)

// familyDinnerSeats is the demo family dinner's capacity, in people: the
// next dinner is booked to the last seat and has a waitlist.
const familyDinnerSeats = 24

// eventSeeder holds what the demo events are written with.
type eventSeeder struct {
	d     *db.DB
	p     *programs.Program
	now   time.Time
	today members.Date
	coord access.Actor
	// alumni are the demo alumni actors in the order of people(), Alex
	// first.
	alumni []access.Actor
	alex   access.Actor
	coach  string
}

// seedEvents gives the demo program its gatherings once: a weekly alumni
// meeting listed publicly (eight weeks of past attendance and RSVPs for
// the next one), a monthly family dinner whose next date is full with a
// waitlist (Alex comes with two guests), a monthly milestone dinner with
// honorees, a monthly Saturday hike and a one-off cooking class. Dates are
// relative to today. A program that has any event already is left alone.
func seedEvents(ctx context.Context, d *db.DB, p *programs.Program) error {
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE program_id = ?`, p.ID).Scan(&n); err != nil {
		return fmt.Errorf("demo: events: %w", err)
	}
	if n > 0 {
		return nil
	}
	s := &eventSeeder{d: d, p: p, now: time.Now()}
	s.today = members.Today(p.Location(), s.now)
	for _, pe := range people() {
		id, ok, err := userID(ctx, d, p.ID, pe.Email)
		if err != nil {
			return fmt.Errorf("demo: events: %w", err)
		}
		if !ok {
			continue
		}
		a := access.Actor{UserID: id, ProgramID: p.ID, Role: pe.Role}
		switch {
		case pe.Role == access.Coordinator:
			s.coord = a
		case pe.Role == access.Coach:
			s.coach = id
		case pe.Role == access.Alumnus:
			s.alumni = append(s.alumni, a)
			if pe.Email == "alex@demo.cairn.test" {
				s.alex = a
			}
		}
	}
	if s.coord.UserID == "" || s.alex.UserID == "" || len(s.alumni) < 30 {
		return nil // a partial demo (accounts removed): nothing to build on
	}
	for _, step := range []func(context.Context) error{s.meeting, s.familyDinner, s.milestoneDinner, s.hike, s.cooking} {
		if err := step(ctx); err != nil {
			return fmt.Errorf("demo: events: %w", err)
		}
	}
	return nil
}

// start is a local start time days from today at hh:mm.
func (s *eventSeeder) start(days, hh, mm int) string {
	return fmt.Sprintf("%sT%02d:%02d", s.today.AddDays(days), hh, mm)
}

// meeting creates the weekly meeting, eight weeks back, with attendance at
// every past Tuesday and RSVPs for the next one.
func (s *eventSeeder) meeting(ctx context.Context) error {
	e, err := events.Create(ctx, s.d, s.coord, events.Input{
		Kind: events.WeeklyMeeting, Title: MeetingTitle,
		Description: "Our weekly check-in: share what is working, what is hard, and what is next. " +
			"Newcomers and old-timers alike; coffee from 6 pm. Join in person or online.",
		LocationName: demoVenue, Address: demoAddress, OnlineURL: "https://meet.example.org/driftwood-tuesday",
		Start: s.start(-56, 18, 30), DurationMinutes: 90, RRule: "FREQ=WEEKLY;BYDAY=TU",
		Audience: events.Public, HostID: s.coach,
		Accessibility: "Step-free entrance from the parking lot; ASL interpreter on request (ask a week ahead).",
	})
	if err != nil {
		return err
	}
	past, next, err := s.occurrences(ctx, e, s.today.AddDays(-60), 1)
	if err != nil {
		return err
	}
	for k, o := range past {
		for i, a := range s.alumni[:24] {
			// Alex comes nearly every week; the others on and off, and a
			// few have stopped coming lately.
			came := (i+k)%3 != 0 || a == s.alex
			if i >= 20 && k >= len(past)-4 {
				came = false
			}
			if !came {
				continue
			}
			if _, err := events.CheckIn(ctx, s.d, s.coord, e.ID, o.ID, a.UserID); err != nil {
				return err
			}
		}
		if k%3 == 1 {
			if _, err := events.AddWalkIn(ctx, s.d, s.coord, e.ID, o.ID, "First-time visitor"); err != nil {
				return err
			}
		}
	}
	for _, o := range next {
		for i, a := range s.alumni[:16] {
			status := "yes"
			if i%5 == 4 {
				status = "maybe"
			}
			if err := s.rsvp(ctx, a, e.ID, o.ID, events.RSVPInput{Status: status, ShowMe: i%2 == 0}); err != nil {
				return err
			}
		}
	}
	return nil
}

// familyDinner creates the monthly family dinner and books its next date
// to the last seat: Alex with an adult guest and a child, then other
// families, then two families on the waitlist.
func (s *eventSeeder) familyDinner(ctx context.Context) error {
	e, err := events.Create(ctx, s.d, s.coord, events.Input{
		Kind: events.FamilyDinner, Title: FamilyDinnerTitle,
		Description: "A home-cooked dinner for alumni and the people who stand by them. " +
			"Bring your family, a partner or a friend; children are welcome and there is a play corner.",
		LocationName: "Driftwood Recovery, Dining Hall", Address: demoAddress,
		Start: s.start(-40, 18, 0), DurationMinutes: 120, RRule: "FREQ=MONTHLY;BYDAY=1FR",
		Capacity: familyDinnerSeats, Audience: events.AlumniFamily, HostID: s.coord.UserID,
		Accessibility: "Step-free; high chairs available; tell us about allergies in your RSVP.",
	})
	if err != nil {
		return err
	}
	_, next, err := s.occurrences(ctx, e, s.today, 1)
	if err != nil || len(next) == 0 {
		return err
	}
	occ := next[0].ID
	left := familyDinnerSeats
	alex := events.RSVPInput{Status: "yes", Adults: 2, Children: 1, Dietary: "One vegetarian; no peanuts for our youngest.", ShowMe: true}
	if err := s.rsvp(ctx, s.alex, e.ID, occ, alex); err != nil {
		return err
	}
	left -= alex.Adults + alex.Children
	others := s.others()
	k := 0
	for ; left > 0 && k < len(others); k++ {
		party := min(2+k%3, left)
		adults := min(2, party)
		in := events.RSVPInput{Status: "yes", Adults: adults, Children: party - adults, ShowMe: k%3 != 2}
		if k%4 == 1 {
			in.Dietary = "Gluten-free, please."
		}
		if err := s.rsvp(ctx, others[k], e.ID, occ, in); err != nil {
			return err
		}
		left -= party
	}
	for _, a := range others[k:min(k+2, len(others))] {
		if err := s.rsvp(ctx, a, e.ID, occ, events.RSVPInput{Status: "yes", Adults: 2, Children: 2}); err != nil {
			return err
		}
	}
	return nil
}

// milestoneDinner creates the monthly milestone dinner; for its next date,
// members with a milestone in its month (that staff may see) agree to be
// honoured, one declines, the coordinator's honoree list invites the
// others, and some of them RSVP with guests.
func (s *eventSeeder) milestoneDinner(ctx context.Context) error {
	e, err := events.Create(ctx, s.d, s.coord, events.Input{
		Kind: events.MilestoneDinner, Title: MilestoneDinnerTitle,
		Description: "Every month we celebrate the alumni who reached a milestone: 30 days, 90 days, a year, ten years. " +
			"Honorees bring their people; everyone is welcome to cheer them on.",
		LocationName: "Driftwood Recovery, Dining Hall", Address: demoAddress,
		Start: s.start(-35, 18, 30), DurationMinutes: 120, RRule: "FREQ=MONTHLY;BYDAY=-1TH",
		Capacity: 80, Audience: events.AlumniFamily, HostID: s.coord.UserID,
	})
	if err != nil {
		return err
	}
	_, next, err := s.occurrences(ctx, e, s.today, 1)
	if err != nil || len(next) == 0 {
		return err
	}
	o := next[0]
	day := members.DateOf(o.Start.In(s.p.Location()))
	from := members.Date{Year: day.Year, Month: day.Month, Day: 1}
	ups, err := members.UpcomingMilestones(ctx, s.d, s.coord, from, from.AddMonths(1).AddDays(-1))
	if err != nil {
		return err
	}
	byID := map[string]access.Actor{}
	for _, a := range s.alumni {
		byID[a.UserID] = a
	}
	asked := map[string]bool{}
	var honoured []access.Actor
	for _, u := range ups {
		a, ok := byID[u.MemberID]
		if !ok || asked[u.MemberID] || len(asked) == 8 {
			continue
		}
		asked[u.MemberID] = true
		yes := len(asked) != 3 // one member would rather not be honoured
		if err := events.AnswerHonour(ctx, s.d, a, u.Milestone.Date, yes); err != nil {
			return err
		}
		if yes {
			honoured = append(honoured, a)
		}
	}
	if _, err := events.InviteHonorees(ctx, s.d, s.coord, e.ID, o.ID); err != nil {
		return err
	}
	for i, a := range honoured {
		if i%3 == 2 {
			continue // invited, not answered yet
		}
		in := events.RSVPInput{Status: "yes", Adults: 1 + i%3, Children: i % 2, ShowMe: true}
		if err := s.rsvp(ctx, a, e.ID, o.ID, in); err != nil {
			return err
		}
	}
	return nil
}

// hike creates the monthly Saturday hike, two months back, with past
// attendance and RSVPs for the next one.
func (s *eventSeeder) hike(ctx context.Context) error {
	e, err := events.Create(ctx, s.d, s.coord, events.Input{
		Kind: events.Activity, Title: HikeTitle,
		Description: "An easy-paced 5-mile hike along Barton Creek, with a stop at Twin Falls. " +
			"Bring water, sunscreen and shoes with grip; we carpool from the center at 7:45.",
		LocationName: "Barton Creek Greenbelt, Spyglass trailhead", Address: "1500 Spyglass Dr, Austin, TX 78746",
		Start: s.start(-70, 8, 0), DurationMinutes: 180, RRule: "FREQ=MONTHLY;BYDAY=2SA",
		Capacity: 15, Audience: events.Alumni, HostID: s.alumni[1].UserID,
		Accessibility: "Uneven, rocky trail with some climbs; not suitable for wheelchairs.",
	})
	if err != nil {
		return err
	}
	past, next, err := s.occurrences(ctx, e, s.today.AddDays(-75), 1)
	if err != nil {
		return err
	}
	for k, o := range past {
		for i, a := range s.alumni[1:12] {
			if (i+k)%2 == 0 {
				if _, err := events.CheckIn(ctx, s.d, s.coord, e.ID, o.ID, a.UserID); err != nil {
					return err
				}
			}
		}
	}
	for _, o := range next {
		for i, a := range s.alumni[1:10] {
			if err := s.rsvp(ctx, a, e.ID, o.ID, events.RSVPInput{Status: "yes", ShowMe: i%2 == 1}); err != nil {
				return err
			}
		}
	}
	return nil
}

// cooking creates a one-off cooking class in ten days, with RSVPs.
func (s *eventSeeder) cooking(ctx context.Context) error {
	e, err := events.Create(ctx, s.d, s.coord, events.Input{
		Kind: events.Activity, Title: CookingTitle,
		Description: "Chef Rosa shows how to host a party everyone enjoys without alcohol: three mocktails and four small plates. " +
			"Ingredients provided; we eat what we make.",
		LocationName: "Driftwood Recovery, Teaching Kitchen", Address: demoAddress,
		Start: s.start(10, 18, 0), DurationMinutes: 150, Capacity: 12, Audience: events.Alumni,
		HostID: s.coord.UserID, Accessibility: "Step-free; seated stations available.",
	})
	if err != nil {
		return err
	}
	_, next, err := s.occurrences(ctx, e, s.today, 1)
	if err != nil {
		return err
	}
	for _, o := range next {
		for i, a := range s.alumni[10:19] {
			status := "yes"
			if i%4 == 3 {
				status = "maybe"
			}
			if err := s.rsvp(ctx, a, e.ID, o.ID, events.RSVPInput{Status: status, ShowMe: true}); err != nil {
				return err
			}
		}
	}
	return nil
}

// occurrences returns e's occurrences that ended before now (from from
// on), and the first upcoming ones (at most n) that still take RSVPs.
func (s *eventSeeder) occurrences(ctx context.Context, e *events.Event, from members.Date, n int) (past, next []*events.Occurrence, err error) {
	loc := s.p.Location()
	all, err := events.Occurrences(ctx, s.d, s.coord, e.ID, from.In(loc), s.now.AddDate(0, 3, 0))
	if err != nil {
		return nil, nil, err
	}
	for _, o := range all {
		switch {
		case o.Cancelled:
		case o.End.Before(s.now):
			past = append(past, o)
		case len(next) < n && e.RSVPClosesAt(o).After(s.now.Add(10*time.Minute)):
			next = append(next, o)
		}
	}
	return past, next, nil
}

// others are the demo alumni without Alex.
func (s *eventSeeder) others() []access.Actor {
	out := make([]access.Actor, 0, len(s.alumni))
	for _, a := range s.alumni {
		if a != s.alex {
			out = append(out, a)
		}
	}
	return out
}

// rsvp answers for a; a demo RSVP that has just closed (the seed ran at
// the last minute) is skipped rather than failing the seed.
func (s *eventSeeder) rsvp(ctx context.Context, a access.Actor, eventID, occ string, in events.RSVPInput) error {
	_, err := events.SetRSVP(ctx, s.d, a, eventID, occ, in)
	var v members.ValidationError
	if errors.As(err, &v) && v.For("status") != "" {
		return nil
	}
	return err
}
