package auth

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// InviteTx is Invite inside the caller's transaction, for changes that
// invite many people at once (roster import): the invitation, its email
// and its audit entry ("invitation.create") commit or roll back with the
// caller's other changes. The same rules apply as for Invite (access.Invite,
// a valid and unregistered email). It returns the invitation and the
// accept URL.
func (s *Service) InviteTx(ctx context.Context, tx *db.Tx, actor access.Actor, email string, role access.Role) (*Invitation, string, error) {
	if !validRole(role) {
		return nil, "", &FieldError{"role", "Choose a role."}
	}
	if err := access.Invite(actor, actor.ProgramID, role); err != nil {
		return nil, "", err
	}
	email = normalizeEmail(email)
	if err := validateEmail(email); err != nil {
		return nil, "", err
	}
	now := s.now()
	token, hash := newToken()
	inv := &Invitation{ID: uuid.Must(uuid.NewV7()).String(), ProgramID: actor.ProgramID, Email: email, Role: role,
		InvitedBy: actor.UserID, CreatedAt: now, ExpiresAt: now.Add(InvitationLifetime)}
	link := s.baseURL + "/invite/" + token
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, email).Scan(&n); err != nil {
		return nil, "", db.Err(err)
	}
	if n > 0 {
		return nil, "", &FieldError{"email", "That person already has an account."}
	}
	prog, err := programs.Get(ctx, tx, inv.ProgramID)
	if err != nil {
		return nil, "", err
	}
	inviter := "The team"
	var by any
	if actor.UserID != "" {
		u, err := getUser(ctx, tx, actor.UserID)
		if err != nil {
			return nil, "", err
		}
		inviter, by = u.DisplayName(), u.ID
	}
	if _, err := tx.Exec(ctx, `INSERT INTO invitations (id, program_id, email, role, token_hash, invited_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, inv.ID, inv.ProgramID, inv.Email, string(inv.Role), hash, by, now, inv.ExpiresAt); err != nil {
		return nil, "", err
	}
	if _, err := notify.Enqueue(ctx, tx, invitationMail(prog, inviter, email, link, inv.ExpiresAt)); err != nil {
		return nil, "", err
	}
	if err := audit.Record(ctx, tx, actor, audit.Event{Action: "invitation.create", SubjectType: "invitation", SubjectID: inv.ID,
		Detail: map[string]string{"role": string(role)}}); err != nil {
		return nil, "", err
	}
	return inv, link, nil
}

// inviteChunk is how many invitations go into one multi-row INSERT: 200
// rows of at most 13 values stay far below both engines' parameter limits.
const inviteChunk = 200

// InviteManyTx invites every address of emails into the actor's program
// with role inside the caller's transaction, as InviteTx does one by one,
// but in a few multi-row statements, so that a roster of thousands of
// people imports in seconds. The same rules apply to each address; the
// first bad or registered one fails the whole call (and the caller's
// transaction should roll back). The batch is audited by one
// "invitation.create" entry with the role and the count. It returns the
// invitations in the order of emails.
func (s *Service) InviteManyTx(ctx context.Context, tx *db.Tx, actor access.Actor, emails []string, role access.Role) ([]*Invitation, error) {
	if !validRole(role) {
		return nil, &FieldError{"role", "Choose a role."}
	}
	if err := access.Invite(actor, actor.ProgramID, role); err != nil {
		return nil, err
	}
	if len(emails) == 0 {
		return nil, nil
	}
	prog, err := programs.Get(ctx, tx, actor.ProgramID)
	if err != nil {
		return nil, err
	}
	inviter := "The team"
	var by any
	if actor.UserID != "" {
		u, err := getUser(ctx, tx, actor.UserID)
		if err != nil {
			return nil, err
		}
		inviter, by = u.DisplayName(), u.ID
	}
	now := s.now()
	queued := notify.Now().UTC().Truncate(time.Microsecond)
	out := make([]*Invitation, 0, len(emails))
	for start := 0; start < len(emails); start += inviteChunk {
		part := emails[start:min(start+inviteChunk, len(emails))]
		invRows := make([][]any, 0, len(part))
		mailRows := make([][]any, 0, len(part))
		check := make([]any, 0, len(part))
		for _, e := range part {
			email := normalizeEmail(e)
			if err := validateEmail(email); err != nil {
				return nil, err
			}
			token, hash := newToken()
			inv := &Invitation{ID: uuid.Must(uuid.NewV7()).String(), ProgramID: actor.ProgramID, Email: email, Role: role,
				InvitedBy: actor.UserID, CreatedAt: now, ExpiresAt: now.Add(InvitationLifetime)}
			m := invitationMail(prog, inviter, email, s.baseURL+"/invite/"+token, inv.ExpiresAt)
			if err := m.Validate(); err != nil {
				return nil, err
			}
			invRows = append(invRows, []any{inv.ID, inv.ProgramID, inv.Email, string(inv.Role), hash, by, now, inv.ExpiresAt})
			mailRows = append(mailRows, []any{uuid.Must(uuid.NewV7()).String(), m.ProgramID, m.To, m.Subject, m.Text, m.HTML,
				string(notify.StatusQueued), "", 0, queued, queued, string(notify.ChannelEmail), ""})
			check = append(check, email)
			out = append(out, inv)
		}
		var n int
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(check)), ", ")
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE email IN (`+marks+`)`, check...).Scan(&n); err != nil {
			return nil, db.Err(err)
		}
		if n > 0 {
			return nil, &FieldError{"email", "One of these people already has an account."}
		}
		if err := tx.InsertRows(ctx, `INSERT INTO invitations (id, program_id, email, role, token_hash, invited_by, created_at, expires_at) VALUES `, invRows); err != nil {
			return nil, err
		}
		if err := tx.InsertRows(ctx, `INSERT INTO mail_outbox (id, program_id, to_address, subject, body_text,
			body_html, status, error, attempts, created_at, next_attempt_at, channel, headers) VALUES `, mailRows); err != nil {
			return nil, err
		}
	}
	if err := audit.Record(ctx, tx, actor, audit.Event{Action: "invitation.create", SubjectType: "program", SubjectID: actor.ProgramID,
		Detail: map[string]string{"role": string(role), "count": strconv.Itoa(len(out))}}); err != nil {
		return nil, err
	}
	return out, nil
}

// AcceptHook runs inside the transaction that accepts an invitation, once
// the new account exists; an error rolls the acceptance back. Packages
// that keep data for people before they have an account (the roster
// import) register one.
type AcceptHook func(ctx context.Context, tx *db.Tx, userID string) error

// acceptHooks are the registered hooks, in registration order. They are
// registered at package initialisation and only read afterwards.
var acceptHooks []AcceptHook

// OnAccept registers h to run whenever an invitation is accepted. Call it
// from an init function only.
func OnAccept(h AcceptHook) { acceptHooks = append(acceptHooks, h) }

// RunAcceptHooks runs the registered hooks for the account userID inside
// tx; AcceptInvitation calls it after creating the account.
func RunAcceptHooks(ctx context.Context, tx *db.Tx, userID string) error {
	for _, h := range acceptHooks {
		if err := h(ctx, tx, userID); err != nil {
			return err
		}
	}
	return nil
}
