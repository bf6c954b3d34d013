package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
)

// adminInvitation is one invitation as the page shows it.
type adminInvitation struct {
	*auth.Invitation
	// Status is "Open", "Accepted", "Withdrawn" or "Expired".
	Status string
	// InvitedByName is the inviter's display name, when the actor may see it.
	InvitedByName string
	// CanRevoke reports whether the actor may withdraw it (they may invite
	// into its role).
	CanRevoke bool
}

// adminInvitationsData is the invitations page.
type adminInvitationsData struct {
	Open, Past []adminInvitation
	// Roles are the roles the actor may invite into.
	Roles []access.Role
	// CanReadOutbox reports whether the actor may read the outbox, where
	// the invitation emails wait when no mail server is set up.
	CanReadOutbox bool
}

// loadInvitations fills the page's lists for the actor.
func (s *Server) loadInvitations(r *http.Request) (*adminInvitationsData, error) {
	a := actor(r)
	list, err := s.auth.ListInvitations(r.Context(), a)
	if err != nil {
		return nil, err
	}
	names := map[string]string{a.UserID: "You"}
	if access.ViewPeople(a, a.ProgramID) == nil {
		users, err := s.auth.ListUsers(r.Context(), a, a.ProgramID)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if u.ID != a.UserID {
				names[u.ID] = u.DisplayName()
			}
		}
	}
	data := &adminInvitationsData{Roles: access.InviteRoles(a), CanReadOutbox: access.ViewOutbox(a, a.ProgramID) == nil}
	now := s.now()
	for _, inv := range list {
		_, canRevoke := inviteRole(a, string(inv.Role))
		item := adminInvitation{Invitation: inv, Status: invitationStatus(inv, now), InvitedByName: names[inv.InvitedBy], CanRevoke: canRevoke}
		if item.InvitedByName == "" {
			item.InvitedByName = "Staff"
		}
		if item.Status == "Open" {
			data.Open = append(data.Open, item)
		} else {
			data.Past = append(data.Past, item)
		}
	}
	return data, nil
}

// invitationStatus says where an invitation stands at now.
func invitationStatus(inv *auth.Invitation, now time.Time) string {
	switch {
	case inv.AcceptedAt != nil:
		return "Accepted"
	case inv.RevokedAt != nil:
		return "Withdrawn"
	case !inv.ExpiresAt.After(now):
		return "Expired"
	}
	return "Open"
}

// adminInvitations shows the invite form and the program's invitations.
func (s *Server) adminInvitations(w http.ResponseWriter, r *http.Request) error {
	data, err := s.loadInvitations(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "admin_invitations", s.adminView(r, "Invitations", data))
}

// adminInvite creates an invitation. Its email goes to the outbox in the
// same transaction; the link is never shown on a page or put in a URL.
func (s *Server) adminInvite(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.ViewInvitations(a, a.ProgramID); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	data, err := s.loadInvitations(r)
	if err != nil {
		return err
	}
	v := s.adminView(r, "Invitations", data)
	email := postedField(r, "email")
	if email == "" {
		return s.formError(w, r, "admin_invitations", v, "email", "Enter the email address to send the invitation to.")
	}
	role, ok := inviteRole(a, r.PostFormValue("role"))
	if !ok {
		return s.formError(w, r, "admin_invitations", v, "role", "Choose one of the listed roles.")
	}
	if _, _, err := s.auth.Invite(r.Context(), a, email, role); err != nil {
		var fe *auth.FieldError
		if errors.As(err, &fe) {
			return s.formError(w, r, "admin_invitations", v, fe.Field, fe.Message)
		}
		return err
	}
	http.Redirect(w, r, "/admin/invitations?done=invited", http.StatusSeeOther)
	return nil
}

// inviteRole returns the role named s if the actor may invite into it.
func inviteRole(a access.Actor, s string) (access.Role, bool) {
	for _, r := range access.InviteRoles(a) {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// adminRevokeInvitation withdraws an open invitation, so its link stops
// working.
func (s *Server) adminRevokeInvitation(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.ViewInvitations(a, a.ProgramID); err != nil {
		return err
	}
	if err := s.auth.RevokeInvitation(r.Context(), a, r.PathValue("id")); err != nil {
		var fe *auth.FieldError
		if !errors.As(err, &fe) {
			return err
		}
		data, err := s.loadInvitations(r)
		if err != nil {
			return err
		}
		return s.formError(w, r, "admin_invitations", s.adminView(r, "Invitations", data), fe.Field, fe.Message)
	}
	http.Redirect(w, r, "/admin/invitations?done=invite-revoked", http.StatusSeeOther)
	return nil
}
