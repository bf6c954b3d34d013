package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/crisis"
)

// recoveryRoutes are a member's recovery page and milestones, the page on
// which a coach sets a member's recovery date (when the member allows it),
// and the staff list of upcoming milestones for milestone dinners.
func (s *Server) recoveryRoutes() []route {
	return []route{
		{"GET /recovery", signedIn, s.recovery},
		{"POST /recovery", signedIn, s.recoverySave},
		{"POST /recovery/settings", signedIn, s.recoverySettingsSave},
		{"GET /members/{id}/recovery-date", signedIn, s.memberRecoveryDate},
		{"POST /members/{id}/recovery-date", signedIn, s.memberRecoveryDateSave},
		{"GET /milestones", signedIn, s.milestones},
		{"GET /staff/milestones", signedIn, s.staffMilestones},
	}
}

// recoveryPage is the recovery page's data.
type recoveryPage struct {
	*members.Recovery
	// Earlier lists the closed periods.
	Earlier []members.Period
}

func (s *Server) recoveryView(r *http.Request) (*view, error) {
	rec, err := members.MyRecovery(r.Context(), s.db, actor(r))
	if err != nil {
		return nil, err
	}
	data := &recoveryPage{Recovery: rec}
	for _, p := range rec.Periods {
		if !p.Current() {
			data.Earlier = append(data.Earlier, p)
		}
	}
	v := s.newView(r, "Your recovery", data)
	v.Nav = "recovery"
	return v, nil
}

func (s *Server) recovery(w http.ResponseWriter, r *http.Request) error {
	v, err := s.recoveryView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "members_recovery", v)
}

func (s *Server) recoverySave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	a := actor(r)
	if err := access.OwnRecovery(a); err != nil {
		return err
	}
	date, perr := members.ParseDate(postedField(r, "date"))
	err := perr
	if err == nil {
		err = members.SetRecoveryDate(r.Context(), s.db, a, a.UserID, date, postedField(r, "note"))
	} else {
		err = members.ValidationError{{Field: "date", Message: "Please enter a date such as 2025-03-14."}}
	}
	var ve members.ValidationError
	if errors.As(err, &ve) {
		v, verr := s.recoveryView(r)
		if verr != nil {
			return verr
		}
		v.Form = r.PostForm
		return s.validationError(w, r, "members_recovery", v, ve)
	}
	if err != nil {
		return err
	}
	// The store told the coach if the note held crisis language; the
	// member is shown the crisis numbers (the note is saved either way).
	s.afterWrite(w, r, "/recovery?done=saved", crisis.Detect(postedField(r, "note")).Found)
	return nil
}

func (s *Server) recoverySettingsSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	err := members.SaveRecoverySettings(r.Context(), s.db, actor(r), members.RecoverySettings{
		CoachMayEdit: r.PostFormValue("coach_may_edit") != "", ShowTotal: r.PostFormValue("show_total") != "",
		CelebrateCoach: r.PostFormValue("celebrate_coach") != "", CelebrateBuddy: r.PostFormValue("celebrate_buddy") != ""})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/recovery?done=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) milestones(w http.ResponseWriter, r *http.Request) error {
	m, err := members.OwnMilestones(r.Context(), s.db, actor(r))
	if err != nil {
		return err
	}
	v := s.newView(r, "Your milestones", m)
	v.Nav = "recovery"
	return s.render(w, r, "members_milestones", v)
}

// staffMilestonesPage is the upcoming milestones page's data.
type staffMilestonesPage struct {
	From, To members.Date
	List     []members.Upcoming
}

func (s *Server) staffMilestones(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.ViewUpcomingMilestones(a, a.ProgramID); err != nil {
		return err
	}
	v := s.newView(r, "Upcoming milestones", nil)
	v.Nav = "admin"
	today := members.Today(v.Loc, s.now())
	data := &staffMilestonesPage{From: members.Date{Year: today.Year, Month: today.Month, Day: 1}}
	data.To = data.From.AddMonths(1).AddDays(-1)
	v.Data = data
	q := r.URL.Query()
	v.Form = url.Values{"from": {data.From.String()}, "to": {data.To.String()}}
	errs := map[string]string{}
	for _, f := range []struct {
		name string
		into *members.Date
	}{{"from", &data.From}, {"to", &data.To}} {
		if s := q.Get(f.name); s != "" {
			v.Form.Set(f.name, s)
			d, err := members.ParseDate(s)
			if err != nil {
				errs[f.name] = "Please enter a date such as 2025-03-14."
				continue
			}
			*f.into = d
		}
	}
	if len(errs) == 0 {
		list, err := members.UpcomingMilestones(r.Context(), s.db, a, data.From, data.To)
		var ve members.ValidationError
		switch {
		case errors.As(err, &ve):
			for _, f := range ve {
				errs[f.Field] = f.Message
			}
		case err != nil:
			return err
		}
		data.List = list
	}
	if len(errs) > 0 {
		v.Errors = errs
		return s.renderView(w, r, http.StatusUnprocessableEntity, "members_milestones_staff", v)
	}
	return s.render(w, r, "members_milestones_staff", v)
}

// memberPageData is a member's page with what the viewer may do there.
type memberPageData struct {
	*members.MemberView
	// CanSetRecovery shows the "Set recovery date" link: the viewer is the
	// member's coach and the member lets their coach set the date.
	CanSetRecovery bool
	// CanSetCoach shows the "Set coach" link to coordinators and admins.
	CanSetCoach bool
}

// memberPageData adds to m what a shows on the member's page.
func (s *Server) memberPageData(r *http.Request, a access.Actor, m *members.MemberView) (*memberPageData, error) {
	data := &memberPageData{MemberView: m}
	data.CanSetCoach = !m.Relation.Self && access.AssignCoaches(a, a.ProgramID) == nil
	if m.Relation.Self || !m.Relation.Coach {
		return data, nil
	}
	err := members.MayEditRecoveryOf(r.Context(), s.db, a, m.ID)
	if err != nil && !errors.Is(err, access.ErrNotFound) {
		return nil, err
	}
	data.CanSetRecovery = err == nil
	return data, nil
}

// coachRecoveryView builds the coach's page for setting memberID's
// recovery date; it is not found for anyone the member has not allowed.
func (s *Server) coachRecoveryView(r *http.Request, memberID string) (*view, error) {
	a := actor(r)
	if memberID == "" || len(memberID) > 64 {
		return nil, errNotFound
	}
	if err := members.MayEditRecoveryOf(r.Context(), s.db, a, memberID); err != nil {
		return nil, err
	}
	m, err := members.ViewMember(r.Context(), s.db, a, memberID)
	if err != nil {
		return nil, err
	}
	if m.RecoveryVisible {
		// The form shows the member's current date: a sensitive read.
		if err := audit.RecordNow(r.Context(), s.db, a, audit.Event{Action: "recovery.view", SubjectType: "user", SubjectID: memberID}); err != nil {
			return nil, err
		}
	}
	v := s.newView(r, "Set a recovery date for "+m.DisplayName, m)
	v.Nav = "directory"
	return v, nil
}

// memberRecoveryDate shows the coach the form for a member's recovery
// date; the member themself is sent to their own recovery page.
func (s *Server) memberRecoveryDate(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if a := actor(r); !a.Anonymous() && a.UserID == id {
		http.Redirect(w, r, "/recovery", http.StatusSeeOther)
		return nil
	}
	v, err := s.coachRecoveryView(r, id)
	if err != nil {
		return err
	}
	return s.render(w, r, "members_recovery_coach", v)
}

// memberRecoveryDateSave sets a member's recovery date as their coach,
// with an optional note that only the member sees.
func (s *Server) memberRecoveryDateSave(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	a := actor(r)
	if !a.Anonymous() && a.UserID == id {
		http.Redirect(w, r, "/recovery", http.StatusSeeOther)
		return nil
	}
	if err := parseForm(r); err != nil {
		return err
	}
	v, err := s.coachRecoveryView(r, id)
	if err != nil {
		return err
	}
	date, perr := members.ParseDate(postedField(r, "date"))
	if perr == nil {
		err = members.SetRecoveryDate(r.Context(), s.db, a, id, date, postedField(r, "note"))
	} else {
		err = members.ValidationError{{Field: "date", Message: "Please enter a date such as 2025-03-14."}}
	}
	var ve members.ValidationError
	if errors.As(err, &ve) {
		v.Form = r.PostForm
		return s.validationError(w, r, "members_recovery_coach", v, ve)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/members/"+url.PathEscape(id)+"?done=saved", http.StatusSeeOther)
	return nil
}
