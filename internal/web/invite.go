package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// inviteData is the invitation page.
type inviteData struct {
	Token       string
	ProgramName string
	RoleLabel   string
	Email       string
}

// invalidLink renders the kind page for a link that no longer works, with
// status 404.
func (s *Server) invalidLink(w http.ResponseWriter, r *http.Request, page string) error {
	v := s.newView(r, "Link no longer valid", nil)
	return s.renderView(w, r, http.StatusNotFound, page, v)
}

// invitation loads the invitation named in the path and its program.
func (s *Server) invitation(r *http.Request) (*inviteData, error) {
	token := r.PathValue("token")
	inv, err := s.auth.Invitation(r.Context(), token)
	if err != nil {
		return nil, err
	}
	p, err := programs.Get(r.Context(), s.db, inv.ProgramID)
	if err != nil {
		return nil, err
	}
	return &inviteData{Token: token, ProgramName: p.Name, RoleLabel: inv.Role.Label(), Email: inv.Email}, nil
}

func (s *Server) inviteForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.invitation(r)
	if errors.Is(err, auth.ErrInvalidToken) {
		return s.invalidLink(w, r, "invite_invalid")
	}
	if err != nil {
		return err
	}
	return s.render(w, r, "invite", s.newView(r, "Join "+d.ProgramName, d))
}

func (s *Server) invitePost(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	d, err := s.invitation(r)
	if errors.Is(err, auth.ErrInvalidToken) {
		return s.invalidLink(w, r, "invite_invalid")
	}
	if err != nil {
		return err
	}
	v := s.newView(r, "Join "+d.ProgramName, d)
	v.Form = url.Values{"first_name": {r.PostFormValue("first_name")}, "last_name": {r.PostFormValue("last_name")}}
	password, ok := confirmedPassword(r)
	if !ok {
		return s.formError(w, r, "invite", v, "confirm", mismatchMessage)
	}
	st := state(r)
	u, err := s.auth.AcceptInvitation(r.Context(), d.Token, r.PostFormValue("first_name"), r.PostFormValue("last_name"), password, st.requestID)
	var fe *auth.FieldError
	switch {
	case errors.As(err, &fe):
		return s.formError(w, r, "invite", v, fe.Field, fe.Message)
	case errors.Is(err, auth.ErrInvalidToken):
		return s.invalidLink(w, r, "invite_invalid")
	case err != nil:
		return err
	}
	if st.token != "" {
		// Whoever was signed in on this browser before is signed out.
		if err := s.auth.SignOut(r.Context(), st.token); err != nil {
			return err
		}
	}
	token, sess, err := s.auth.SignIn(r.Context(), u.Email, password, s.clientAddr(r), r.UserAgent(), st.requestID)
	if err != nil {
		// The account exists; the person can sign in by hand.
		s.clearSessionCookie(w)
		s.log.Warn("sign in after accepting an invitation failed", "request_id", st.requestID, "err", err)
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return nil
	}
	s.setSessionCookie(w, token)
	if sess.Stage == auth.StageFull {
		http.Redirect(w, r, "/home?done=welcome", http.StatusSeeOther)
	} else {
		http.Redirect(w, r, stagePath(sess.Stage), http.StatusSeeOther)
	}
	return nil
}
