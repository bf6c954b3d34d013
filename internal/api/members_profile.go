package api

import (
	"errors"
	"net/http"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/members"
)

// profileJSON is the caller's own profile (GET and PATCH /api/v1/me/profile).
type profileJSON struct {
	ID           string         `json:"id"`
	DisplayName  string         `json:"display_name"`
	Pronouns     string         `json:"pronouns"`
	Bio          string         `json:"bio"`
	City         string         `json:"city"`
	Languages    []string       `json:"languages"`
	Interests    []string       `json:"interests"`
	Pathways     []string       `json:"pathways"`
	ContactTimes string         `json:"contact_times"`
	Hidden       bool           `json:"hidden"`
	Visibility   visibilityJSON `json:"visibility"`
}

// visibilityJSON is who may see each sensitive field.
type visibilityJSON struct {
	Recovery   string `json:"recovery"`
	Milestones string `json:"milestones"`
	Pathways   string `json:"pathways"`
	Checkins   string `json:"checkins"`
}

// profilePatch is the body of PATCH /api/v1/me/profile: members left out
// keep their value.
type profilePatch struct {
	Pronouns     *string          `json:"pronouns"`
	Bio          *string          `json:"bio"`
	City         *string          `json:"city"`
	Languages    *[]string        `json:"languages"`
	Interests    *[]string        `json:"interests"`
	Pathways     *[]string        `json:"pathways"`
	ContactTimes *string          `json:"contact_times"`
	Hidden       *bool            `json:"hidden"`
	Visibility   *visibilityPatch `json:"visibility"`
}

type visibilityPatch struct {
	Recovery   *string `json:"recovery"`
	Milestones *string `json:"milestones"`
	Pathways   *string `json:"pathways"`
	Checkins   *string `json:"checkins"`
}

// memberJSON is a member as the caller may see them: pathways is left out
// when the caller may not see it, full_name and hidden unless the caller is
// the member or staff.
type memberJSON struct {
	ID           string    `json:"id"`
	DisplayName  string    `json:"display_name"`
	FullName     string    `json:"full_name,omitempty"`
	Role         string    `json:"role"`
	Pronouns     string    `json:"pronouns"`
	Bio          string    `json:"bio"`
	City         string    `json:"city"`
	Languages    []string  `json:"languages"`
	Interests    []string  `json:"interests"`
	ContactTimes string    `json:"contact_times"`
	Pathways     *[]string `json:"pathways,omitempty"`
	Hidden       *bool     `json:"hidden,omitempty"`
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func toProfileJSON(id, name string, p *members.Profile) profileJSON {
	return profileJSON{ID: id, DisplayName: name, Pronouns: p.Pronouns, Bio: p.Bio, City: p.City,
		Languages: nonNil(p.Languages), Interests: nonNil(p.Interests), Pathways: nonNil(p.Pathways),
		ContactTimes: p.ContactTimes, Hidden: p.Hidden,
		Visibility: visibilityJSON{Recovery: string(p.Visibility.Recovery), Milestones: string(p.Visibility.Milestones),
			Pathways: string(p.Visibility.Pathways), Checkins: string(p.Visibility.Checkins)}}
}

func toMemberJSON(v *members.MemberView) memberJSON {
	m := memberJSON{ID: v.ID, DisplayName: v.DisplayName, FullName: v.FullName, Role: string(v.Role),
		Pronouns: v.Pronouns, Bio: v.Bio, City: v.City, Languages: nonNil(v.Languages), Interests: nonNil(v.Interests),
		ContactTimes: v.ContactTimes}
	if v.PathwaysVisible {
		p := nonNil(v.Pathways)
		m.Pathways = &p
	}
	if v.FullName != "" {
		h := v.Hidden
		m.Hidden = &h
	}
	return m
}

// membersProblem turns a members.ValidationError into a 422 problem naming
// each field; other errors pass through.
func membersProblem(err error) error {
	var verr members.ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	p := &Problem{Type: typeInvalid, Title: "Invalid request", Status: http.StatusUnprocessableEntity, Detail: verr.Error()}
	for _, f := range verr {
		p.Errors = append(p.Errors, FieldProblem{Field: f.Field, Message: f.Message})
	}
	return p
}

// profileCaller returns the caller as an actor who may have a profile:
// alumni and staff (family get 404).
func profileCaller(c *call) (access.Actor, error) {
	a := c.actor()
	if access.UseProfiles(a) != nil {
		return a, errNotFound
	}
	return a, nil
}

// getMyProfile answers the caller's own profile.
func (a *API) getMyProfile(w http.ResponseWriter, r *http.Request, c *call) error {
	actor, err := profileCaller(c)
	if err != nil {
		return err
	}
	p, err := members.MyProfile(r.Context(), a.db, actor)
	if err != nil {
		return err
	}
	return writeJSON(w, toProfileJSON(c.user.ID, c.user.DisplayName(), p))
}

// patchMyProfile changes the members of the caller's profile that the body
// names, and answers the whole profile.
func (a *API) patchMyProfile(w http.ResponseWriter, r *http.Request, c *call) error {
	actor, err := profileCaller(c)
	if err != nil {
		return err
	}
	var patch profilePatch
	if err := decodeJSON(w, r, a.maxBody, &patch); err != nil {
		return err
	}
	cur, err := members.MyProfile(r.Context(), a.db, actor)
	if err != nil {
		return err
	}
	in := cur.Input()
	setS := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	setL := func(dst *[]string, src *[]string) {
		if src != nil {
			*dst = *src
		}
	}
	setV := func(dst *access.Visibility, src *string) {
		if src != nil {
			*dst = access.Visibility(*src)
		}
	}
	setS(&in.Pronouns, patch.Pronouns)
	setS(&in.Bio, patch.Bio)
	setS(&in.City, patch.City)
	setS(&in.ContactTimes, patch.ContactTimes)
	setL(&in.Languages, patch.Languages)
	setL(&in.Interests, patch.Interests)
	setL(&in.Pathways, patch.Pathways)
	if patch.Hidden != nil {
		in.Hidden = *patch.Hidden
	}
	if v := patch.Visibility; v != nil {
		setV(&in.Visibility.Recovery, v.Recovery)
		setV(&in.Visibility.Milestones, v.Milestones)
		setV(&in.Visibility.Pathways, v.Pathways)
		setV(&in.Visibility.Checkins, v.Checkins)
	}
	p, err := members.SaveProfile(r.Context(), a.db, actor, in)
	if err != nil {
		var verr members.ValidationError
		if errors.As(err, &verr) {
			// Name visibility fields as they appear in the body.
			for i, f := range verr {
				if len(f.Field) > 4 && f.Field[:4] == "vis_" {
					verr[i].Field = "visibility." + f.Field[4:]
				}
			}
			return membersProblem(verr)
		}
		return err
	}
	return writeJSON(w, toProfileJSON(c.user.ID, c.user.DisplayName(), p))
}

// listMembers answers the directory search: the members of the caller's
// program who match, as the caller may see them, sorted by display name.
func (a *API) listMembers(w http.ResponseWriter, r *http.Request, c *call) error {
	q := r.URL.Query()
	for _, name := range []string{"query", "interest", "city", "language", "pathway"} {
		if len(q.Get(name)) > 200 {
			return invalid(name, "Must be at most 200 characters.")
		}
	}
	list, err := members.Directory(r.Context(), a.db, c.actor(), members.DirectoryFilter{Query: q.Get("query"),
		Interest: q.Get("interest"), City: q.Get("city"), Language: q.Get("language"), Pathway: q.Get("pathway")})
	if err != nil {
		var verr members.ValidationError
		if errors.As(err, &verr) {
			return invalid(verr[0].Field, verr[0].Message)
		}
		return err
	}
	page := pageJSON[memberJSON]{Items: make([]memberJSON, 0, len(list))}
	for _, v := range list {
		page.Items = append(page.Items, toMemberJSON(v))
	}
	return writeJSON(w, page)
}

// getMember answers one member as the caller may see them.
func (a *API) getMember(w http.ResponseWriter, r *http.Request, c *call) error {
	id := r.PathValue("id")
	if id == "" || len(id) > 64 {
		return errNotFound
	}
	v, err := members.ViewMember(r.Context(), a.db, c.actor(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, toMemberJSON(v))
}
