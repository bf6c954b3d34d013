package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// maxResetsPerHour caps the reset emails one account receives, so the form
// cannot be used to flood someone's mailbox.
const maxResetsPerHour = 3

// RequestReset queues a password-reset email with a one-hour, single-use
// link when email belongs to an enabled account. For any other email it
// does nothing, and the caller sees the same nil either way, so the form
// does not reveal who has an account. Audited as "password.reset.request"
// (only when the account exists). clientAddr is not stored.
func (s *Service) RequestReset(ctx context.Context, email, clientAddr, requestID string) error {
	email = normalizeEmail(email)
	if validateEmail(email) != nil {
		return nil
	}
	u, err := scanUser(s.db.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
	if errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if u.Disabled {
		return nil
	}
	now := s.now()
	token, hash := newToken()
	link := s.baseURL + "/reset/" + token
	return s.db.Tx(ctx, func(tx *db.Tx) error {
		var recent int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM password_resets WHERE user_id = ? AND created_at > ?`,
			u.ID, now.Add(-time.Hour)).Scan(&recent); err != nil {
			return db.Err(err)
		}
		if recent >= maxResetsPerHour {
			return nil
		}
		prog, err := programs.Get(ctx, tx, u.ProgramID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hash, u.ID, now, now.Add(ResetLifetime)); err != nil {
			return err
		}
		if _, err := notify.Enqueue(ctx, tx, resetMail(prog, u, link)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, access.Actor{ProgramID: u.ProgramID, RequestID: requestID},
			audit.Event{Action: "password.reset.request", SubjectType: "user", SubjectID: u.ID})
	})
}

// resetMail is the email that carries a reset link.
func resetMail(p *programs.Program, u *User, link string) notify.Message {
	text := fmt.Sprintf(`Hello %s,

Someone (we hope you) asked to choose a new password for your %s account on Cairn.

To choose a new password, open this link:

%s

The link works once, within one hour. Choosing a new password signs you out everywhere else.

If you did not ask for this, you can ignore this email; your password stays as it is.

%s
`, u.DisplayName(), p.Name, link, p.Name)
	return notify.Message{ProgramID: p.ID, To: u.Email, Subject: "Choose a new password for " + p.Name, Text: text}
}

// openReset returns the user id of the usable reset for token.
func (s *Service) openReset(ctx context.Context, q db.Querier, token string) (hash, userID string, err error) {
	hash, err = ParseToken(token)
	if err != nil {
		return "", "", ErrInvalidToken
	}
	var expires time.Time
	err = db.Err(q.QueryRow(ctx, `SELECT r.user_id, r.expires_at FROM password_resets r JOIN users u ON u.id = r.user_id
		WHERE r.token_hash = ? AND r.used_at IS NULL AND u.disabled_at IS NULL`, hash).Scan(&userID, &expires))
	if errors.Is(err, db.ErrNotFound) {
		return "", "", ErrInvalidToken
	}
	if err != nil {
		return "", "", err
	}
	if !s.now().Before(expires) {
		return "", "", ErrInvalidToken
	}
	return hash, userID, nil
}

// ResetToken reports whether a reset link can still be used (for showing
// the form): nil, or ErrInvalidToken.
func (s *Service) ResetToken(ctx context.Context, token string) error {
	_, _, err := s.openReset(ctx, s.db, token)
	return err
}

// ResetPassword sets a new password through a reset link, marks the link
// (and any other open one of the account) used, and ends all the person's
// sessions. A bad password gives a *FieldError on "password"; an unusable
// link ErrInvalidToken. Audited as "password.reset".
func (s *Service) ResetPassword(ctx context.Context, token, password, requestID string) error {
	if _, err := ParseToken(token); err != nil {
		return ErrInvalidToken
	}
	if err := ValidatePassword(password); err != nil {
		return err
	}
	hashed := hashPassword(password, s.argon)
	return s.db.Tx(ctx, func(tx *db.Tx) error {
		hash, userID, err := s.openReset(ctx, tx, token)
		if err != nil {
			return err
		}
		now := s.now()
		res, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, now, hash)
		if err != nil {
			return err
		}
		if rowsAffected(res) != 1 {
			return ErrInvalidToken
		}
		if _, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, now, userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hashed, now, userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return err
		}
		u, err := getUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.Actor(requestID), audit.Event{Action: "password.reset", SubjectType: "user", SubjectID: u.ID})
	})
}
