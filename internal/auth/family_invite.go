package auth

import (
	"context"
	"database/sql"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// InviteFamily invites one email into the alumnus actor's program with the
// role family, tied to the consent consentID that the caller has just
// stored in tx: the invitation and its email are written in that same
// transaction, so no invitation goes out without a stored consent.
// message builds the email from the accept link and the link's expiry; the
// queued email carries the consent id, so that revoking the consent drops
// it while it is unsent. Accepting the invitation links the new account to
// the alumnus (see linkFamily). A bad email, or one that already has an
// account, gives a *FieldError on "email"; an actor who is not an alumnus
// gets access.ErrNotFound. Audited as "invitation.create".
func (s *Service) InviteFamily(ctx context.Context, tx *db.Tx, actor access.Actor, consentID, email string,
	message func(link string, expires time.Time) notify.Message) (*Invitation, string, error) {
	if access.ManageConsents(actor, actor.UserID) != nil || actor.ProgramID == "" || consentID == "" {
		return nil, "", access.ErrNotFound
	}
	email = normalizeEmail(email)
	if err := validateEmail(email); err != nil {
		return nil, "", err
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, email).Scan(&n); err != nil {
		return nil, "", db.Err(err)
	}
	if n > 0 {
		return nil, "", &FieldError{"email", "That person already has an account."}
	}
	now := s.now()
	token, hash := newToken()
	inv := &Invitation{ID: uuid.Must(uuid.NewV7()).String(), ProgramID: actor.ProgramID, Email: email, Role: access.Family,
		InvitedBy: actor.UserID, CreatedAt: now, ExpiresAt: now.Add(InvitationLifetime)}
	link := s.baseURL + "/invite/" + token
	if _, err := tx.Exec(ctx, `INSERT INTO invitations (id, program_id, email, role, token_hash, invited_by, created_at, expires_at, consent_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, inv.ID, inv.ProgramID, inv.Email, string(inv.Role), hash, actor.UserID, now, inv.ExpiresAt, consentID); err != nil {
		return nil, "", err
	}
	m := message(link, inv.ExpiresAt)
	m.ProgramID, m.To = inv.ProgramID, email
	outboxID, err := notify.Enqueue(ctx, tx, m)
	if err != nil {
		return nil, "", err
	}
	if _, err := tx.Exec(ctx, `UPDATE mail_outbox SET consent_id = ? WHERE id = ?`, consentID, outboxID); err != nil {
		return nil, "", err
	}
	if err := audit.Record(ctx, tx, actor, audit.Event{Action: "invitation.create", SubjectType: "invitation", SubjectID: inv.ID,
		Detail: map[string]string{"role": string(access.Family), "consent": consentID}}); err != nil {
		return nil, "", err
	}
	return inv, link, nil
}

// linkFamily is called by AcceptInvitation inside its transaction: when
// the accepted invitation is a family invitation (it names a consent), the
// new account userID is linked to the alumnus who invited them, under the
// invited email. Other invitations are left alone.
func linkFamily(ctx context.Context, tx *db.Tx, invitationID, userID string, now time.Time) error {
	var consentID, alumnusID sql.NullString
	var programID, email string
	err := tx.QueryRow(ctx, `SELECT consent_id, invited_by, program_id, email FROM invitations WHERE id = ?`, invitationID).
		Scan(&consentID, &alumnusID, &programID, &email)
	if err != nil {
		return db.Err(err)
	}
	if !consentID.Valid || !alumnusID.Valid {
		return nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO family_links (id, program_id, alumnus_id, family_id, email, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		uuid.Must(uuid.NewV7()).String(), programID, alumnusID.String, userID, email, now)
	return err
}
