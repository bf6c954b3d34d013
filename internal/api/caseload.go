package api

import (
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

// caseloadEntryJSON is one member of the caseload; recovery_date is null
// unless the member shares it with their coach.
type caseloadEntryJSON struct {
	MemberID     string             `json:"member_id"`
	DisplayName  string             `json:"display_name"`
	LastContact  *time.Time         `json:"last_contact"`
	NextEvent    *caseloadEventJSON `json:"next_event"`
	RecoveryDate *string            `json:"recovery_date"`
}

// caseloadJSON is the answer of GET /api/v1/caseload.
type caseloadJSON struct {
	Items []caseloadEntryJSON `json:"items"`
}

// getCaseload answers the caller's caseload (coaches only; others get 404).
func (a *API) getCaseload(w http.ResponseWriter, r *http.Request, c *call) error {
	list, err := members.Caseload(r.Context(), a.db, c.actor())
	if err != nil {
		return err
	}
	out := caseloadJSON{Items: make([]caseloadEntryJSON, 0, len(list))}
	for _, e := range list {
		j := caseloadEntryJSON{MemberID: e.MemberID, DisplayName: e.DisplayName}
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
		out.Items = append(out.Items, j)
	}
	return writeJSON(w, out)
}

// coachRequest is the body of PUT /api/v1/members/{id}/coach.
type coachRequest struct {
	CoachID string `json:"coach_id"`
}

// putMemberCoach sets the member's primary coach (coordinators and admins
// of the member's program; others get 404).
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
	if err := members.SetPrimaryCoach(r.Context(), a.db, actor, id, req.CoachID); err != nil {
		return membersProblem(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
