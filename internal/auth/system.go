package auth

import (
	"context"
	"errors"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// EnsurePassword makes password the password of the account with email in
// the actor's program, for the installation itself (demo start-up, which
// prints the password people sign in with). It reports whether the password
// changed; a change ends the account's sessions and is audited as
// "user.password_set". Only access.System actors may call it.
func (s *Service) EnsurePassword(ctx context.Context, actor access.Actor, email, password string) (bool, error) {
	if !actor.IsSystem() {
		return false, access.ErrNotFound
	}
	var id, encoded string
	err := db.Err(s.db.QueryRow(ctx, `SELECT id, password_hash FROM users WHERE email = ? AND program_id = ?`,
		normalizeEmail(email), actor.ProgramID).Scan(&id, &encoded))
	if errors.Is(err, db.ErrNotFound) {
		return false, access.ErrNotFound
	}
	if err != nil {
		return false, err
	}
	if ok, rehash := s.checkPassword(password, encoded); ok && !rehash {
		return false, nil
	}
	if err := ValidatePassword(password); err != nil {
		return false, err
	}
	hash := hashPassword(password, s.argon)
	err = s.db.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, s.now(), id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "user.password_set", SubjectType: "user", SubjectID: id})
	})
	return err == nil, err
}
