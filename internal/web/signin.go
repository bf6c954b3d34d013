package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"image/png"
	"net/http"
	"net/url"
	"time"

	"github.com/pquerna/otp"

	"github.com/cairn-recovery/cairn/internal/auth"
)

// signinRoutes are the pages that let a person in: the password, the
// second factor and its enrolment, signing out, and the two links sent by
// email (invitation, password reset).
func (s *Server) signinRoutes() []route {
	return []route{
		{"GET /signin", public, s.signinForm},
		{"POST /signin", public, s.signinPost},
		{"GET /signin/verify", pending, s.verifyForm},
		{"POST /signin/verify", pending, s.verifyPost},
		{"GET /signin/enrol", pending, s.enrolForm},
		{"POST /signin/enrol", pending, s.enrolPost},
		{"POST /signout", public, s.signout},
		{"GET /invite/{token}", public, s.inviteForm},
		{"POST /invite/{token}", public, s.invitePost},
		{"GET /reset", public, s.resetRequestForm},
		{"POST /reset", public, s.resetRequestPost},
		{"GET /reset/{token}", public, s.resetForm},
		{"POST /reset/{token}", public, s.resetPost},
	}
}

// signinData is what the sign-in pages carry besides the form.
type signinData struct {
	// Next is where to go after signing in (already checked by safeNext).
	Next string
}

// nextParam returns the checked "next" of a request, or "" for /home.
func nextParam(r *http.Request) string {
	n := safeNext(r.FormValue("next"))
	if n == "/home" {
		return ""
	}
	return n
}

// withNext appends a checked next target to path.
func withNext(path, next string) string {
	if next == "" {
		return path
	}
	return path + "?next=" + url.QueryEscape(next)
}

func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) error {
	if st := state(r); st.session != nil {
		if st.session.Stage == auth.StageFull {
			http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		} else {
			http.Redirect(w, r, withNext(stagePath(st.session.Stage), nextParam(r)), http.StatusSeeOther)
		}
		return nil
	}
	v := s.newView(r, "Sign in", signinData{Next: nextParam(r)})
	v.Nav = "signin"
	return s.render(w, r, "signin", v)
}

func (s *Server) signinPost(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	next := nextParam(r)
	v := s.newView(r, "Sign in", signinData{Next: next})
	v.Nav = "signin"
	// Only the email is sent back to the page, never the password.
	v.Form = url.Values{"email": {postedField(r, "email")}}
	st := state(r)
	token, sess, err := s.auth.SignIn(r.Context(), postedField(r, "email"), r.PostFormValue("password"),
		s.clientAddr(r), r.UserAgent(), st.requestID)
	var te *auth.ThrottledError
	switch {
	case errors.As(err, &te):
		return s.throttled(w, r, "signin", v, "email", te)
	case errors.Is(err, auth.ErrBadCredentials):
		return s.formError(w, r, "signin", v, "password", "That email and password do not match.")
	case errors.Is(err, auth.ErrSuspended):
		return s.formError(w, r, "signin", v, "email", err.Error())
	case err != nil:
		return err
	}
	if st.token != "" && st.token != token {
		// A new sign-in replaces whatever session this browser had.
		if err := s.auth.SignOut(r.Context(), st.token); err != nil {
			return err
		}
	}
	s.setSessionCookie(w, token)
	switch sess.Stage {
	case auth.StageFull:
		http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	default:
		http.Redirect(w, r, withNext(stagePath(sess.Stage), next), http.StatusSeeOther)
	}
	return nil
}

// throttled re-renders a form with a kind request to wait, status 429.
func (s *Server) throttled(w http.ResponseWriter, r *http.Request, page string, v *view, field string, te *auth.ThrottledError) error {
	minutes := int((te.RetryAfter + time.Minute - 1) / time.Minute)
	if minutes < 1 {
		minutes = 1
	}
	msg := "There have been several tries that did not work, so we paused sign-in for a moment to keep your account safe. Please wait about 1 minute and try again."
	if minutes > 1 {
		msg = fmt.Sprintf("There have been several tries that did not work, so we paused sign-in for a moment to keep your account safe. Please wait about %d minutes and try again.", minutes)
	}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Errors[field] = msg
	w.Header().Set("Retry-After", fmt.Sprint(int(te.RetryAfter.Seconds()+0.999)))
	return s.renderView(w, r, http.StatusTooManyRequests, page, v)
}

// pendingEnded sends a person whose half-signed-in session has ended back
// to the sign-in page.
func (s *Server) pendingEnded(w http.ResponseWriter, r *http.Request) error {
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}

func (s *Server) verifyForm(w http.ResponseWriter, r *http.Request) error {
	if st := state(r); st.session.Stage != auth.StageSecondFactor {
		http.Redirect(w, r, withNext(stagePath(st.session.Stage), nextParam(r)), http.StatusSeeOther)
		return nil
	}
	v := s.newView(r, "Enter your code", signinData{Next: nextParam(r)})
	v.Nav = "signin"
	return s.render(w, r, "verify", v)
}

func (s *Server) verifyPost(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	st := state(r)
	next := nextParam(r)
	if st.session.Stage != auth.StageSecondFactor {
		http.Redirect(w, r, withNext(stagePath(st.session.Stage), next), http.StatusSeeOther)
		return nil
	}
	v := s.newView(r, "Enter your code", signinData{Next: next})
	v.Nav = "signin"
	v.Form = url.Values{}
	token, err := s.auth.VerifySecondFactor(r.Context(), st.token, postedField(r, "code"), st.requestID)
	var fe *auth.FieldError
	var te *auth.ThrottledError
	switch {
	case errors.As(err, &te):
		return s.throttled(w, r, "verify", v, "code", te)
	case errors.As(err, &fe):
		return s.formError(w, r, "verify", v, "code", fe.Message)
	case errors.Is(err, auth.ErrNoSession):
		return s.pendingEnded(w, r)
	case err != nil:
		return err
	}
	s.setSessionCookie(w, token)
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	return nil
}

// enrolData is the second-factor setup page.
type enrolData struct {
	Next string
	// Secret is the TOTP secret, for typing into an app by hand.
	Secret string
	// SecretGroups is Secret in groups of four, easier to read aloud.
	SecretGroups []string
	// URL is the otpauth:// link that phone apps open.
	URL template.URL
	// QR is a PNG of the link as a data: URL, or "" if it could not be made.
	QR template.URL
}

// recoveryData is the page that shows the recovery codes once.
type recoveryData struct {
	Next  string
	Codes []string
}

func (s *Server) enrolForm(w http.ResponseWriter, r *http.Request) error {
	st := state(r)
	if st.session.Stage != auth.StageEnroll {
		http.Redirect(w, r, withNext(stagePath(st.session.Stage), nextParam(r)), http.StatusSeeOther)
		return nil
	}
	secret, link, err := s.auth.BeginEnrollment(r.Context(), st.token)
	if errors.Is(err, auth.ErrNoSession) {
		return s.pendingEnded(w, r)
	}
	if err != nil {
		return err
	}
	v := s.newView(r, "Set up your second step", s.enrolData(secret, link, nextParam(r)))
	v.Nav = "signin"
	return s.render(w, r, "enrol", v)
}

func (s *Server) enrolPost(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	st := state(r)
	next := nextParam(r)
	if st.session.Stage != auth.StageEnroll {
		http.Redirect(w, r, withNext(stagePath(st.session.Stage), next), http.StatusSeeOther)
		return nil
	}
	token, codes, err := s.auth.CompleteEnrollment(r.Context(), st.token, postedField(r, "code"), st.requestID)
	var fe *auth.FieldError
	var te *auth.ThrottledError
	if errors.As(err, &fe) || errors.As(err, &te) {
		// The pending secret is shown again (BeginEnrollment keeps it), so
		// the key the person has already added to their app stays valid.
		secret, link, berr := s.auth.BeginEnrollment(r.Context(), st.token)
		if berr != nil {
			return berr
		}
		v := s.newView(r, "Set up your second step", s.enrolData(secret, link, next))
		v.Nav = "signin"
		v.Form = url.Values{}
		if te != nil {
			return s.throttled(w, r, "enrol", v, "code", te)
		}
		return s.formError(w, r, "enrol", v, "code", fe.Message)
	}
	if errors.Is(err, auth.ErrNoSession) {
		return s.pendingEnded(w, r)
	}
	if err != nil {
		return err
	}
	s.setSessionCookie(w, token)
	// The codes exist only in this response: they are shown once.
	state(r).session.Stage = auth.StageFull
	v := s.newView(r, "Save your recovery codes", recoveryData{Next: safeNext(next), Codes: codes})
	return s.render(w, r, "recovery_codes", v)
}

func (s *Server) enrolData(secret, link, next string) enrolData {
	d := enrolData{Next: next, Secret: secret, URL: template.URL(link)}
	for i := 0; i < len(secret); i += 4 {
		d.SecretGroups = append(d.SecretGroups, secret[i:min(i+4, len(secret))])
	}
	if key, err := otp.NewKeyFromURL(link); err == nil {
		if img, err := key.Image(240, 240); err == nil {
			var buf bytes.Buffer
			if png.Encode(&buf, img) == nil {
				d.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))
			}
		}
	}
	return d
}

// signout ends the session, if there is one, and forgets the cookie.
func (s *Server) signout(w http.ResponseWriter, r *http.Request) error {
	if st := state(r); st.token != "" {
		if err := s.auth.SignOut(r.Context(), st.token); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/?done=signedout", http.StatusSeeOther)
	return nil
}
