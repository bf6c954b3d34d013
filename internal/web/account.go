package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/auth"
)

// accountRoutes are the signed-in person's own pages: home, password,
// second factor status and sessions.
func (s *Server) accountRoutes() []route {
	return []route{
		{"GET /home", signedIn, s.home},
		{"GET /account", signedIn, s.account},
		{"POST /account/password", signedIn, s.accountPassword},
		{"GET /account/sessions", signedIn, s.accountSessions},
		{"POST /account/sessions/{id}/revoke", signedIn, s.accountRevokeSession},
	}
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	v := s.newView(r, "Your account", nil)
	v.Nav = "account"
	return s.render(w, r, "account", v)
}

func (s *Server) accountPassword(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := s.newView(r, "Your account", nil)
	v.Nav = "account"
	v.Form = url.Values{}
	next, ok := confirmedPassword(r)
	if !ok {
		return s.formError(w, r, "account", v, "confirm", mismatchMessage)
	}
	st := state(r)
	err := s.auth.ChangePasswordKeep(r.Context(), actor(r), st.session.ID, r.PostFormValue("current"), next)
	var fe *auth.FieldError
	if errors.As(err, &fe) {
		return s.formError(w, r, "account", v, fe.Field, fe.Message)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=password", http.StatusSeeOther)
	return nil
}

// sessionRow is one line of the sessions page.
type sessionRow struct {
	ID         string
	Device     string
	Started    time.Time
	LastSeen   time.Time
	ThisDevice bool
}

func (s *Server) accountSessions(w http.ResponseWriter, r *http.Request) error {
	list, err := s.auth.ListSessions(r.Context(), actor(r))
	if err != nil {
		return err
	}
	current := state(r).session.ID
	rows := make([]sessionRow, 0, len(list))
	for _, x := range list {
		rows = append(rows, sessionRow{ID: x.ID, Device: userAgentLabel(x.UserAgent), Started: x.CreatedAt,
			LastSeen: x.LastSeenAt, ThisDevice: x.ID == current})
	}
	v := s.newView(r, "Where you are signed in", rows)
	v.Nav = "account"
	return s.render(w, r, "sessions", v)
}

func (s *Server) accountRevokeSession(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := s.auth.RevokeSession(r.Context(), actor(r), id); err != nil {
		return err
	}
	if id == state(r).session.ID {
		s.clearSessionCookie(w)
		http.Redirect(w, r, "/?done=signedout", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/account/sessions?done=revoked", http.StatusSeeOther)
	return nil
}

// userAgentLabel shortens a browser's User-Agent to something a person
// recognises, such as "Firefox on Android".
func userAgentLabel(ua string) string {
	browser := ""
	switch {
	case ua == "":
		return "Unknown device"
	case strings.Contains(ua, "Edg/"):
		browser = "Edge"
	case strings.Contains(ua, "OPR/"):
		browser = "Opera"
	case strings.Contains(ua, "SamsungBrowser/"):
		browser = "Samsung Internet"
	case strings.Contains(ua, "Firefox/") || strings.Contains(ua, "FxiOS/"):
		browser = "Firefox"
	case strings.Contains(ua, "Chrome/") || strings.Contains(ua, "CriOS/"):
		browser = "Chrome"
	case strings.Contains(ua, "Safari/"):
		browser = "Safari"
	}
	system := ""
	switch {
	case strings.Contains(ua, "Android"):
		system = "Android"
	case strings.Contains(ua, "iPhone"):
		system = "iPhone"
	case strings.Contains(ua, "iPad"):
		system = "iPad"
	case strings.Contains(ua, "Windows"):
		system = "Windows"
	case strings.Contains(ua, "Mac OS X") || strings.Contains(ua, "Macintosh"):
		system = "Mac"
	case strings.Contains(ua, "CrOS"):
		system = "Chromebook"
	case strings.Contains(ua, "Linux"):
		system = "Linux"
	}
	switch {
	case browser != "" && system != "":
		return browser + " on " + system
	case browser != "":
		return browser
	case system != "":
		return system
	}
	if len(ua) > 40 {
		ua = strings.ToValidUTF8(ua[:40], "") + "…"
	}
	return ua
}
