package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/buddies"
)

// buddyRoutes are the buddy program: an alumnus' own page (offer, request,
// proposals, pairings) and the coordinator's page (run the matcher, review
// and send proposals, the minimum time in recovery).
func (s *Server) buddyRoutes() []route {
	return []route{
		{"GET /buddies", signedIn, s.buddies},
		{"POST /buddies/offer", signedIn, s.buddyOffer},
		{"POST /buddies/offer/status", signedIn, s.buddyOfferStatus},
		{"POST /buddies/request", signedIn, s.buddyRequest},
		{"POST /buddies/request/withdraw", signedIn, s.buddyRequestWithdraw},
		{"POST /buddies/proposals/{id}/accept", signedIn, s.buddyAccept},
		{"POST /buddies/proposals/{id}/decline", signedIn, s.buddyDecline},
		{"POST /buddies/pairings/{id}/end", signedIn, s.buddyEnd},
		{"GET /buddies/coordinate", signedIn, s.buddyCoordinate},
		{"POST /buddies/coordinate/run", signedIn, s.buddyRun},
		{"POST /buddies/coordinate/send", signedIn, s.buddySend},
		{"POST /buddies/coordinate/proposals/{id}/drop", signedIn, s.buddyDrop},
		{"POST /buddies/coordinate/settings", signedIn, s.buddySettings},
	}
}

// buddyPage is what buddies.html shows.
type buddyPage struct {
	*buddies.State
	// Offer and Ask are the forms' values (what was saved, or typed).
	OfferForm buddies.OfferInput
	AskForm   buddies.RequestInput
	// OfferTimes marks the chosen contact times.
	OfferTimes                                               map[string]bool
	Meetings, Genders, WantGenders, LifeStages, ContactTimes []buddies.Choice
	Pathways                                                 []members.Pathway
	NotAheadText                                             string
}

// newBuddyPage loads the actor's state and fills the forms from it.
func (s *Server) newBuddyPage(r *http.Request) (*buddyPage, error) {
	st, err := buddies.MyState(r.Context(), s.db, actor(r))
	if err != nil {
		return nil, err
	}
	p := &buddyPage{State: st, Meetings: buddies.Meetings, Genders: buddies.Genders, WantGenders: buddies.WantGenders,
		LifeStages: buddies.LifeStages, ContactTimes: buddies.ContactTimes, Pathways: members.Pathways,
		NotAheadText: buddies.NotAheadText, OfferTimes: map[string]bool{}}
	p.OfferForm = buddies.OfferInput{Capacity: 1, Meeting: buddies.MeetEither}
	if o := st.Offer; o != nil {
		p.OfferForm = buddies.OfferInput{Capacity: o.Capacity, ContactTimes: o.ContactTimes, Availability: o.Availability,
			About: o.About, Meeting: o.Meeting, Gender: o.Gender, LifeStage: o.LifeStage}
	}
	p.AskForm = buddies.RequestInput{Meeting: buddies.MeetEither}
	p.markTimes()
	return p, nil
}

func (p *buddyPage) markTimes() {
	p.OfferTimes = map[string]bool{}
	for _, t := range p.OfferForm.ContactTimes {
		p.OfferTimes[t] = true
	}
}

func (s *Server) buddyView(r *http.Request, p *buddyPage) *view {
	v := s.newView(r, "Buddies", p)
	v.Nav = "buddies"
	return v
}

// buddies shows an alumnus their buddy page; coordinators and admins are
// sent to theirs.
func (s *Server) buddies(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if access.CoordinateBuddies(a, a.ProgramID) == nil {
		http.Redirect(w, r, "/buddies/coordinate", http.StatusSeeOther)
		return nil
	}
	p, err := s.newBuddyPage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "buddies", s.buddyView(r, p))
}

// offerInput reads the offer form.
func offerInput(r *http.Request) buddies.OfferInput {
	n, err := strconv.Atoi(r.PostFormValue("capacity"))
	if err != nil {
		n = 0
	}
	_ = r.ParseForm()
	return buddies.OfferInput{Capacity: n, ContactTimes: r.PostForm["contact_time"], Availability: r.PostFormValue("availability"),
		About: r.PostFormValue("about"), Meeting: r.PostFormValue("meeting"), Gender: r.PostFormValue("gender"),
		LifeStage: r.PostFormValue("life_stage")}
}

// requestFields are the request form's ids for its fields.
var requestFields = map[string]string{"meeting": "request_meeting", "life_stage": "request_life_stage"}

// requestInput reads the request form.
func requestInput(r *http.Request) buddies.RequestInput {
	return buddies.RequestInput{Hopes: r.PostFormValue("hopes"), WantGender: r.PostFormValue("want_gender"),
		WantLanguage: r.PostFormValue("want_language") == "on", Pathway: r.PostFormValue("pathway"),
		Meeting: r.PostFormValue("meeting"), LifeStage: r.PostFormValue("life_stage"),
		OpenToPrevious: r.PostFormValue("open_to_previous") == "on"}
}

// buddyFormError re-renders the page with the typed values and the errors.
// rename maps field names to the ids of the form on the page (both forms
// have a meeting and a life stage).
func (s *Server) buddyFormError(w http.ResponseWriter, r *http.Request, err error, fill func(p *buddyPage), rename map[string]string) error {
	var ve members.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	ve = append(members.ValidationError(nil), ve...)
	for i, f := range ve {
		if n, ok := rename[f.Field]; ok {
			ve[i].Field = n
		}
	}
	p, lerr := s.newBuddyPage(r)
	if lerr != nil {
		return lerr
	}
	fill(p)
	p.markTimes()
	return s.validationError(w, r, "buddies", s.buddyView(r, p), ve)
}

// buddyOffer saves the alumnus' offer to be a buddy.
func (s *Server) buddyOffer(w http.ResponseWriter, r *http.Request) error {
	in := offerInput(r)
	o, err := buddies.SaveOffer(r.Context(), s.db, actor(r), in)
	if err != nil {
		return s.buddyFormError(w, r, err, func(p *buddyPage) { p.OfferForm = in }, nil)
	}
	s.afterWrite(w, r, "/buddies?done=saved#offer", o.Flagged)
	return nil
}

// buddyOfferStatus pauses, resumes or withdraws the offer.
func (s *Server) buddyOfferStatus(w http.ResponseWriter, r *http.Request) error {
	if err := buddies.SetOfferStatus(r.Context(), s.db, actor(r), r.PostFormValue("status")); err != nil {
		return s.buddyFormError(w, r, err, func(*buddyPage) {}, nil)
	}
	http.Redirect(w, r, "/buddies?done=saved#offer", http.StatusSeeOther)
	return nil
}

// buddyRequest asks for a buddy.
func (s *Server) buddyRequest(w http.ResponseWriter, r *http.Request) error {
	in := requestInput(r)
	req, err := buddies.AskForBuddy(r.Context(), s.db, actor(r), in)
	if err != nil {
		return s.buddyFormError(w, r, err, func(p *buddyPage) { p.AskForm = in }, requestFields)
	}
	s.afterWrite(w, r, "/buddies?done=saved#request", req.Flagged)
	return nil
}

// buddyRequestWithdraw withdraws the open request.
func (s *Server) buddyRequestWithdraw(w http.ResponseWriter, r *http.Request) error {
	if err := buddies.WithdrawRequest(r.Context(), s.db, actor(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/buddies?done=saved#request", http.StatusSeeOther)
	return nil
}

// buddyAccept and buddyDecline answer a proposal.
func (s *Server) buddyAccept(w http.ResponseWriter, r *http.Request) error {
	return s.buddyAnswer(w, r, true)
}

func (s *Server) buddyDecline(w http.ResponseWriter, r *http.Request) error {
	return s.buddyAnswer(w, r, false)
}

func (s *Server) buddyAnswer(w http.ResponseWriter, r *http.Request, accept bool) error {
	if _, err := buddies.Answer(r.Context(), s.db, actor(r), r.PathValue("id"), accept); err != nil {
		return err
	}
	http.Redirect(w, r, "/buddies?done=saved#matches", http.StatusSeeOther)
	return nil
}

// buddyEnd ends a pairing.
func (s *Server) buddyEnd(w http.ResponseWriter, r *http.Request) error {
	if err := buddies.EndPairing(r.Context(), s.db, actor(r), r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/buddies?done=saved#pairings", http.StatusSeeOther)
	return nil
}
