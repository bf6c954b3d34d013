package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// safetyRoutes are a member's own safety tools: blocking someone (with a
// confirmation page), the list of people they blocked, and the report form
// for anything reportable.
func (s *Server) safetyRoutes() []route {
	return []route{
		{"GET /members/{id}/block", signedIn, s.blockForm},
		{"POST /members/{id}/block", signedIn, s.blockPost},
		{"GET /account/blocks", signedIn, s.blocksPage},
		{"POST /account/blocks/{id}/unblock", signedIn, s.unblockPost},
		{"GET /report", signedIn, s.reportForm},
		{"POST /report", signedIn, s.reportPost},
	}
}

// safetyFlashes are the confirmations of the safety pages (?done=…).
var safetyFlashes = map[string]string{
	"blocked":   "Blocked. They will not be told, and you will not see each other in Cairn.",
	"unblocked": "Unblocked. You can see each other in Cairn again.",
}

// safetyView is newView with the safety pages' own confirmations.
func (s *Server) safetyView(r *http.Request, title string, data any) *view {
	v := s.newView(r, title, data)
	if f, ok := safetyFlashes[r.URL.Query().Get("done")]; ok {
		v.Flash = f
	}
	return v
}

// blockPage is the block confirmation page.
type blockPage struct {
	ID, Name string
}

// blockTarget loads the member the actor is about to block: someone they
// can see and may block.
func (s *Server) blockTarget(r *http.Request) (*members.MemberView, error) {
	id := r.PathValue("id")
	if id == "" || len(id) > 64 {
		return nil, errNotFound
	}
	a := actor(r)
	if err := access.UseBlocks(a); err != nil {
		return nil, err
	}
	m, err := members.ViewMember(r.Context(), s.db, a, id)
	if err != nil {
		return nil, err
	}
	if m.Relation.Self {
		return nil, errNotFound
	}
	// members.ViewMember already answers not found between blocked people.
	return m, nil
}

// blockForm asks the member to confirm a block.
func (s *Server) blockForm(w http.ResponseWriter, r *http.Request) error {
	m, err := s.blockTarget(r)
	if err != nil {
		return err
	}
	v := s.safetyView(r, "Block "+m.DisplayName, blockPage{ID: m.ID, Name: m.DisplayName})
	if m.Role.Staff() {
		v.Errors = map[string]string{"user_id": staffMessage}
	}
	return s.render(w, r, "safety_block", v)
}

// staffMessage explains why staff cannot be blocked.
const staffMessage = "Staff cannot be blocked: they need to stay reachable so they can keep everyone safe. " +
	"If something a staff member did worries you, please tell a coordinator or an administrator."

// blockPost blocks the member and shows the list of blocked people.
func (s *Server) blockPost(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	m, err := s.blockTarget(r)
	if err != nil {
		return err
	}
	err = safety.Block(r.Context(), s.db, actor(r), m.ID)
	var fe *safety.FieldError
	if errors.As(err, &fe) {
		return s.formError(w, r, "safety_block", s.safetyView(r, "Block "+m.DisplayName, blockPage{ID: m.ID, Name: m.DisplayName}), "user_id", fe.Message)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/account/blocks?done=blocked", http.StatusSeeOther)
	return nil
}

// blocksPage lists the people the member blocked, each with an unblock
// button.
func (s *Server) blocksPage(w http.ResponseWriter, r *http.Request) error {
	list, err := safety.MyBlocks(r.Context(), s.db, actor(r))
	if err != nil {
		return err
	}
	v := s.safetyView(r, "Blocked people", list)
	v.Nav = "account"
	return s.render(w, r, "safety_blocks", v)
}

// unblockPost unblocks someone.
func (s *Server) unblockPost(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if id == "" || len(id) > 64 {
		return errNotFound
	}
	if err := safety.Unblock(r.Context(), s.db, actor(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/blocks?done=unblocked", http.StatusSeeOther)
	return nil
}

// reportPage is the report form's data.
type reportPage struct {
	Kind, ID, What string
	Reasons        []safety.Reason
	MaxNote        int
	// Done is set once the report is filed.
	Done bool
}

// decodeReportForm reads a report from query or form values. It never
// fails: validation names the bad field.
func decodeReportForm(v url.Values) safety.ReportInput {
	return safety.ReportInput{Kind: strings.TrimSpace(v.Get("kind")), ID: strings.TrimSpace(v.Get("id")),
		Reason: strings.TrimSpace(v.Get("reason")), Note: v.Get("note")}
}

// reportForm shows the report form for content the member can see;
// anything else is not found.
func (s *Server) reportForm(w http.ResponseWriter, r *http.Request) error {
	in := decodeReportForm(r.URL.Query())
	what, err := safety.CanReport(r.Context(), s.db, actor(r), in.Kind, in.ID)
	if err != nil {
		return err
	}
	data := reportPage{Kind: in.Kind, ID: in.ID, What: what, Reasons: safety.Reasons, MaxNote: safety.MaxNote}
	return s.render(w, r, "safety_report", s.safetyView(r, "Report "+what, data))
}

// reportPost files the report and thanks the member.
func (s *Server) reportPost(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	a := actor(r)
	in := decodeReportForm(r.Form)
	what, err := safety.CanReport(r.Context(), s.db, a, in.Kind, in.ID)
	if err != nil {
		return err
	}
	data := reportPage{Kind: in.Kind, ID: in.ID, What: what, Reasons: safety.Reasons, MaxNote: safety.MaxNote}
	_, err = safety.Report(r.Context(), s.db, a, in)
	var fe *safety.FieldError
	if errors.As(err, &fe) {
		return s.formError(w, r, "safety_report", s.safetyView(r, "Report "+what, data), fe.Field, fe.Message)
	}
	if err != nil {
		return err
	}
	data.Done = true
	return s.render(w, r, "safety_report", s.safetyView(r, "Thank you for telling us", data))
}
