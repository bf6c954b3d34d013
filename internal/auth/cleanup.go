package auth

import "context"

// DeleteExpired removes sessions past their idle or absolute end, reset
// links that expired, and throttle counters that have gone quiet. Run it
// periodically (every few minutes); it is safe on every instance at once.
func (s *Service) DeleteExpired(ctx context.Context) error {
	now := s.now()
	if _, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR idle_expires_at <= ?`, now, now); err != nil {
		return err
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM password_resets WHERE expires_at <= ?`, now); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, `DELETE FROM signin_throttle WHERE blocked_until <= ? AND last_failure <= ?`, now, now.Add(-throttleWindow))
	return err
}
