package web

import (
	"net/http"
	"net/url"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/peers/crisis"
)

// supportRoutes are the support page a member sees after writing crisis
// language (or opens themselves), and its "reach out to my coach now"
// button.
func (s *Server) supportRoutes() []route {
	return []route{
		{"GET /support/now", signedIn, s.supportNow},
		{"POST /support/reach-out", signedIn, s.reachOut},
	}
}

// afterWrite ends a handler that saved something a member wrote. When
// crisis is false it redirects (303) to target; when the words held crisis
// language it redirects to /support/now?next=<target> instead, so that the
// member sees the crisis numbers and can ask their coach to reach out
// (what they wrote was saved all the same). target must be a path on this
// site (safeNext). For htmx requests it sets HX-Redirect to the same place
// instead of redirecting.
func (s *Server) afterWrite(w http.ResponseWriter, r *http.Request, target string, crisis bool) {
	target = safeNext(target)
	if crisis {
		target = supportPath(target, false)
	}
	if isHTMX(r) {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// supportPath is the support page's address, with where to continue to
// and whether the member's request to be contacted was just sent.
func supportPath(next string, sent bool) string {
	q := url.Values{"next": {next}}
	if sent {
		q.Set("sent", "1")
	}
	return "/support/now?" + q.Encode()
}

// supportData is what support_now.html shows.
type supportData struct {
	// Next is where "Continue" goes (a path on this site).
	Next string
	// Sent: the member's request to be contacted was just sent.
	Sent bool
	// AfterWrite: the member came here from saving something they wrote
	// (the page has a next), not from a link.
	AfterWrite bool
	// CanReachOut: the person may ask their coach to reach out.
	CanReachOut bool
	// Family: the person is a family member, who has no coach: the
	// program's staff are asked instead.
	Family bool
}

// supportNow shows the crisis numbers as large buttons, a few kind words,
// the button that asks the coach to reach out now, and a way to continue.
func (s *Server) supportNow(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := supportData{
		Next:        safeNext(q.Get("next")),
		Sent:        q.Get("sent") == "1",
		AfterWrite:  q.Has("next"),
		Family:      actor(r).Role == access.Family,
		CanReachOut: access.ReachOutToCoach(actor(r)) == nil,
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, "support_now", s.newView(r, "You are not alone", d))
}

// reachOut tells the member's coach (or the program's staff) that they
// asked to be contacted now, then shows the support page again with a
// confirmation.
func (s *Server) reachOut(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	if _, err := crisis.ReachOut(r.Context(), s.db, actor(r)); err != nil {
		return err
	}
	http.Redirect(w, r, supportPath(safeNext(r.PostFormValue("next")), true), http.StatusSeeOther)
	return nil
}
