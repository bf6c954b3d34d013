package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/members"
)

// profileRoutes are the signed-in person's own profile form and photo, the
// page of one member of their program, the directory, and the staff page
// of the program's interests.
func (s *Server) profileRoutes() []route {
	return append([]route{
		{"GET /profile", signedIn, s.profile},
		{"POST /profile", signedIn, s.profileSave},
		{"GET /members/{id}", signedIn, s.memberPage},
	}, append(append(s.directoryRoutes(), s.photoRoutes()...), s.interestRoutes()...)...)
}

// profileForm is the profile form's data.
type profileForm struct {
	Profile *members.Profile
	// In is what the form shows: the saved profile, or what was posted.
	In members.ProfileInput
	// ProgramInterests are the program's suggested interests; Other holds
	// the member's own interests that are not among them.
	ProgramInterests []string
	Chosen           map[string]bool
	Other            string
	Languages        string
	Pathways         []members.Pathway
	Visibilities     []access.Visibility
	// VisFields are the sensitive fields, with their form names.
	VisFields []visField
}

type visField struct {
	Name, Label string
	Value       access.Visibility
}

func (s *Server) profileView(r *http.Request, p *members.Profile, in members.ProfileInput) (*view, error) {
	a := actor(r)
	interests, err := members.ProgramInterests(r.Context(), s.db, a.ProgramID)
	if err != nil {
		return nil, err
	}
	data := &profileForm{Profile: p, In: in, ProgramInterests: interests, Chosen: map[string]bool{},
		Languages: strings.Join(in.Languages, ", "), Pathways: members.Pathways, Visibilities: access.Visibilities}
	var other []string
	for _, name := range interests {
		data.Chosen[name] = containsFold(in.Interests, name)
	}
	for _, i := range in.Interests {
		if !containsFold(interests, i) {
			other = append(other, i)
		}
	}
	data.Other = strings.Join(other, ", ")
	for _, k := range in.Pathways {
		data.Chosen["pathway:"+k] = true
	}
	data.VisFields = []visField{
		{"vis_recovery", "Recovery date", in.Visibility.Recovery},
		{"vis_milestones", "Milestones", in.Visibility.Milestones},
		{"vis_pathways", "Recovery pathways", in.Visibility.Pathways},
		{"vis_checkins", "Check-in summaries", in.Visibility.Checkins},
	}
	v := s.newView(r, "Your profile", data)
	v.Nav = "profile"
	return v, nil
}

func containsFold(list []string, s string) bool {
	for _, l := range list {
		if strings.EqualFold(l, s) {
			return true
		}
	}
	return false
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if access.UseProfiles(a) != nil {
		return errNotFound
	}
	p, err := members.MyProfile(r.Context(), s.db, a)
	if err != nil {
		return err
	}
	v, err := s.profileView(r, p, p.Input())
	if err != nil {
		return err
	}
	return s.render(w, r, "members_profile", v)
}

// splitList splits a comma-separated field into its items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// decodeProfileForm reads the posted profile form. Unknown visibility
// values are passed on for validation to name.
func decodeProfileForm(form url.Values) members.ProfileInput {
	get := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	in := members.ProfileInput{
		Pronouns: get("pronouns"), Bio: form.Get("bio"), City: get("city"),
		Languages: splitList(form.Get("languages")), ContactTimes: get("contact_times"),
		Hidden: form.Get("hidden") != "",
		Visibility: members.FieldVisibility{
			Recovery: access.Visibility(get("vis_recovery")), Milestones: access.Visibility(get("vis_milestones")),
			Pathways: access.Visibility(get("vis_pathways")), Checkins: access.Visibility(get("vis_checkins")),
		},
	}
	in.Interests = append(in.Interests, form["interest"]...)
	in.Interests = append(in.Interests, splitList(form.Get("interests_other"))...)
	in.Pathways = append(in.Pathways, form["pathway"]...)
	return in
}

func (s *Server) profileSave(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if access.UseProfiles(a) != nil {
		return errNotFound
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := decodeProfileForm(r.PostForm)
	_, err := members.SaveProfile(r.Context(), s.db, a, in)
	var ve members.ValidationError
	if errors.As(err, &ve) {
		p, perr := members.MyProfile(r.Context(), s.db, a)
		if perr != nil {
			return perr
		}
		v, verr := s.profileView(r, p, in)
		if verr != nil {
			return verr
		}
		v.Form = r.PostForm
		return s.validationError(w, r, "members_profile", v, ve)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/profile?done=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) memberPage(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if id == "" || len(id) > 64 {
		return errNotFound
	}
	a := actor(r)
	m, err := members.ViewMember(r.Context(), s.db, a, id)
	if err != nil {
		return err
	}
	if m.RecoveryVisible && !m.Relation.Self {
		// Someone else's recovery date is a sensitive read.
		if err := audit.RecordNow(r.Context(), s.db, a, audit.Event{Action: "recovery.view", SubjectType: "user", SubjectID: id}); err != nil {
			return err
		}
	}
	data, err := s.memberPageData(r, a, m)
	if err != nil {
		return err
	}
	v := s.newView(r, m.DisplayName, data)
	v.Nav = "directory"
	return s.render(w, r, "members_profile_view", v)
}
