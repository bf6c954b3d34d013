package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// notificationRoutes are the notifications page, the preferences page and
// the one-click unsubscribe link sent in every email.
func (s *Server) notificationRoutes() []route {
	return []route{
		{"GET /notifications", signedIn, s.notifications},
		{"POST /notifications/{id}/read", signedIn, s.notificationRead},
		{"POST /notifications/read-all", signedIn, s.notificationsReadAll},
		{"GET /account/notifications", signedIn, s.notificationPrefs},
		{"POST /account/notifications", signedIn, s.notificationPrefsSave},
		// Public: the token is the proof. Mail clients POST without a
		// session and without Origin or Sec-Fetch-Site headers, which
		// cross-origin protection lets through (RFC 8058).
		{"GET /unsubscribe/{token}", public, s.unsubscribeConfirm},
		{"POST /unsubscribe/{token}", public, s.unsubscribe},
	}
}

// unreadCount is the bell's number for the signed-in person: one indexed
// count. An error shows no number rather than failing the page.
func (s *Server) unreadCount(r *http.Request) int {
	st := state(r)
	if st.session == nil || st.user == nil || st.session.Stage != auth.StageFull {
		return 0
	}
	n, err := notify.UnreadCount(r.Context(), s.db, actor(r))
	if err != nil {
		s.log.Error("unread count", "request_id", st.requestID, "err", err)
		return 0
	}
	return n
}

// notificationsPage is the notifications page's data.
type notificationsPage struct {
	Items []*notify.Notification
	// Next is the cursor of the next page; Older links to it.
	Next string
}

func (s *Server) notifications(w http.ResponseWriter, r *http.Request) error {
	items, next, err := notify.List(r.Context(), s.db, actor(r), r.URL.Query().Get("after"), 20)
	var fe *notify.FieldError
	if errors.As(err, &fe) {
		return errStatus(http.StatusBadRequest, "That page of notifications does not exist. Please go back to the first page.")
	}
	if err != nil {
		return err
	}
	v := s.newView(r, "Notifications", notificationsPage{Items: items, Next: next})
	v.Nav = "notifications"
	return s.render(w, r, "notifications", v)
}

func (s *Server) notificationRead(w http.ResponseWriter, r *http.Request) error {
	if err := notify.MarkRead(r.Context(), s.db, actor(r), r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
	return nil
}

func (s *Server) notificationsReadAll(w http.ResponseWriter, r *http.Request) error {
	if err := notify.MarkAllRead(r.Context(), s.db, actor(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
	return nil
}

// prefsPage is the preferences form's data.
type prefsPage struct {
	Kinds    []notify.Kind
	Channels []notify.Channel
	Prefs    *notify.Prefs
	// ProgramZone is the zone used when the person names none.
	ProgramZone string
}

func (s *Server) prefsView(r *http.Request, p *notify.Prefs) *view {
	data := prefsPage{Kinds: notify.Kinds, Channels: notify.Channels, Prefs: p}
	v := s.newView(r, "Notification settings", &data)
	v.Nav = "account"
	if v.Program != nil {
		data.ProgramZone = v.Program.TimeZone
	}
	return v
}

func (s *Server) notificationPrefs(w http.ResponseWriter, r *http.Request) error {
	p, err := notify.GetPrefs(r.Context(), s.db, actor(r))
	if err != nil {
		return err
	}
	return s.render(w, r, "notification_prefs", s.prefsView(r, p))
}

// prefField is the checkbox name of one kind and channel.
func prefField(k notify.Kind, c notify.Channel) string { return "pref." + string(k) + "." + string(c) }

func (s *Server) notificationPrefsSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p := &notify.Prefs{QuietStart: postedField(r, "quiet_start"), QuietEnd: postedField(r, "quiet_end"),
		TimeZone: postedField(r, "time_zone"), SMSPhone: postedField(r, "sms_phone")}
	for _, k := range notify.Kinds {
		for _, c := range notify.Channels {
			p.Set(k, c, r.PostFormValue(prefField(k, c)) != "")
		}
	}
	err := notify.SavePrefs(r.Context(), s.db, actor(r), p)
	var fe *notify.FieldError
	if errors.As(err, &fe) {
		v := s.prefsView(r, p)
		v.Form = url.Values{}
		return s.formError(w, r, "notification_prefs", v, fe.Field, prefMessage(fe))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/account/notifications?done=saved", http.StatusSeeOther)
	return nil
}

// prefMessage says what is wrong with a preferences field in a sentence.
func prefMessage(fe *notify.FieldError) string {
	switch fe.Field {
	case "quiet_start":
		return "Quiet hours start " + fe.Message + " (24-hour time, such as 22:00)."
	case "quiet_end":
		return "Quiet hours end " + fe.Message + " (24-hour time, such as 07:00)."
	case "time_zone":
		return "The time zone " + fe.Message + "."
	case "sms_phone":
		return "The phone number " + fe.Message + "."
	}
	return "Please check the form: " + fe.Field + " " + fe.Message + "."
}

// unsubscribePage is the unsubscribe pages' data.
type unsubscribePage struct {
	Token string
	Kind  notify.Kind
	Done  bool
}

func (s *Server) unsubscribeConfirm(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	_, kind, err := notify.ParseUnsubscribe(token)
	if err != nil {
		return errNotFound
	}
	v := s.newView(r, "Stop these emails", unsubscribePage{Token: token, Kind: kind})
	return s.render(w, r, "unsubscribe", v)
}

func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	kind, err := notify.Unsubscribe(r.Context(), s.db, r.PathValue("token"))
	if err != nil {
		return err
	}
	v := s.newView(r, "Emails stopped", unsubscribePage{Kind: kind, Done: true})
	return s.render(w, r, "unsubscribe", v)
}
