package web

import (
	"errors"
	"net/http"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// moderationRoutes are the staff moderation queue and the page of one
// report, whose forms post the actions (hide, unhide, warn, suspend, lift
// the suspension, dismiss).
func (s *Server) moderationRoutes() []route {
	return []route{
		{"GET /moderation", signedIn, s.moderationQueue},
		{"GET /moderation/{id}", signedIn, s.moderationReport},
		{"POST /moderation/{id}", signedIn, s.moderationAction},
		{"GET /moderation/{id}/conversation", signedIn, s.moderationConversation},
	}
}

// moderationFlashes confirm each action (?done=…).
var moderationFlashes = map[string]string{
	"hide":    "Hidden. The reports on it are closed.",
	"unhide":  "Shown again.",
	"warn":    "A kind note was sent to the author. It does not say who reported.",
	"dismiss": "Dismissed. The reports on it are closed.",
	"suspend": "Account suspended. Their sessions have ended.",
	"lift":    "Suspension lifted. They can sign in again.",
}

// moderationView is newView with the moderation pages' confirmations.
func (s *Server) moderationView(r *http.Request, title string, data any) *view {
	v := s.newView(r, title, data)
	if f, ok := moderationFlashes[r.URL.Query().Get("done")]; ok {
		v.Flash = f
	}
	v.Nav = "moderation"
	return v
}

// moderationQueue lists the open reports grouped by content.
func (s *Server) moderationQueue(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.Moderate(a); err != nil {
		return err
	}
	open, err := safety.Queue(r.Context(), s.db, a)
	if err != nil {
		return err
	}
	closed, err := safety.RecentlyClosed(r.Context(), s.db, a)
	if err != nil {
		return err
	}
	return s.render(w, r, "moderation", s.moderationView(r, "Moderation", queuePage{Open: open, Closed: closed}))
}

// queuePage is the moderation queue: the open reports and the recently
// closed ones.
type queuePage struct {
	Open   []safety.QueueItem
	Closed []safety.ClosedItem
}

// moderationPage is one report's page.
type moderationPage struct {
	*safety.Detail
	Today string
	// ReadConversation offers the conversation around a reported message.
	ReadConversation bool
}

// reportView loads the report page's data.
func (s *Server) reportView(r *http.Request) (*view, error) {
	id := r.PathValue("id")
	if id == "" || len(id) > 64 {
		return nil, errNotFound
	}
	d, err := safety.ReportDetail(r.Context(), s.db, actor(r), id)
	if err != nil {
		return nil, err
	}
	a := actor(r)
	data := &moderationPage{Detail: d, Today: s.now().UTC().Format("2006-01-02"),
		ReadConversation: d.Item.Kind == "message" && access.ReadReportedConversation(a, a.ProgramID) == nil}
	return s.moderationView(r, "Report", data), nil
}

// moderationReport shows a report with the content, all reports on it,
// the history of actions and the action forms.
func (s *Server) moderationReport(w http.ResponseWriter, r *http.Request) error {
	v, err := s.reportView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "moderation_report", v)
}

// moderationAction does the posted action and returns to the report.
func (s *Server) moderationAction(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	a, id := actor(r), r.PathValue("id")
	if id == "" || len(id) > 64 {
		return errNotFound
	}
	if err := access.Moderate(a); err != nil {
		return err
	}
	ctx := r.Context()
	action := postedField(r, "action")
	var err error
	switch action {
	case "hide":
		err = safety.Hide(ctx, s.db, a, id)
	case "unhide":
		err = safety.Unhide(ctx, s.db, a, id)
	case "warn":
		err = safety.Warn(ctx, s.db, a, id)
	case "dismiss":
		err = safety.Dismiss(ctx, s.db, a, id)
	case "suspend":
		err = safety.Suspend(ctx, s.db, a, id, safety.SuspendInput{Until: postedField(r, "until"), Reason: r.PostFormValue("reason")})
	case "lift":
		err = safety.LiftSuspension(ctx, s.db, a, id)
	default:
		err = &safety.FieldError{Field: "action", Message: "Choose what to do about this report."}
	}
	var fe *safety.FieldError
	if errors.As(err, &fe) {
		v, verr := s.reportView(r)
		if verr != nil {
			return verr
		}
		return s.formError(w, r, "moderation_report", v, fe.Field, fe.Message)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/moderation/"+id+"?done="+action, http.StatusSeeOther)
	return nil
}
