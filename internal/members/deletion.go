package members

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// DeletionRequest is a member's request that their account be deleted,
// waiting for an admin of the program to confirm it.
type DeletionRequest struct {
	ID, ProgramID, UserID string
	// Name is the member's display name (first name and last initial) as
	// staff see it in the list.
	Name        string
	RequestedAt time.Time
	ConfirmedAt *time.Time
}

// FormerMemberName is the name a deleted account keeps.
const FormerMemberName = "Former member"

// RequestDeletion records the actor's request to delete their own
// account; asking again while a request waits returns that one. Staff
// accounts are closed by another admin instead (access.RequestOwnDeletion
// answers access.ErrNotFound).
// Audited as "account.deletion_request".
func RequestDeletion(ctx context.Context, d *db.DB, actor access.Actor, now time.Time) (*DeletionRequest, error) {
	if err := access.RequestOwnDeletion(actor, actor.UserID); err != nil {
		return nil, err
	}
	var out *DeletionRequest
	err := d.Tx(ctx, func(tx *db.Tx) error {
		r := &DeletionRequest{}
		err := db.Err(tx.QueryRow(ctx, `SELECT id, program_id, user_id, requested_at FROM deletion_requests
			WHERE user_id = ? AND confirmed_at IS NULL`, actor.UserID).Scan(&r.ID, &r.ProgramID, &r.UserID, &r.RequestedAt))
		if err == nil {
			out = r
			return nil
		}
		if !errors.Is(err, db.ErrNotFound) {
			return err
		}
		r = &DeletionRequest{ID: uuid.Must(uuid.NewV7()).String(), ProgramID: actor.ProgramID, UserID: actor.UserID,
			RequestedAt: now.UTC().Truncate(time.Microsecond)}
		if _, err := tx.Exec(ctx, `INSERT INTO deletion_requests (id, program_id, user_id, requested_at) VALUES (?, ?, ?, ?)`,
			r.ID, r.ProgramID, r.UserID, r.RequestedAt); err != nil {
			return err
		}
		out = r
		return audit.Record(ctx, tx, actor, audit.Event{Action: "account.deletion_request", SubjectType: "user", SubjectID: actor.UserID})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PendingDeletion returns the actor's own waiting request, or nil.
func PendingDeletion(ctx context.Context, q db.Querier, actor access.Actor) (*DeletionRequest, error) {
	if err := access.ExportOwnData(actor, actor.UserID); err != nil {
		return nil, err
	}
	r := &DeletionRequest{}
	err := db.Err(q.QueryRow(ctx, `SELECT id, program_id, user_id, requested_at FROM deletion_requests
		WHERE user_id = ? AND confirmed_at IS NULL`, actor.UserID).Scan(&r.ID, &r.ProgramID, &r.UserID, &r.RequestedAt))
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ListDeletionRequests returns the program's waiting requests, oldest
// first, for its coordinators and admins (access.ViewDeletions).
func ListDeletionRequests(ctx context.Context, q db.Querier, actor access.Actor) ([]*DeletionRequest, error) {
	if err := access.ViewDeletions(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT r.id, r.program_id, r.user_id, r.requested_at, u.first_name, u.last_name
		FROM deletion_requests r JOIN users u ON u.id = r.user_id
		WHERE r.program_id = ? AND r.confirmed_at IS NULL ORDER BY r.requested_at, r.id`, actor.ProgramID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*DeletionRequest
	for rows.Next() {
		r := &DeletionRequest{}
		var first, last string
		if err := rows.Scan(&r.ID, &r.ProgramID, &r.UserID, &r.RequestedAt, &first, &last); err != nil {
			return nil, err
		}
		r.Name = deletionName(first, last)
		out = append(out, r)
	}
	return out, db.Err(rows.Err())
}

// deletionSteps remove or anonymise what Cairn holds about user ? (each
// statement takes the user id as its only argument). Audit entries stay,
// with the id only; disclosures stay (the accounting of disclosures that
// 42 CFR Part 2 requires), naming ids only.
var deletionSteps = []string{
	`DELETE FROM sessions WHERE user_id = ?`,
	`DELETE FROM api_tokens WHERE user_id = ?`,
	`DELETE FROM recovery_codes WHERE user_id = ?`,
	`DELETE FROM password_resets WHERE user_id = ?`,
	`DELETE FROM notifications WHERE user_id = ?`,
	`DELETE FROM notification_prefs WHERE user_id = ?`,
	`DELETE FROM notification_settings WHERE user_id = ?`,
	`DELETE FROM profiles WHERE user_id = ?`,
	`DELETE FROM photos WHERE user_id = ?`,
	`DELETE FROM recovery_periods WHERE user_id = ?`,
	`DELETE FROM recovery_settings WHERE user_id = ?`,
	`DELETE FROM milestone_celebrations WHERE user_id = ?`,
	`DELETE FROM coach_assignments WHERE member_id = ? OR coach_id = ?`,
	`DELETE FROM buddies WHERE member_id = ? OR buddy_id = ?`,
	`DELETE FROM family_links WHERE alumnus_id = ? OR family_id = ?`,
}

// Forgetter removes what one feature holds about a person whose account
// is being deleted, inside the deletion's transaction, keeping whatever
// that feature counts right (circles.ForgetUser is one). Features that
// members cannot import pass theirs through the server wiring (see
// internal/mydata), explicitly, never at init time.
type Forgetter func(ctx context.Context, tx *db.Tx, userID string) error

// ConfirmDeletion carries out a waiting deletion request (admins of the
// program, access.ConfirmDeletion): the account is disabled and signed
// out everywhere, its email becomes deleted-<id>@invalid and its name
// "Former member", and its content is removed (profile, photos, recovery
// dates, notifications, links to coaches, buddies and family); its live
// consents are revoked and their names anonymised; the roster entry and
// the emails to the old address are removed. Audit entries stay, naming
// the id only. Each forgetter runs first, in the same transaction.
// Audited as "account.delete".
func ConfirmDeletion(ctx context.Context, d *db.DB, actor access.Actor, requestID string, now time.Time, forget ...Forgetter) error {
	if err := access.ConfirmDeletion(actor, actor.ProgramID); err != nil {
		return err
	}
	at := now.UTC().Truncate(time.Microsecond)
	return d.Tx(ctx, func(tx *db.Tx) error {
		var userID, email string
		err := db.Err(tx.QueryRow(ctx, `SELECT r.user_id, u.email FROM deletion_requests r JOIN users u ON u.id = r.user_id
			WHERE r.id = ? AND r.program_id = ? AND r.confirmed_at IS NULL`, requestID, actor.ProgramID).Scan(&userID, &email))
		if err != nil {
			return err
		}
		if userID == actor.UserID {
			return access.ErrNotFound
		}
		for _, f := range forget {
			if err := f(ctx, tx, userID); err != nil {
				return fmt.Errorf("members: delete account: %w", err)
			}
		}
		for _, q := range deletionSteps {
			args := []any{userID}
			if n := countMarks(q); n == 2 {
				args = append(args, userID)
			}
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				return fmt.Errorf("members: delete account: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE consents SET revoked_at = ? WHERE alumnus_id = ? AND revoked_at IS NULL`, at, userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE consents SET patient_name = ?, signature = ? WHERE alumnus_id = ?`,
			FormerMemberName, FormerMemberName, userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM roster_entries WHERE email = ?`, email); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM mail_outbox WHERE to_address = ?`, email); err != nil {
			return err
		}
		anon := "deleted-" + userID + "@invalid"
		if _, err := tx.Exec(ctx, `UPDATE invitations SET email = ? WHERE email = ?`, anon, email); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET email = ?, first_name = ?, last_name = '', password_hash = '', totp_secret = '',
			totp_enabled_at = NULL, disabled_at = ?, updated_at = ? WHERE id = ?`, anon, FormerMemberName, at, at, userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE deletion_requests SET confirmed_at = ?, confirmed_by = ? WHERE id = ?`, at, actor.UserID, requestID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "account.delete", SubjectType: "user", SubjectID: userID})
	})
}

// deletionName is a first name and last initial, as staff see it in the
// list of requests.
func deletionName(first, last string) string {
	for _, r := range last {
		return first + " " + string(r) + "."
	}
	return first
}

// countMarks counts the ? placeholders of a query.
func countMarks(q string) int {
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
		}
	}
	return n
}
