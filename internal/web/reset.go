package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/cairn-recovery/cairn/internal/auth"
)

// The password reset pages: asking for a link (the answer is the same
// whether or not the email has an account) and setting a new password
// with a link's single-use token.

func (s *Server) resetRequestForm(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Get("sent") != "" {
		return s.render(w, r, "reset_sent", s.newView(r, "Check your email", nil))
	}
	v := s.newView(r, "Forgot your password?", nil)
	v.Nav = "signin"
	return s.render(w, r, "reset_request", v)
}

func (s *Server) resetRequestPost(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	email := postedField(r, "email")
	if email == "" {
		v := s.newView(r, "Forgot your password?", nil)
		v.Nav = "signin"
		return s.formError(w, r, "reset_request", v, "email", "Enter the email address you sign in with.")
	}
	if err := s.auth.RequestReset(r.Context(), email, s.clientAddr(r), state(r).requestID); err != nil {
		return err
	}
	http.Redirect(w, r, "/reset?sent=1", http.StatusSeeOther)
	return nil
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) error {
	err := s.auth.ResetToken(r.Context(), r.PathValue("token"))
	if errors.Is(err, auth.ErrInvalidToken) {
		return s.invalidLink(w, r, "reset_invalid")
	}
	if err != nil {
		return err
	}
	return s.render(w, r, "reset", s.newView(r, "Choose a new password", r.PathValue("token")))
}

func (s *Server) resetPost(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	token := r.PathValue("token")
	err := s.auth.ResetToken(r.Context(), token)
	if errors.Is(err, auth.ErrInvalidToken) {
		return s.invalidLink(w, r, "reset_invalid")
	}
	if err != nil {
		return err
	}
	v := s.newView(r, "Choose a new password", token)
	v.Form = url.Values{}
	password, ok := confirmedPassword(r)
	if !ok {
		return s.formError(w, r, "reset", v, "confirm", mismatchMessage)
	}
	err = s.auth.ResetPassword(r.Context(), token, password, state(r).requestID)
	var fe *auth.FieldError
	switch {
	case errors.As(err, &fe):
		return s.formError(w, r, "reset", v, fe.Field, fe.Message)
	case errors.Is(err, auth.ErrInvalidToken):
		return s.invalidLink(w, r, "reset_invalid")
	case err != nil:
		return err
	}
	// Every session of the account has ended; whatever this browser held
	// is signed out too.
	if st := state(r); st.token != "" {
		if err := s.auth.SignOut(r.Context(), st.token); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/signin?done=reset", http.StatusSeeOther)
	return nil
}
