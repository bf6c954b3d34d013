// Package auth keeps Cairn's accounts: users, passwords (argon2id),
// server-side sessions, sign-in throttling, the TOTP second factor with
// recovery codes, invitations and password resets.
//
// Secrets never rest in the clear: passwords are argon2id hashes, session,
// invitation and reset tokens are stored as SHA-256 hashes, recovery codes as
// SHA-256 hashes, TOTP secrets are sealed with AES-256-GCM, and throttle keys
// are HMACs of the email or address. Every change is audited in the same
// transaction.
package auth

import (
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
)

// Default session timeouts, used when Options leaves them zero.
const (
	DefaultStaffIdle  = 30 * time.Minute
	DefaultMemberIdle = 7 * 24 * time.Hour
	DefaultLifetime   = 30 * 24 * time.Hour
)

// Lifetimes of the links sent by email and of a half-signed-in session.
const (
	InvitationLifetime = 7 * 24 * time.Hour
	ResetLifetime      = time.Hour
	// pendingLifetime bounds a session that still waits for its second
	// factor or enrolment.
	pendingLifetime = 15 * time.Minute
	// touchEvery is how often Authenticate writes last_seen_at at most.
	touchEvery = time.Minute
)

// Options configure a Service.
type Options struct {
	// SecretKey keys the HMACs of throttle keys and the encryption of TOTP
	// secrets (at least 32 random bytes; config.Config provides it). It must
	// stay the same across restarts and instances, or enrolled second
	// factors stop working.
	SecretKey []byte
	// BaseURL is the public address used in links sent by email, e.g.
	// http://127.0.0.1:8080 (no trailing slash needed).
	BaseURL string
	// StaffIdle and MemberIdle are the idle timeouts of sessions for staff
	// (coach, coordinator, admin) and for alumni and family; Lifetime is the
	// absolute lifetime of any session. Zero means the defaults.
	StaffIdle, MemberIdle, Lifetime time.Duration
	// Now is the clock; nil means time.Now. Tests move it.
	Now func() time.Time
	// Argon sets the password hashing cost; nil means DefaultArgon2Params.
	// Only tests lower it (see CheapArgon2ParamsForTests).
	Argon *Argon2Params
	// Demo lets staff skip second-factor enrolment (their sessions start
	// at StageFull). Never set it for real data.
	Demo bool
}

// Service holds account logic. Construct it with New; it is safe for
// concurrent use.
type Service struct {
	db         *db.DB
	secret     []byte
	baseURL    string
	staffIdle  time.Duration
	memberIdle time.Duration
	lifetime   time.Duration
	clock      func() time.Time
	argon      Argon2Params
	demo       bool
	totpKey    [32]byte
	dummyHash  string
}

// New returns a Service on d.
func New(d *db.DB, opts Options) *Service {
	s := &Service{
		db:         d,
		secret:     append([]byte(nil), opts.SecretKey...),
		baseURL:    trimSlash(opts.BaseURL),
		staffIdle:  opts.StaffIdle,
		memberIdle: opts.MemberIdle,
		lifetime:   opts.Lifetime,
		clock:      opts.Now,
		argon:      DefaultArgon2Params,
		demo:       opts.Demo,
	}
	if s.staffIdle <= 0 {
		s.staffIdle = DefaultStaffIdle
	}
	if s.memberIdle <= 0 {
		s.memberIdle = DefaultMemberIdle
	}
	if s.lifetime <= 0 {
		s.lifetime = DefaultLifetime
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if opts.Argon != nil {
		s.argon = *opts.Argon
	}
	s.totpKey = deriveKey(s.secret, "totp")
	// The dummy hash is verified against when the email is unknown, so that
	// unknown and known accounts cost the same time.
	s.dummyHash = hashPassword("cairn dummy password", s.argon)
	return s
}

// now is the clock in UTC, at the precision both engines store.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

func trimSlash(u string) string {
	for len(u) > 0 && u[len(u)-1] == '/' {
		u = u[:len(u)-1]
	}
	return u
}

// FieldError says which form field is wrong and why, in words for people.
type FieldError struct {
	// Field is the form field's name, e.g. "email" or "password".
	Field string
	// Message is shown to the person.
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Errors returned by the Service; compare with errors.Is.
var (
	// ErrBadCredentials is the one answer to a failed sign-in, whether the
	// email is unknown, the password wrong or the account disabled.
	ErrBadCredentials error = message("That email and password do not match.")
	// ErrInvalidToken means an invitation or reset link is unknown, used,
	// revoked or expired; the reasons are not told apart.
	ErrInvalidToken error = message("This link is no longer valid. Ask for a new one.")
	// ErrNoSession means the session token is unknown, expired, belongs to
	// a disabled account, or the session is not at the stage the call needs.
	ErrNoSession = errors.New("not signed in")
)

// message is an error whose text is written for people, so handlers may
// show it as it is.
type message string

func (m message) Error() string { return string(m) }

// ThrottledError is returned by SignIn (and VerifySecondFactor) when too
// many recent failures require the caller to wait.
type ThrottledError struct {
	// RetryAfter is how long to wait before the next attempt.
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many attempts; try again in %s", e.RetryAfter.Round(time.Second))
}
