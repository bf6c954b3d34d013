package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// Invitation lets one person create an account in a program with a given
// role. It works once, within InvitationLifetime; only its token's hash is
// stored.
type Invitation struct {
	ID, ProgramID, Email string
	Role                 access.Role
	// InvitedBy is the user id of the person who invited ("" for the
	// installation itself).
	InvitedBy            string
	CreatedAt, ExpiresAt time.Time
	AcceptedAt           *time.Time
	RevokedAt            *time.Time
}

const invitationColumns = `id, program_id, email, role, invited_by, created_at, expires_at, accepted_at, revoked_at`

func scanInvitation(row interface{ Scan(...any) error }) (*Invitation, error) {
	var inv Invitation
	var role string
	var by sql.NullString
	var accepted, revoked sql.NullTime
	if err := row.Scan(&inv.ID, &inv.ProgramID, &inv.Email, &role, &by, &inv.CreatedAt, &inv.ExpiresAt, &accepted, &revoked); err != nil {
		return nil, db.Err(err)
	}
	inv.Role = access.Role(role)
	inv.InvitedBy = by.String
	if accepted.Valid {
		t := accepted.Time
		inv.AcceptedAt = &t
	}
	if revoked.Valid {
		t := revoked.Time
		inv.RevokedAt = &t
	}
	return &inv, nil
}

// Invite invites email into the actor's program with role (as allowed by
// access.Invite), stores the invitation, and queues the email with the
// accept link in the same transaction. It returns the invitation and the
// accept URL. A bad or already registered email gives a *FieldError on
// "email". Audited as "invitation.create".
func (s *Service) Invite(ctx context.Context, actor access.Actor, email string, role access.Role) (*Invitation, string, error) {
	var inv *Invitation
	var link string
	err := s.db.Tx(ctx, func(tx *db.Tx) error {
		var err error
		inv, link, err = s.InviteTx(ctx, tx, actor, email, role)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return inv, link, nil
}

// invitationMail is the email that carries an invitation.
func invitationMail(p *programs.Program, inviter, to, link string, expires time.Time) notify.Message {
	until := expires.In(p.Location()).Format("Monday 2 January 2006 at 15:04 MST")
	text := fmt.Sprintf(`Hello,

%s invited you to join %s on Cairn, the program's private space to stay connected with one another.

To accept, open this link and choose a password:

%s

The link works once, until %s (7 days). If it has run out, ask %s for a new one.

If you were not expecting this invitation, you can ignore this email; nothing happens unless you open the link.

With warm wishes,
%s
`, inviter, p.Name, link, until, inviter, p.Name)
	return notify.Message{ProgramID: p.ID, To: to, Subject: "You are invited to " + p.Name, Text: text}
}

// openInvitation loads the usable invitation for token (unused, not
// revoked, not expired), or ErrInvalidToken.
func (s *Service) openInvitation(ctx context.Context, q db.Querier, token string) (*Invitation, error) {
	hash, err := ParseToken(token)
	if err != nil {
		return nil, ErrInvalidToken
	}
	inv, err := scanInvitation(q.QueryRow(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE token_hash = ?`, hash))
	if errors.Is(err, db.ErrNotFound) {
		return nil, ErrInvalidToken
	}
	if err != nil {
		return nil, err
	}
	if inv.AcceptedAt != nil || inv.RevokedAt != nil || !s.now().Before(inv.ExpiresAt) {
		return nil, ErrInvalidToken
	}
	return inv, nil
}

// Invitation returns the usable invitation for token, for showing the
// accept form; ErrInvalidToken when it is unknown, used, revoked or expired.
func (s *Service) Invitation(ctx context.Context, token string) (*Invitation, error) {
	return s.openInvitation(ctx, s.db, token)
}

// AcceptInvitation creates the invited person's account with the given
// name and password and marks the invitation used, in one transaction. Bad
// fields give a *FieldError; an unusable invitation ErrInvalidToken.
// Audited as "invitation.accept" and "user.create".
func (s *Service) AcceptInvitation(ctx context.Context, token, firstName, lastName, password, requestID string) (*User, error) {
	if _, err := validateName("first_name", firstName, true); err != nil {
		return nil, err
	}
	if _, err := validateName("last_name", lastName, false); err != nil {
		return nil, err
	}
	prepared, err := s.withHash(NewUser{FirstName: firstName, LastName: lastName, Password: password})
	if err != nil {
		return nil, err
	}
	var u *User
	err = s.db.Tx(ctx, func(tx *db.Tx) error {
		inv, err := s.openInvitation(ctx, tx, token)
		if err != nil {
			return err
		}
		actor := access.Actor{ProgramID: inv.ProgramID, RequestID: requestID}
		prepared.ProgramID, prepared.Email, prepared.Role = inv.ProgramID, inv.Email, inv.Role
		u, err = s.insertUser(ctx, tx, actor, prepared)
		var fe *FieldError
		if errors.As(err, &fe) && fe.Field == "email" {
			return ErrInvalidToken
		}
		if err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE invitations SET accepted_at = ?, user_id = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL`,
			s.now(), u.ID, inv.ID)
		if err != nil {
			return err
		}
		if rowsAffected(res) != 1 {
			return ErrInvalidToken
		}
		if err := linkFamily(ctx, tx, inv.ID, u.ID, s.now()); err != nil {
			return err
		}
		if err := RunAcceptHooks(ctx, tx, u.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.Actor(requestID), audit.Event{Action: "invitation.accept", SubjectType: "invitation", SubjectID: inv.ID})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ListInvitations returns the invitations of the actor's program, newest
// first, with their state (open, accepted, revoked or expired); staff who
// may invite only (access.ViewInvitations).
func (s *Service) ListInvitations(ctx context.Context, actor access.Actor) ([]*Invitation, error) {
	if err := access.ViewInvitations(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE program_id = ?
		ORDER BY created_at DESC, id DESC LIMIT 500`, actor.ProgramID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanInvitation)
}

// RevokeInvitation withdraws an open invitation, so its link stops working.
// The actor must be allowed to invite that role in the invitation's program;
// otherwise access.ErrNotFound. Revoking twice is not an error; an accepted
// invitation gives a *FieldError on "invitation". Audited as
// "invitation.revoke".
func (s *Service) RevokeInvitation(ctx context.Context, actor access.Actor, id string) error {
	return s.db.Tx(ctx, func(tx *db.Tx) error {
		inv, err := scanInvitation(tx.QueryRow(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE id = ?`, id))
		if err != nil {
			return err
		}
		if err := access.Invite(actor, inv.ProgramID, inv.Role); err != nil {
			return access.ErrNotFound
		}
		if inv.RevokedAt != nil {
			return nil
		}
		if inv.AcceptedAt != nil {
			return &FieldError{"invitation", "That invitation has already been accepted."}
		}
		if _, err := tx.Exec(ctx, `UPDATE invitations SET revoked_at = ? WHERE id = ?`, s.now(), inv.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "invitation.revoke", SubjectType: "invitation", SubjectID: inv.ID})
	})
}
