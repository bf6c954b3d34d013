package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
)

// honoreesPage is a milestone dinner's honoree list.
type honoreesPage struct {
	Event *events.Event
	Occ   *events.Occurrence
	Link  string
	When  string
	// From and To are the window of milestones honoured.
	From, To members.Date
	Added    []events.Honoree
	Removed  []events.Honoree
	// Uninvited counts the honorees not invited yet.
	Uninvited int
	// Candidates are members with a milestone in the window who are not
	// on the list, for the add form.
	Candidates []members.Upcoming
	// Search finds any alumnus of the program by name (Found), for
	// honouring someone whose milestone staff cannot see.
	Search string
	Found  []hostChoice
}

// managedDinner reads the milestone dinner occurrence of the path for
// someone who may manage events; other kinds are not found here.
func (s *Server) managedDinner(r *http.Request) (*events.Event, *events.Occurrence, error) {
	e, o, err := s.loadOccurrence(r)
	if err != nil {
		return nil, nil, err
	}
	if err := access.ManageEvents(actor(r), e.ProgramID); err != nil {
		return nil, nil, err
	}
	if e.Kind != events.MilestoneDinner {
		return nil, nil, errNotFound
	}
	return e, o, nil
}

// dinnerWindow is the window of milestones a dinner occurrence honours:
// the event's, or the occurrence's calendar month.
func dinnerWindow(e *events.Event, o *events.Occurrence) (members.Date, members.Date) {
	if !e.WindowStart.IsZero() && !e.WindowEnd.IsZero() {
		return e.WindowStart, e.WindowEnd
	}
	d := o.Date()
	from := members.Date{Year: d.Year, Month: d.Month, Day: 1}
	return from, from.AddMonths(1).AddDays(-1)
}

func (s *Server) honoreesView(r *http.Request, e *events.Event, o *events.Occurrence) (*view, error) {
	ctx := r.Context()
	a := actor(r)
	list, err := events.Honorees(ctx, s.db, a, e.ID, o.ID)
	if err != nil {
		return nil, err
	}
	v := s.eventView(r, "Honorees: "+e.Title, nil)
	d := &honoreesPage{Event: e, Occ: o, Link: occurrenceLink(e.ID, o.ID), When: whenLabel(o.Start, o.End, v.Loc)}
	d.From, d.To = dinnerWindow(e, o)
	listed := map[string]bool{}
	for _, h := range list {
		listed[h.UserID] = true
		if h.State == "removed" {
			d.Removed = append(d.Removed, h)
		} else {
			d.Added = append(d.Added, h)
			if !h.Invited {
				d.Uninvited++
			}
		}
	}
	if access.ViewUpcomingMilestones(a, a.ProgramID) == nil {
		upcoming, err := members.UpcomingMilestones(ctx, s.db, a, d.From, d.To)
		if _, bad := asValidation(err); err != nil && !bad {
			return nil, err
		}
		for _, u := range upcoming {
			if !listed[u.MemberID] {
				d.Candidates = append(d.Candidates, u)
				listed[u.MemberID] = true
			}
		}
	}
	if q := strings.TrimSpace(r.URL.Query().Get("q")); q != "" && r.Method == http.MethodGet {
		d.Search = q
		if err := s.findAlumni(r, d, listed); err != nil {
			return nil, err
		}
	}
	v.Data = d
	return v, nil
}

// findAlumni fills d.Found with the program's active alumni whose name
// contains d.Search and who are not listed yet (at most 20).
func (s *Server) findAlumni(r *http.Request, d *honoreesPage, listed map[string]bool) error {
	found, err := events.FindAlumni(r.Context(), s.db, actor(r), d.Search)
	if err != nil {
		return err
	}
	for _, p := range found {
		if listed[p.ID] {
			continue
		}
		d.Found = append(d.Found, hostChoice{p.ID, p.Name})
		if len(d.Found) == 20 {
			break
		}
	}
	return nil
}

// eventHonorees is the honoree list of a milestone dinner occurrence.
func (s *Server) eventHonorees(w http.ResponseWriter, r *http.Request) error {
	e, o, err := s.managedDinner(r)
	if err != nil {
		return err
	}
	v, err := s.honoreesView(r, e, o)
	if err != nil {
		return err
	}
	v.Form = url.Values{}
	return s.render(w, r, "events_honorees", v)
}

// eventHonoreeAdd puts a member on the list (or back on it).
func (s *Server) eventHonoreeAdd(w http.ResponseWriter, r *http.Request) error {
	e, o, err := s.managedDinner(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	userID := postedField(r, "user_id")
	var ve members.ValidationError
	if userID == "" {
		ve = members.ValidationError{{Field: "user_id", Message: "Choose the member to honour."}}
	} else if !validPathID(userID) {
		return errNotFound
	} else {
		err = events.AddHonoree(r.Context(), s.db, actor(r), e.ID, o.ID, userID)
		if sve, ok := asValidation(err); ok {
			ve = sve
			for i := range ve {
				ve[i].Field = "user_id"
			}
		} else if err != nil {
			return err
		}
	}
	if len(ve) > 0 {
		v, err := s.honoreesView(r, e, o)
		if err != nil {
			return err
		}
		v.Form = r.PostForm
		return s.eventFormError(w, r, "events_honorees", v, ve)
	}
	http.Redirect(w, r, occurrenceLink(e.ID, o.ID)+"/honorees?done=honoree-added", http.StatusSeeOther)
	return nil
}

// eventHonoreesInvite invites the honorees not invited yet, once each.
func (s *Server) eventHonoreesInvite(w http.ResponseWriter, r *http.Request) error {
	e, o, err := s.managedDinner(r)
	if err != nil {
		return err
	}
	if _, err := events.InviteHonorees(r.Context(), s.db, actor(r), e.ID, o.ID); err != nil {
		return err
	}
	http.Redirect(w, r, occurrenceLink(e.ID, o.ID)+"/honorees?done=honorees-invited", http.StatusSeeOther)
	return nil
}

// eventHonoreeRemove takes a member off the list; they stay off when the
// list is computed again.
func (s *Server) eventHonoreeRemove(w http.ResponseWriter, r *http.Request) error {
	e, o, err := s.managedDinner(r)
	if err != nil {
		return err
	}
	userID := r.PathValue("user")
	if !validPathID(userID) {
		return errNotFound
	}
	err = events.RemoveHonoree(r.Context(), s.db, actor(r), e.ID, o.ID, userID)
	if _, bad := asValidation(err); bad {
		return errNotFound // the path names no alumnus of the program
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, occurrenceLink(e.ID, o.ID)+"/honorees?done=honoree-removed", http.StatusSeeOther)
	return nil
}

// eventNamecards is the printable list of honorees: display names and
// milestones only.
func (s *Server) eventNamecards(w http.ResponseWriter, r *http.Request) error {
	e, o, err := s.managedDinner(r)
	if err != nil {
		return err
	}
	v, err := s.honoreesView(r, e, o)
	if err != nil {
		return err
	}
	v.Title = "Name cards: " + e.Title
	return s.render(w, r, "events_namecards", v)
}

// honourPage is a member's honour questions.
type honourPage struct {
	Questions []events.HonourQuestion
}

// eventHonour asks the alumnus, for each milestone coming up, whether it
// may be celebrated at a milestone dinner.
func (s *Server) eventHonour(w http.ResponseWriter, r *http.Request) error {
	qs, err := events.MyHonourQuestions(r.Context(), s.db, actor(r))
	if err != nil {
		return err
	}
	v := s.eventView(r, "Celebrating your milestones", &honourPage{Questions: qs})
	return s.render(w, r, "events_honour", v)
}

// eventHonourAnswer saves a yes or a no thanks; a no is told to nobody.
func (s *Server) eventHonourAnswer(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.AnswerHonour(a); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	answer := postedField(r, "answer")
	date, derr := members.ParseDate(postedField(r, "milestone_date"))
	var ve members.ValidationError
	if derr != nil {
		ve = append(ve, members.FieldError{Field: "milestone_date", Message: "Choose one of the milestones below."})
	}
	if answer != "yes" && answer != "no" {
		ve = append(ve, members.FieldError{Field: "answer", Message: "Choose yes or no thanks."})
	}
	if len(ve) == 0 {
		err := events.AnswerHonour(r.Context(), s.db, a, date, answer == "yes")
		if sve, ok := asValidation(err); ok {
			ve = sve
		} else if err != nil {
			return err
		}
	}
	if len(ve) > 0 {
		qs, err := events.MyHonourQuestions(r.Context(), s.db, a)
		if err != nil {
			return err
		}
		v := s.eventView(r, "Celebrating your milestones", &honourPage{Questions: qs})
		return s.eventFormError(w, r, "events_honour", v, ve)
	}
	http.Redirect(w, r, "/events/honour?done=honour-"+answer, http.StatusSeeOther)
	return nil
}
