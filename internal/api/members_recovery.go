package api

import (
	"net/http"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/crisis"
)

// periodJSON is one recovery period. Note is the caller's own private
// note, or the note their coach left with a date the coach set; end_date
// is null for the current period; set_by_coach names the coach (first name
// and last initial) who set the date, and is null otherwise.
type periodJSON struct {
	ID         string  `json:"id"`
	StartDate  string  `json:"start_date"`
	EndDate    *string `json:"end_date"`
	Days       int     `json:"days"`
	Current    bool    `json:"current"`
	Note       string  `json:"note"`
	SetByCoach *string `json:"set_by_coach"`
}

// recoveryJSON is the answer of GET /api/v1/me/recovery-periods and of
// PUT /api/v1/me/recovery-date.
type recoveryJSON struct {
	Today string `json:"today"`
	// Days and Years/Months/DaysPart are the time in the current period
	// (all 0 without one).
	Days      int          `json:"days"`
	Years     int          `json:"years"`
	Months    int          `json:"months"`
	DaysPart  int          `json:"days_part"`
	TotalDays int          `json:"total_days"`
	Items     []periodJSON `json:"items"`
	// CrisisSupport is set when the note just saved held crisis language.
	CrisisSupport *crisisSupport `json:"crisis_support,omitempty"`
}

func (a *API) recoveryAnswer(w http.ResponseWriter, r *http.Request, c *call) error {
	return a.recoveryAnswerWith(w, r, c, nil)
}

// recoveryAnswerWith answers the recovery periods with support, if any.
func (a *API) recoveryAnswerWith(w http.ResponseWriter, r *http.Request, c *call, support *crisisSupport) error {
	rec, err := members.MyRecovery(r.Context(), a.db, c.actor())
	if err != nil {
		return err
	}
	out := recoveryJSON{Today: rec.Today.String(), Days: rec.Days, Years: rec.Span.Years, Months: rec.Span.Months,
		DaysPart: rec.Span.Days, TotalDays: rec.TotalDays, Items: make([]periodJSON, 0, len(rec.Periods)), CrisisSupport: support}
	for _, p := range rec.Periods {
		pj := periodJSON{ID: p.ID, StartDate: p.Start.String(), Days: p.Days(rec.Today), Current: p.Current(), Note: p.Note}
		if !p.Current() {
			end := p.End.String()
			pj.EndDate = &end
		}
		if p.ByCoach {
			name := p.SetByName
			pj.SetByCoach = &name
		}
		out.Items = append(out.Items, pj)
	}
	return writeJSON(w, out)
}

// getMyRecoveryPeriods answers the caller's recovery periods, newest
// first (alumni only; others get 404).
func (a *API) getMyRecoveryPeriods(w http.ResponseWriter, r *http.Request, c *call) error {
	return a.recoveryAnswer(w, r, c)
}

// recoveryDateRequest is the body of PUT /api/v1/me/recovery-date.
type recoveryDateRequest struct {
	Date string `json:"date"`
	Note string `json:"note"`
}

// putMyRecoveryDate sets the caller's recovery date: a later date than
// the current one starts a new period after a lapse and keeps the
// history. It answers the periods as GET /api/v1/me/recovery-periods does.
func (a *API) putMyRecoveryDate(w http.ResponseWriter, r *http.Request, c *call) error {
	var req recoveryDateRequest
	if err := decodeJSON(w, r, a.maxBody, &req); err != nil {
		return err
	}
	if req.Date == "" {
		return invalid("date", "Send the recovery date as YYYY-MM-DD, such as 2025-03-14.")
	}
	date, err := members.ParseDate(req.Date)
	if err != nil {
		return invalid("date", "Must be a real date written as YYYY-MM-DD, such as 2025-03-14.")
	}
	actor := c.actor()
	if err := members.SetRecoveryDate(r.Context(), a.db, actor, actor.UserID, date, req.Note); err != nil {
		return membersProblem(err)
	}
	// The store told the coach if the note held crisis language; the
	// member's app is given the crisis numbers (the note is saved either way).
	var support *crisisSupport
	if crisis.Detect(req.Note).Found {
		support = a.crisisSupportFor(r, c)
	}
	return a.recoveryAnswerWith(w, r, c, support)
}

// milestoneJSON is one milestone.
type milestoneJSON struct {
	Label string `json:"label"`
	Date  string `json:"date"`
}

// myMilestonesJSON is the answer of GET /api/v1/me/milestones; without a
// recovery date, start_date and next are null and reached is empty.
type myMilestonesJSON struct {
	Today     string          `json:"today"`
	StartDate *string         `json:"start_date"`
	Reached   []milestoneJSON `json:"reached"`
	Next      *milestoneJSON  `json:"next"`
}

// getMyMilestones answers the caller's reached and next milestones.
func (a *API) getMyMilestones(w http.ResponseWriter, r *http.Request, c *call) error {
	m, err := members.OwnMilestones(r.Context(), a.db, c.actor())
	if err != nil {
		return err
	}
	out := myMilestonesJSON{Today: m.Today.String(), Reached: make([]milestoneJSON, 0, len(m.Reached))}
	if !m.Start.IsZero() {
		s := m.Start.String()
		out.StartDate = &s
		out.Next = &milestoneJSON{Label: m.Next.Label, Date: m.Next.Date.String()}
	}
	for _, ms := range m.Reached {
		out.Reached = append(out.Reached, milestoneJSON{Label: ms.Label, Date: ms.Date.String()})
	}
	return writeJSON(w, out)
}

// upcomingJSON is one member's milestone in the upcoming list.
type upcomingJSON struct {
	MemberID    string `json:"member_id"`
	DisplayName string `json:"display_name"`
	Label       string `json:"label"`
	Date        string `json:"date"`
}

// upcomingListJSON is the answer of GET /api/v1/milestones/upcoming.
type upcomingListJSON struct {
	From  string         `json:"from"`
	To    string         `json:"to"`
	Items []upcomingJSON `json:"items"`
}

// getUpcomingMilestones answers staff the milestones in a window (by
// default this month in the program's time zone) of the members who share
// their milestones with the caller.
func (a *API) getUpcomingMilestones(w http.ResponseWriter, r *http.Request, c *call) error {
	actor := c.actor()
	if access.ViewUpcomingMilestones(actor, actor.ProgramID) != nil {
		return errNotFound
	}
	p, err := a.programs.Get(r.Context(), actor.ProgramID)
	if err != nil {
		return err
	}
	today := members.Today(p.Location(), a.now())
	from := members.Date{Year: today.Year, Month: today.Month, Day: 1}
	to := from.AddMonths(1).AddDays(-1)
	q := r.URL.Query()
	if s := q.Get("from"); s != "" {
		if from, err = members.ParseDate(s); err != nil {
			return invalid("from", "Must be a real date written as YYYY-MM-DD, such as 2025-03-01.")
		}
		if q.Get("to") == "" {
			to = from.AddDays(30)
		}
	}
	if s := q.Get("to"); s != "" {
		if to, err = members.ParseDate(s); err != nil {
			return invalid("to", "Must be a real date written as YYYY-MM-DD, such as 2025-03-31.")
		}
	}
	list, err := members.UpcomingMilestones(r.Context(), a.db, actor, from, to)
	if err != nil {
		return membersProblem(err)
	}
	out := upcomingListJSON{From: from.String(), To: to.String(), Items: make([]upcomingJSON, 0, len(list))}
	for _, u := range list {
		out.Items = append(out.Items, upcomingJSON{MemberID: u.MemberID, DisplayName: u.DisplayName,
			Label: u.Milestone.Label, Date: u.Milestone.Date.String()})
	}
	return writeJSON(w, out)
}

// putMemberRecoveryDate sets another member's recovery date: their
// assigned coach may when the member allows it (anyone else gets 404,
// before the body is looked at). The body is that of PUT
// /api/v1/me/recovery-date; the coach's note is shown to the member only
// and goes only with a new date. The answer is 204: the member's history
// and notes stay theirs.
func (a *API) putMemberRecoveryDate(w http.ResponseWriter, r *http.Request, c *call) error {
	id := r.PathValue("id")
	if id == "" || len(id) > 64 {
		return errNotFound
	}
	actor := c.actor()
	if err := members.MayEditRecoveryOf(r.Context(), a.db, actor, id); err != nil {
		return err
	}
	var req recoveryDateRequest
	if err := decodeJSON(w, r, a.maxBody, &req); err != nil {
		return err
	}
	if req.Date == "" {
		return invalid("date", "Send the recovery date as YYYY-MM-DD, such as 2025-03-14.")
	}
	date, err := members.ParseDate(req.Date)
	if err != nil {
		return invalid("date", "Must be a real date written as YYYY-MM-DD, such as 2025-03-14.")
	}
	if err := members.SetRecoveryDate(r.Context(), a.db, actor, id, date, req.Note); err != nil {
		return membersProblem(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
