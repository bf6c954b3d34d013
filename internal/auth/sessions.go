package auth

import (
	"context"
	"database/sql"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Session stages.
const (
	// StageFull is a signed-in session.
	StageFull = "full"
	// StageSecondFactor waits for a TOTP or recovery code.
	StageSecondFactor = "second_factor"
	// StageEnroll waits for a staff member to set up the second factor.
	StageEnroll = "enroll"
)

// Session is a server-side session. The token that names it lives only in
// the cookie; the database keeps its SHA-256.
type Session struct {
	// ID is the public id, shown on the "your sessions" page; never the token.
	ID                string
	UserID, ProgramID string
	// Stage is StageFull, StageSecondFactor or StageEnroll.
	Stage     string
	UserAgent string
	// ExpiresAt is the absolute end of the session.
	CreatedAt, LastSeenAt, ExpiresAt time.Time
	idleExpiresAt                    time.Time
}

// idle is the idle timeout of a role.
func (s *Service) idle(r access.Role) time.Duration {
	if r.Staff() {
		return s.staffIdle
	}
	return s.memberIdle
}

// stageFor is the stage a fresh sign-in of u starts at.
func (s *Service) stageFor(u *User) string {
	switch {
	case !access.SecondFactorRequired(u.Role) && !u.TOTPEnabled:
		return StageFull
	case u.TOTPEnabled:
		return StageSecondFactor
	case s.demo:
		return StageFull
	}
	return StageEnroll
}

// createSession inserts a new session for u at stage inside tx and returns
// its token.
func (s *Service) createSession(ctx context.Context, tx *db.Tx, u *User, stage, userAgent string) (string, *Session, error) {
	now := s.now()
	token, hash := newToken()
	life := s.lifetime
	if stage != StageFull {
		life = min(life, pendingLifetime)
	}
	sess := &Session{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID, ProgramID: u.ProgramID, Stage: stage,
		UserAgent: clip(userAgent, 300), CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(life)}
	sess.idleExpiresAt = minTime(now.Add(s.idle(u.Role)), sess.ExpiresAt)
	_, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, id, user_id, program_id, stage, user_agent, created_at,
		last_seen_at, idle_expires_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		hash, sess.ID, sess.UserID, sess.ProgramID, sess.Stage, sess.UserAgent, now, now, sess.idleExpiresAt, sess.ExpiresAt)
	if err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// clip cuts s to at most n bytes on a rune boundary and drops invalid UTF-8.
func clip(s string, n int) string {
	if !utf8.ValidString(s) {
		s = string([]rune(s))
	}
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// SignIn checks an email and password and, on success, starts a new
// session (a fresh token at every sign-in). Staff with a second factor
// start at StageSecondFactor, staff without one at StageEnroll (StageFull
// in demo mode), alumni and family at StageFull. Failures return
// ErrBadCredentials, the same for an unknown email, a wrong password and a
// disabled account; too many recent failures return *ThrottledError; the
// right password of a suspended account returns ErrSuspended.
// Audited as "signin.success" or "signin.failure" (never with the email).
// A password hashed with weaker parameters than today's is rehashed.
func (s *Service) SignIn(ctx context.Context, email, password, clientAddr, userAgent, requestID string) (string, *Session, error) {
	email = normalizeEmail(email)
	now := s.now()
	keys := s.throttleKeys(email, clientAddr)
	if err := s.checkSignIn(ctx, keys, now); err != nil {
		var te *ThrottledError
		if errors.As(err, &te) {
			_ = audit.RecordNow(ctx, s.db, access.Actor{RequestID: requestID},
				audit.Event{Action: "signin.failure", Detail: map[string]string{"reason": "throttled"}})
		}
		return "", nil, err
	}

	var (
		u       *User
		encoded string
	)
	if len(email) <= 254 && len(password) <= 4*MaxPasswordLength {
		row := s.db.QueryRow(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = ?`, email)
		var err error
		u, encoded, err = scanUserHash(row)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return "", nil, err
		}
	}
	ok, rehash := s.checkPassword(password, encoded)
	if !ok || u == nil || u.Disabled {
		reason := "password"
		actor := access.Actor{RequestID: requestID}
		ev := audit.Event{Action: "signin.failure", Detail: map[string]string{}}
		switch {
		case u == nil:
			reason = "unknown"
		case u.Disabled:
			reason = "disabled"
		}
		if u != nil {
			ev.SubjectType, ev.SubjectID, ev.ProgramID = "user", u.ID, u.ProgramID
		}
		ev.Detail["reason"] = reason
		err := s.db.Tx(ctx, func(tx *db.Tx) error {
			if err := s.recordFailure(ctx, tx, keys.pair, accountFreeFailures, now); err != nil {
				return err
			}
			if err := s.recordFailure(ctx, tx, keys.account, accountFreeFailures, now); err != nil {
				return err
			}
			if err := s.recordFailure(ctx, tx, keys.address, addressFreeFailures, now); err != nil {
				return err
			}
			return audit.Record(ctx, tx, actor, ev)
		})
		if err != nil {
			return "", nil, err
		}
		return "", nil, ErrBadCredentials
	}

	if paused, err := suspended(ctx, s.db, u.ID, now); err != nil {
		return "", nil, err
	} else if paused {
		_ = audit.RecordNow(ctx, s.db, access.Actor{RequestID: requestID}, audit.Event{Action: "signin.failure",
			SubjectType: "user", SubjectID: u.ID, ProgramID: u.ProgramID, Detail: map[string]string{"reason": "suspended"}})
		return "", nil, ErrSuspended
	}
	var newHash string
	if rehash {
		newHash = hashPassword(password, s.argon)
	}
	var (
		token string
		sess  *Session
	)
	err := s.db.Tx(ctx, func(tx *db.Tx) error {
		if newHash != "" {
			if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, newHash, now, u.ID); err != nil {
				return err
			}
		}
		if err := clearThrottle(ctx, tx, keys.pair, keys.account); err != nil {
			return err
		}
		var err error
		token, sess, err = s.createSession(ctx, tx, u, s.stageFor(u), userAgent)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.Actor(requestID), audit.Event{Action: "signin.success", SubjectType: "user",
			SubjectID: u.ID, Detail: map[string]string{"stage": sess.Stage}})
	})
	if err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

func scanUserHash(row interface{ Scan(...any) error }) (*User, string, error) {
	var u User
	var role, hash string
	var totp, disabled sql.NullTime
	if err := row.Scan(&u.ID, &u.ProgramID, &u.Email, &u.FirstName, &u.LastName, &role, &totp, &disabled, &u.CreatedAt, &hash); err != nil {
		return nil, "", db.Err(err)
	}
	u.Role = access.Role(role)
	u.TOTPEnabled = totp.Valid
	u.Disabled = disabled.Valid
	return &u, hash, nil
}

const sessionColumns = `s.id, s.user_id, s.program_id, s.stage, s.user_agent, s.created_at, s.last_seen_at, s.expires_at, s.idle_expires_at`

func scanSession(row interface{ Scan(...any) error }) (*Session, error) {
	var x Session
	if err := row.Scan(&x.ID, &x.UserID, &x.ProgramID, &x.Stage, &x.UserAgent, &x.CreatedAt, &x.LastSeenAt, &x.ExpiresAt, &x.idleExpiresAt); err != nil {
		return nil, db.Err(err)
	}
	return &x, nil
}

// live reports whether the session is neither idle-expired (by the user's
// current role) nor past its absolute end at now.
func (s *Service) live(x *Session, role access.Role, now time.Time) bool {
	return now.Before(x.ExpiresAt) && now.Before(x.LastSeenAt.Add(s.idle(role)))
}

// session loads the live session and its user for token.
func (s *Service) session(ctx context.Context, q db.Querier, token string) (*Session, *User, string, error) {
	hash, err := ParseToken(token)
	if err != nil {
		return nil, nil, "", ErrNoSession
	}
	// One query for both: every signed-in request runs it.
	var x Session
	var u User
	var role string
	var totpAt, disabledAt sql.NullTime
	err = db.Err(q.QueryRow(ctx, `SELECT `+sessionColumns+`,
		u.id, u.program_id, u.email, u.first_name, u.last_name, u.role, u.totp_enabled_at, u.disabled_at, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, hash).Scan(
		&x.ID, &x.UserID, &x.ProgramID, &x.Stage, &x.UserAgent, &x.CreatedAt, &x.LastSeenAt, &x.ExpiresAt, &x.idleExpiresAt,
		&u.ID, &u.ProgramID, &u.Email, &u.FirstName, &u.LastName, &role, &totpAt, &disabledAt, &u.CreatedAt))
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil, "", ErrNoSession
	}
	if err != nil {
		return nil, nil, "", err
	}
	u.Role, u.TOTPEnabled, u.Disabled = access.Role(role), totpAt.Valid, disabledAt.Valid
	if u.Disabled || !s.live(&x, u.Role, s.now()) {
		return nil, nil, "", ErrNoSession
	}
	return &x, &u, hash, nil
}

// Authenticate returns the session named by token and its user, or
// ErrNoSession when the token is malformed or unknown, the session idle
// (by the user's role) or past its lifetime, or the user disabled. It
// records activity at most once a minute. Only a session at StageFull is
// signed in; callers send the others to the second-factor or enrolment page.
func (s *Service) Authenticate(ctx context.Context, token string) (*Session, *User, error) {
	return s.authenticate(ctx, token, true)
}

// Check is Authenticate without recording activity, for requests the
// browser makes by itself (the live-update stream reconnecting): an open
// tab must not keep a staff session alive past its idle timeout.
func (s *Service) Check(ctx context.Context, token string) (*Session, *User, error) {
	return s.authenticate(ctx, token, false)
}

func (s *Service) authenticate(ctx context.Context, token string, touch bool) (*Session, *User, error) {
	x, u, hash, err := s.session(ctx, s.db, token)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	if touch && now.Sub(x.LastSeenAt) >= touchEvery {
		idle := minTime(now.Add(s.idle(u.Role)), x.ExpiresAt)
		if _, err := s.db.Exec(ctx, `UPDATE sessions SET last_seen_at = ?, idle_expires_at = ? WHERE token_hash = ?`,
			now, idle, hash); err != nil {
			return nil, nil, err
		}
		x.LastSeenAt, x.idleExpiresAt = now, idle
	}
	return x, u, nil
}

// SignOut ends the session named by token. An unknown token is not an
// error. Audited as "signout".
func (s *Service) SignOut(ctx context.Context, token string) error {
	hash, err := ParseToken(token)
	if err != nil {
		return nil
	}
	return s.db.Tx(ctx, func(tx *db.Tx) error {
		x, err := scanSession(tx.QueryRow(ctx, `SELECT `+sessionColumns+` FROM sessions s WHERE s.token_hash = ?`, hash))
		if errors.Is(err, db.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash); err != nil {
			return err
		}
		u, err := getUser(ctx, tx, x.UserID)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.Actor(""), audit.Event{Action: "signout", SubjectType: "session", SubjectID: x.ID})
	})
}

// ListSessions returns the actor's own live sessions, newest first.
func (s *Service) ListSessions(ctx context.Context, actor access.Actor) ([]*Session, error) {
	if err := access.OwnAccount(actor, actor.UserID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT `+sessionColumns+` FROM sessions s WHERE s.user_id = ?
		ORDER BY s.created_at DESC, s.id DESC`, actor.UserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := s.now()
	var out []*Session
	for rows.Next() {
		x, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		if s.live(x, actor.Role, now) {
			out = append(out, x)
		}
	}
	return out, db.Err(rows.Err())
}

// RevokeSession ends one of the actor's own sessions by its public id;
// another person's session is access.ErrNotFound. Audited as
// "session.revoke".
func (s *Service) RevokeSession(ctx context.Context, actor access.Actor, sessionID string) error {
	if err := access.OwnAccount(actor, actor.UserID); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM sessions WHERE id = ? AND user_id = ?`, sessionID, actor.UserID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return access.ErrNotFound
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "session.revoke", SubjectType: "session", SubjectID: sessionID})
	})
}

// rotate replaces the session named by hash with a new one at stage, for
// the same user and user agent, and returns the new token.
func (s *Service) rotate(ctx context.Context, tx *db.Tx, hash string, x *Session, u *User, stage string) (string, error) {
	res, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash)
	if err != nil {
		return "", err
	}
	if rowsAffected(res) != 1 {
		// Another request rotated or ended this session first.
		return "", ErrNoSession
	}
	token, _, err := s.createSession(ctx, tx, u, stage, x.UserAgent)
	return token, err
}
