package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/cairn-recovery/cairn/internal/members"
)

// caseloadRoutes are a coach's caseload and setting a member's coach.
func (a *API) caseloadRoutes() []route {
	return []route{
		{"GET /api/v1/caseload", false, a.getCaseload},
		{"PUT /api/v1/members/{id}/coach", false, a.putMemberCoach},
	}
}

// caseloadEventJSON is a member's next event in the caseload.
type caseloadEventJSON struct {
	EventID    string    `json:"event_id"`
	Occurrence string    `json:"occurrence"`
	Title      string    `json:"title"`
	StartsAt   time.Time `json:"starts_at"`
	State      string    `json:"state"`
}

// caseloadMilestonesJSON is a member's last reached milestone (null when
// none yet) and next one.
type caseloadMilestonesJSON struct {
	Last *milestoneJSON `json:"last"`
	Next *milestoneJSON `json:"next"`
}

// caseloadEntryJSON is one member of the caseload. recovery_date,
// milestones and pathways are null unless the member shares them with
// their coach.
type caseloadEntryJSON struct {
	MemberID     string                  `json:"member_id"`
	DisplayName  string                  `json:"display_name"`
	Role         string                  `json:"role"`
	LastContact  *time.Time              `json:"last_contact"`
	NextEvent    *caseloadEventJSON      `json:"next_event"`
	RecoveryDate *string                 `json:"recovery_date"`
	Milestones   *caseloadMilestonesJSON `json:"milestones"`
	Pathways     []string                `json:"pathways"`
}

// milestoneOut is m as JSON (nil for nil).
func milestoneOut(m *members.Milestone) *milestoneJSON {
	if m == nil {
		return nil
	}
	return &milestoneJSON{Label: m.Label, Date: m.Date.String()}
}

// caseloadJSON is the answer of GET /api/v1/caseload.
type caseloadJSON struct {
	Items []caseloadEntryJSON `json:"items"`
}

// getCaseload answers the caller's caseload (coaches only; others get
// 404), filtered by ?role=primary|secondary and ordered by ?sort=contact
// (the default: longest since last contact first) or name.
func (a *API) getCaseload(w http.ResponseWriter, r *http.Request, c *call) error {
	q := r.URL.Query()
	list, err := members.Caseload(r.Context(), a.db, c.actor(), members.CaseloadFilter{Role: q.Get("role"), Sort: q.Get("sort")})
	if err != nil {
		return queryProblem(err)
	}
	out := caseloadJSON{Items: make([]caseloadEntryJSON, 0, len(list))}
	for _, e := range list {
		j := caseloadEntryJSON{MemberID: e.MemberID, DisplayName: e.DisplayName, Role: e.Role}
		if !e.LastContact.IsZero() {
			t := e.LastContact.UTC()
			j.LastContact = &t
		}
		if ev := e.NextEvent; ev != nil {
			j.NextEvent = &caseloadEventJSON{EventID: ev.EventID, Occurrence: ev.Occurrence, Title: ev.Title, StartsAt: ev.StartsAt.UTC(), State: ev.State}
		}
		if e.RecoveryVisible {
			d := e.RecoverySince.String()
			j.RecoveryDate = &d
		}
		if e.MilestonesVisible {
			j.Milestones = &caseloadMilestonesJSON{Last: milestoneOut(e.LastMilestone), Next: milestoneOut(e.NextMilestone)}
		}
		if e.PathwaysVisible {
			j.Pathways = append([]string{}, e.Pathways...)
		}
		out.Items = append(out.Items, j)
	}
	return writeJSON(w, out)
}

// queryProblem turns a members.ValidationError about query parameters
// into a 400 problem naming the parameter; other errors pass through.
func queryProblem(err error) error {
	if p, ok := membersProblem(err).(*Problem); ok {
		p.Status = http.StatusBadRequest
		return p
	}
	return err
}

// coachRequest is the body of PUT /api/v1/members/{id}/coach.
// secondary_coach_id is optional: absent keeps the secondary coach, null
// (or "") clears it, an id sets it.
type coachRequest struct {
	CoachID          string          `json:"coach_id"`
	SecondaryCoachID json.RawMessage `json:"secondary_coach_id"`
}

// change reads the request as a members.CoachChange, or a problem naming
// secondary_coach_id when it is neither null nor a string.
func (req coachRequest) change() (members.CoachChange, error) {
	c := members.CoachChange{PrimaryID: req.CoachID}
	if len(req.SecondaryCoachID) == 0 {
		return c, nil
	}
	c.SetSecondary = true
	if string(req.SecondaryCoachID) == "null" {
		return c, nil
	}
	if err := json.Unmarshal(req.SecondaryCoachID, &c.SecondaryID); err != nil {
		return c, invalid("secondary_coach_id", "Send the id of a coach of the program, or null for none.")
	}
	if len(c.SecondaryID) > 64 {
		return c, invalid("secondary_coach_id", "That is not the id of a coach of the program.")
	}
	return c, nil
}

// putMemberCoach sets the member's primary coach and, when the body has
// secondary_coach_id, the secondary coach (coordinators and admins of the
// member's program; others get 404).
func (a *API) putMemberCoach(w http.ResponseWriter, r *http.Request, c *call) error {
	id := r.PathValue("id")
	if id == "" || len(id) > 64 {
		return errNotFound
	}
	actor := c.actor()
	if err := members.MayAssignCoach(r.Context(), a.db, actor, id); err != nil {
		return err
	}
	var req coachRequest
	if err := decodeJSON(w, r, a.maxBody, &req); err != nil {
		return err
	}
	if req.CoachID == "" {
		return invalid("coach_id", "Send the id of a coach of the program.")
	}
	change, err := req.change()
	if err != nil {
		return err
	}
	if err := members.SetCoaches(r.Context(), a.db, actor, id, change); err != nil {
		return membersProblem(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
