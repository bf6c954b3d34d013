package api

import (
	"net/http"
	"time"

	"github.com/cairn-recovery/cairn/internal/peers/buddies"
)

// buddyRoutes are the buddy program: an alumnus' offer, request and
// answers, and the coordinator's match runs.
func (a *API) buddyRoutes() []route {
	return []route{
		{"GET /api/v1/buddy/me", false, a.getBuddyMe},
		{"POST /api/v1/buddy/offers", false, a.postBuddyOffer},
		{"POST /api/v1/buddy/requests", false, a.postBuddyRequest},
		{"POST /api/v1/buddy/match-runs", false, a.postBuddyMatchRun},
		{"POST /api/v1/buddy/proposals/{id}/accept", false, a.postBuddyAccept},
		{"POST /api/v1/buddy/proposals/{id}/decline", false, a.postBuddyDecline},
	}
}

// buddyOfferBody is the body of POST /api/v1/buddy/offers.
type buddyOfferBody struct {
	Capacity     int      `json:"capacity"`
	ContactTimes []string `json:"contact_times"`
	Availability string   `json:"availability"`
	About        string   `json:"about"`
	Meeting      string   `json:"meeting"`
	Gender       string   `json:"gender"`
	LifeStage    string   `json:"life_stage"`
}

func (b buddyOfferBody) input() buddies.OfferInput {
	return buddies.OfferInput{Capacity: b.Capacity, ContactTimes: b.ContactTimes, Availability: b.Availability,
		About: b.About, Meeting: b.Meeting, Gender: b.Gender, LifeStage: b.LifeStage}
}

// buddyRequestBody is the body of POST /api/v1/buddy/requests.
type buddyRequestBody struct {
	Hopes          string `json:"hopes"`
	WantGender     string `json:"want_gender"`
	WantLanguage   bool   `json:"want_language"`
	Pathway        string `json:"pathway"`
	Meeting        string `json:"meeting"`
	LifeStage      string `json:"life_stage"`
	OpenToPrevious bool   `json:"open_to_previous"`
}

func (b buddyRequestBody) input() buddies.RequestInput {
	return buddies.RequestInput{Hopes: b.Hopes, WantGender: b.WantGender, WantLanguage: b.WantLanguage, Pathway: b.Pathway,
		Meeting: b.Meeting, LifeStage: b.LifeStage, OpenToPrevious: b.OpenToPrevious}
}

// buddyOfferJSON is an offer as the API answers it.
type buddyOfferJSON struct {
	ID           string   `json:"id"`
	Capacity     int      `json:"capacity"`
	ContactTimes []string `json:"contact_times"`
	Availability string   `json:"availability"`
	About        string   `json:"about"`
	Meeting      string   `json:"meeting"`
	Gender       string   `json:"gender"`
	LifeStage    string   `json:"life_stage"`
	Status       string   `json:"status"`
	// CrisisSupport is added when about held crisis language.
	CrisisSupport *crisisSupport `json:"crisis_support,omitempty"`
}

func offerJSON(o *buddies.Offer) *buddyOfferJSON {
	if o == nil {
		return nil
	}
	times := o.ContactTimes
	if times == nil {
		times = []string{}
	}
	return &buddyOfferJSON{ID: o.ID, Capacity: o.Capacity, ContactTimes: times, Availability: o.Availability, About: o.About,
		Meeting: o.Meeting, Gender: o.Gender, LifeStage: o.LifeStage, Status: o.Status}
}

// buddyRequestJSON is a request as the API answers it.
type buddyRequestJSON struct {
	ID             string    `json:"id"`
	Hopes          string    `json:"hopes"`
	WantGender     string    `json:"want_gender"`
	WantLanguage   bool      `json:"want_language"`
	Pathway        string    `json:"pathway"`
	Meeting        string    `json:"meeting"`
	LifeStage      string    `json:"life_stage"`
	OpenToPrevious bool      `json:"open_to_previous"`
	Status         string    `json:"status"`
	CreatedAt      time.Time `json:"created_at"`
	// CrisisSupport is added when hopes held crisis language.
	CrisisSupport *crisisSupport `json:"crisis_support,omitempty"`
}

func requestJSON(r *buddies.Request) *buddyRequestJSON {
	if r == nil {
		return nil
	}
	return &buddyRequestJSON{ID: r.ID, Hopes: r.Hopes, WantGender: r.WantGender, WantLanguage: r.WantLanguage, Pathway: r.Pathway,
		Meeting: r.Meeting, LifeStage: r.LifeStage, OpenToPrevious: r.OpenToPrevious, Status: r.Status, CreatedAt: r.CreatedAt.UTC()}
}

// postBuddyOffer makes or changes the caller's offer to be a buddy.
func (a *API) postBuddyOffer(w http.ResponseWriter, r *http.Request, c *call) error {
	var body buddyOfferBody
	if err := decodeJSON(w, r, a.maxBody, &body); err != nil {
		return err
	}
	o, err := buddies.SaveOffer(r.Context(), a.db, c.actor(), body.input())
	if err != nil {
		return membersProblem(err)
	}
	out := offerJSON(o)
	if o.Flagged {
		out.CrisisSupport = a.crisisSupportFor(r, c)
	}
	return writeJSON(w, out)
}

// postBuddyRequest asks for a buddy.
func (a *API) postBuddyRequest(w http.ResponseWriter, r *http.Request, c *call) error {
	var body buddyRequestBody
	if err := decodeJSON(w, r, a.maxBody, &body); err != nil {
		return err
	}
	req, err := buddies.AskForBuddy(r.Context(), a.db, c.actor(), body.input())
	if err != nil {
		return membersProblem(err)
	}
	out := requestJSON(req)
	if req.Flagged {
		out.CrisisSupport = a.crisisSupportFor(r, c)
	}
	return writeJSONStatus(w, http.StatusCreated, out)
}

// buddyProposalJSON is a draft proposal of a match run.
type buddyProposalJSON struct {
	ID            string   `json:"id"`
	RequestID     string   `json:"request_id"`
	OfferID       string   `json:"offer_id"`
	RequesterID   string   `json:"requester_id"`
	RequesterName string   `json:"requester_name"`
	BuddyID       string   `json:"buddy_id"`
	BuddyName     string   `json:"buddy_name"`
	Score         int      `json:"score"`
	Reasons       []string `json:"reasons"`
	Status        string   `json:"status"`
}

// buddyRunJSON is the answer of POST /api/v1/buddy/match-runs.
type buddyRunJSON struct {
	ID        string              `json:"id"`
	CreatedAt time.Time           `json:"created_at"`
	Requests  int                 `json:"requests"`
	Offers    int                 `json:"offers"`
	Unmatched int                 `json:"unmatched"`
	Proposals []buddyProposalJSON `json:"proposals"`
}

// postBuddyMatchRun runs the matcher (coordinators and admins; others get
// 404) and answers its draft proposals with scores and reasons.
func (a *API) postBuddyMatchRun(w http.ResponseWriter, r *http.Request, c *call) error {
	run, err := buddies.RunMatcher(r.Context(), a.db, c.actor())
	if err != nil {
		return err
	}
	out := buddyRunJSON{ID: run.ID, CreatedAt: run.CreatedAt.UTC(), Requests: run.Requests, Offers: run.Offers,
		Unmatched: run.Unmatched, Proposals: make([]buddyProposalJSON, 0, len(run.Proposals))}
	for _, p := range run.Proposals {
		reasons := p.Reasons
		if reasons == nil {
			reasons = []string{}
		}
		out.Proposals = append(out.Proposals, buddyProposalJSON{ID: p.ID, RequestID: p.RequestID, OfferID: p.OfferID,
			RequesterID: p.RequesterID, RequesterName: p.RequesterName, BuddyID: p.BuddyID, BuddyName: p.BuddyName,
			Score: p.Score, Reasons: reasons, Status: p.Status})
	}
	return writeJSONStatus(w, http.StatusCreated, out)
}

// buddyAnswerJSON answers an accept: pairing_id is set once both said yes.
type buddyAnswerJSON struct {
	Status         string `json:"status"`
	PairingID      string `json:"pairing_id,omitempty"`
	ConversationID string `json:"conversation_id,omitempty"`
}

// postBuddyAccept accepts a proposal sent to the caller.
func (a *API) postBuddyAccept(w http.ResponseWriter, r *http.Request, c *call) error {
	id := r.PathValue("id")
	if id == "" || len(id) > 64 {
		return errNotFound
	}
	p, err := buddies.Answer(r.Context(), a.db, c.actor(), id, true)
	if err != nil {
		return err
	}
	out := buddyAnswerJSON{Status: "waiting"}
	if p != nil {
		out = buddyAnswerJSON{Status: "paired", PairingID: p.ID, ConversationID: p.ConversationID}
	}
	return writeJSON(w, out)
}

// postBuddyDecline declines a proposal sent to the caller. The other
// person is never told who declined.
func (a *API) postBuddyDecline(w http.ResponseWriter, r *http.Request, c *call) error {
	id := r.PathValue("id")
	if id == "" || len(id) > 64 {
		return errNotFound
	}
	if _, err := buddies.Answer(r.Context(), a.db, c.actor(), id, false); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// buddyMyProposalJSON is a proposal as one of its two people sees it.
type buddyMyProposalJSON struct {
	ID        string   `json:"id"`
	AsBuddy   bool     `json:"as_buddy"`
	OtherName string   `json:"other_name"`
	OtherText string   `json:"other_text"`
	Reasons   []string `json:"reasons"`
	MyAnswer  string   `json:"my_answer"`
	// State is open, or not_ahead (never who declined).
	State string `json:"state"`
}

// buddyPairingJSON is a current pairing.
type buddyPairingJSON struct {
	ID             string    `json:"id"`
	AsBuddy        bool      `json:"as_buddy"`
	OtherID        string    `json:"other_id"`
	OtherName      string    `json:"other_name"`
	ConversationID string    `json:"conversation_id"`
	StartedAt      time.Time `json:"started_at"`
}

// buddyMeJSON is the answer of GET /api/v1/buddy/me.
type buddyMeJSON struct {
	MayOffer     bool                  `json:"may_offer"`
	MayOfferFrom *string               `json:"may_offer_from"`
	Offer        *buddyOfferJSON       `json:"offer"`
	Request      *buddyRequestJSON     `json:"request"`
	Proposals    []buddyMyProposalJSON `json:"proposals"`
	Pairings     []buddyPairingJSON    `json:"pairings"`
}

// getBuddyMe answers the caller's own buddy state (alumni; others 404).
func (a *API) getBuddyMe(w http.ResponseWriter, r *http.Request, c *call) error {
	st, err := buddies.MyState(r.Context(), a.db, c.actor())
	if err != nil {
		return err
	}
	out := buddyMeJSON{MayOffer: st.Eligibility.OK, Offer: offerJSON(st.Offer), Request: requestJSON(st.Request),
		Proposals: []buddyMyProposalJSON{}, Pairings: []buddyPairingJSON{}}
	if st.Eligibility.HasDate {
		d := st.Eligibility.From.String()
		out.MayOfferFrom = &d
	}
	for _, p := range st.Proposals {
		state := "open"
		if p.NotAhead {
			state = "not_ahead"
		}
		reasons := p.Reasons
		if reasons == nil {
			reasons = []string{}
		}
		out.Proposals = append(out.Proposals, buddyMyProposalJSON{ID: p.ID, AsBuddy: p.AsBuddy, OtherName: p.OtherName,
			OtherText: p.OtherText, Reasons: reasons, MyAnswer: p.MyAnswer, State: state})
	}
	for _, p := range st.Pairings {
		out.Pairings = append(out.Pairings, buddyPairingJSON{ID: p.ID, AsBuddy: p.AsBuddy, OtherID: p.OtherID, OtherName: p.OtherName,
			ConversationID: p.ConversationID, StartedAt: p.StartedAt.UTC()})
	}
	return writeJSON(w, out)
}
