package web

import (
	"net/http"

	"github.com/cairn-recovery/cairn/internal/access"
)

// adminRoutes are the staff pages: people, invitations, the audit log,
// program settings, the outbox and failed jobs. Every handler asks
// internal/access (or calls a feature function that does) before it reads
// or changes anything, so that a page someone may not use answers 404 like
// a missing one.
func (s *Server) adminRoutes() []route {
	return []route{
		{"GET /admin", signedIn, s.adminIndex},
		{"GET /admin/people", signedIn, s.adminPeople},
		{"GET /admin/people/{id}", signedIn, s.adminPerson},
		{"POST /admin/people/{id}/role", signedIn, s.adminPersonRole},
		{"POST /admin/people/{id}/disable", signedIn, s.adminPersonDisable},
		{"POST /admin/people/{id}/enable", signedIn, s.adminPersonEnable},
		{"GET /admin/invitations", signedIn, s.adminInvitations},
		{"POST /admin/invitations", signedIn, s.adminInvite},
		{"POST /admin/invitations/{id}/revoke", signedIn, s.adminRevokeInvitation},
		{"GET /admin/audit", signedIn, s.adminAudit},
		{"GET /admin/program", signedIn, s.adminProgram},
		{"POST /admin/program", signedIn, s.adminProgramSave},
		{"GET /admin/outbox", signedIn, s.adminOutbox},
		{"GET /admin/outbox/{id}", signedIn, s.adminOutboxMessage},
		{"GET /admin/jobs", signedIn, s.adminJobs},
		{"POST /admin/jobs/{id}/retry", signedIn, s.adminJobRetry},
		{"POST /admin/jobs/{id}/discard", signedIn, s.adminJobDiscard},
	}
}

// adminSection is one link on the admin index.
type adminSection struct {
	Path, Title, Summary string
}

// adminSectionRules is every admin section with the rule its page asks, in
// the order the index shows them.
var adminSectionRules = []struct {
	adminSection
	allowed func(access.Actor, string) error
}{
	{adminSection{"/admin/people", "People", "Everyone with an account in the program, their role and whether their account is active."}, access.ViewPeople},
	{adminSection{"/admin/invitations", "Invitations", "Invite someone to join, and see or withdraw open invitations."}, access.ViewInvitations},
	{adminSection{"/admin/audit", "Audit log", "Who did what, and when."}, access.ViewAudit},
	{adminSection{"/admin/program", "Program settings", "Name, time zone, phone, address and the public description."}, access.EditProgram},
	{adminSection{"/admin/outbox", "Outbox", "Email Cairn has sent or is waiting to send."}, access.ViewOutbox},
	{adminSection{"/admin/roster", "Roster import", "Enrol alumni from a discharge list (CSV): preview first, then import and invite."}, access.ImportRoster},
	{adminSection{"/admin/deletions", "Deletion requests", "Members who asked for their account to be deleted."}, access.ViewDeletions},
	{adminSection{"/admin/interests", "Interests", "The list of interests and hobbies members choose from."}, access.EditInterests},
	{adminSection{"/admin/events", "Event settings", "Reminder times before events, and when answers close by default."}, access.ManageEvents},
	{adminSection{"/admin/jobs", "Failed jobs", "Background work that failed, with its error; retry or discard it."}, access.ManageJobs},
	{adminSection{"/admin/message-keys", "Message keys", "The keys conversations are encrypted with; rotate the active one."}, access.ManageMessageKeys},
}

// adminSections lists the sections a may use, in the order the index shows
// them. Each is decided by the same rule its page asks.
func adminSections(a access.Actor) []adminSection {
	var out []adminSection
	for _, r := range adminSectionRules {
		if r.allowed(a, a.ProgramID) == nil {
			out = append(out, r.adminSection)
		}
	}
	return out
}

// adminIndex links to the sections the person may use; someone who may use
// none gets the not-found page.
func (s *Server) adminIndex(w http.ResponseWriter, r *http.Request) error {
	sections := adminSections(actor(r))
	if len(sections) == 0 {
		return errNotFound
	}
	v := s.newView(r, "Admin", sections)
	v.Nav = "admin"
	return s.render(w, r, "admin", v)
}

// adminView is newView for the admin pages.
func (s *Server) adminView(r *http.Request, title string, data any) *view {
	v := s.newView(r, title, data)
	v.Nav = "admin"
	return v
}
