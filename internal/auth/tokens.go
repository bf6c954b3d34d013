package auth

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// API tokens are personal access tokens for the JSON API: "cairn_" and 32
// base64url characters (192 random bits). The raw token is shown once, when
// it is made; the database keeps its SHA-256 only.
const (
	// APITokenPrefix starts every API token, so that a leaked one is easy
	// to recognise (and to search for in code and logs).
	APITokenPrefix = "cairn_"
	// APITokenLength is the length of a raw API token, prefix included.
	APITokenLength = len(APITokenPrefix) + apiTokenChars
	// MaxAPITokens is how many live (unrevoked) tokens one account may hold.
	MaxAPITokens = 50
	// DefaultAPITokenName names a token made without a name.
	DefaultAPITokenName = "API token"

	apiTokenChars = 32
	apiTokenBytes = 24
	maxTokenName  = 100
)

// Token is a personal access token for the JSON API, without its secret.
type Token struct {
	ID, UserID, ProgramID, Name string
	CreatedAt                   time.Time
	// LastUsedAt is when the token last authenticated a request (to the
	// minute), or nil when it never has.
	LastUsedAt *time.Time
}

// ParseAPIToken checks that s has exactly the shape of an API token ("cairn_"
// and 32 base64url characters that canonically encode 24 bytes) and returns
// the SHA-256 hex that is stored for it. Anything else is refused before the
// database is asked.
func ParseAPIToken(s string) (hash string, err error) {
	if len(s) != APITokenLength || !strings.HasPrefix(s, APITokenPrefix) {
		return "", errMalformedToken
	}
	body := s[len(APITokenPrefix):]
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return "", errMalformedToken
		}
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(body)
	if err != nil || len(b) != apiTokenBytes {
		return "", errMalformedToken
	}
	return hashToken(s), nil
}

// newAPIToken returns a fresh raw API token and its hash.
func newAPIToken() (raw, hash string) {
	b := make([]byte, apiTokenBytes)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	raw = APITokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return raw, hashToken(raw)
}

// validateTokenName trims a token's name; an empty one becomes
// DefaultAPITokenName.
func validateTokenName(name string) (string, error) {
	const field = "name"
	name = strings.TrimSpace(name)
	if name == "" {
		return DefaultAPITokenName, nil
	}
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxTokenName {
		return "", &FieldError{field, "Use at most 100 characters."}
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "", &FieldError{field, "Use letters, digits, spaces and punctuation only."}
		}
	}
	return name, nil
}

// CreateToken makes a new API token for the actor's own account and
// returns the raw token, which is never shown again. A bad name gives a
// *FieldError on "name", as does holding MaxAPITokens live tokens already.
// Audited as "api_token.create".
func (s *Service) CreateToken(ctx context.Context, actor access.Actor, name string) (string, *Token, error) {
	if err := access.OwnAccount(actor, actor.UserID); err != nil {
		return "", nil, err
	}
	name, err := validateTokenName(name)
	if err != nil {
		return "", nil, err
	}
	var (
		raw string
		t   *Token
	)
	err = s.db.Tx(ctx, func(tx *db.Tx) error {
		u, err := getUser(ctx, tx, actor.UserID)
		if errors.Is(err, db.ErrNotFound) || err == nil && (u.Disabled || u.ProgramID != actor.ProgramID) {
			return access.ErrNotFound
		}
		if err != nil {
			return err
		}
		raw, t, err = s.insertToken(ctx, tx, actor, u, name)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return raw, t, nil
}

// CreateTokenFor makes a new API token for the account with email, for the
// installation itself (`cairn token create`). Only access.System actors may
// call it; one with a program id finds accounts of that program only. An
// unknown or disabled account gives a *FieldError on "email", a bad name
// one on "name". Audited as "api_token.create".
func (s *Service) CreateTokenFor(ctx context.Context, system access.Actor, email, name string) (string, *Token, error) {
	if !system.IsSystem() {
		return "", nil, access.ErrNotFound
	}
	email = normalizeEmail(email)
	if err := validateEmail(email); err != nil {
		return "", nil, err
	}
	name, err := validateTokenName(name)
	if err != nil {
		return "", nil, err
	}
	var (
		raw string
		t   *Token
	)
	err = s.db.Tx(ctx, func(tx *db.Tx) error {
		u, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
		if errors.Is(err, db.ErrNotFound) || err == nil && system.ProgramID != "" && u.ProgramID != system.ProgramID {
			return &FieldError{"email", "No account has that email address."}
		}
		if err != nil {
			return err
		}
		if u.Disabled {
			return &FieldError{"email", "That account is disabled."}
		}
		raw, t, err = s.insertToken(ctx, tx, system, u, name)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return raw, t, nil
}

// insertToken stores a new token for u inside tx and audits it.
func (s *Service) insertToken(ctx context.Context, tx *db.Tx, actor access.Actor, u *User, name string) (string, *Token, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL`, u.ID).Scan(&n); err != nil {
		return "", nil, db.Err(err)
	}
	if n >= MaxAPITokens {
		return "", nil, &FieldError{"name", "You have as many tokens as an account may hold. Revoke one you no longer use first."}
	}
	raw, hash := newAPIToken()
	t := &Token{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID, ProgramID: u.ProgramID, Name: name, CreatedAt: s.now()}
	if _, err := tx.Exec(ctx, `INSERT INTO api_tokens (id, user_id, program_id, name, token_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, t.ID, t.UserID, t.ProgramID, t.Name, hash, t.CreatedAt); err != nil {
		return "", nil, err
	}
	err := audit.Record(ctx, tx, actor, audit.Event{Action: "api_token.create", SubjectType: "api_token", SubjectID: t.ID,
		ProgramID: u.ProgramID, Detail: map[string]string{"user_id": u.ID}})
	if err != nil {
		return "", nil, err
	}
	return raw, t, nil
}

const tokenColumns = `t.id, t.user_id, t.program_id, t.name, t.created_at, t.last_used_at`

func scanToken(row interface{ Scan(...any) error }) (*Token, error) {
	var t Token
	var used sql.NullTime
	if err := row.Scan(&t.ID, &t.UserID, &t.ProgramID, &t.Name, &t.CreatedAt, &used); err != nil {
		return nil, db.Err(err)
	}
	if used.Valid {
		at := used.Time.UTC()
		t.LastUsedAt = &at
	}
	t.CreatedAt = t.CreatedAt.UTC()
	return &t, nil
}

// ListTokens returns the actor's own live (unrevoked) tokens, newest first.
func (s *Service) ListTokens(ctx context.Context, actor access.Actor) ([]*Token, error) {
	if err := access.OwnAccount(actor, actor.UserID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT `+tokenColumns+` FROM api_tokens t
		WHERE t.user_id = ? AND t.revoked_at IS NULL ORDER BY t.created_at DESC, t.id DESC`, actor.UserID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanToken)
}

// RevokeToken revokes one of the actor's own live tokens by id; from then
// on it authenticates nothing. Another person's token, or one already
// revoked, is access.ErrNotFound. Audited as "api_token.revoke".
func (s *Service) RevokeToken(ctx context.Context, actor access.Actor, id string) error {
	if err := access.OwnAccount(actor, actor.UserID); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`,
			s.now(), id, actor.UserID)
		if err != nil {
			return err
		}
		if rowsAffected(res) == 0 {
			return access.ErrNotFound
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "api_token.revoke", SubjectType: "api_token", SubjectID: id})
	})
}

// AuthenticateToken returns the live token named by raw and its account,
// or ErrNoSession when raw is malformed or unknown, the token revoked, or
// the account disabled or suspended. It records use at most once a
// minute, so that a busy client costs one read per request.
func (s *Service) AuthenticateToken(ctx context.Context, raw string) (*Token, *User, error) {
	hash, err := ParseAPIToken(raw)
	if err != nil {
		return nil, nil, ErrNoSession
	}
	var (
		u                  User
		role               string
		totpAt, disabledAt sql.NullTime
		t                  Token
		used               sql.NullTime
	)
	err = db.Err(s.db.QueryRow(ctx, `SELECT `+tokenColumns+`,
		u.id, u.program_id, u.email, u.first_name, u.last_name, u.role, u.totp_enabled_at, u.disabled_at, u.created_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM suspensions x WHERE x.user_id = u.id AND x.lifted_at IS NULL
			AND (x.ends_at IS NULL OR x.ends_at > ?))`, hash, s.now().UTC()).Scan(
		&t.ID, &t.UserID, &t.ProgramID, &t.Name, &t.CreatedAt, &used,
		&u.ID, &u.ProgramID, &u.Email, &u.FirstName, &u.LastName, &role, &totpAt, &disabledAt, &u.CreatedAt))
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil, ErrNoSession
	}
	if err != nil {
		return nil, nil, err
	}
	u.Role, u.TOTPEnabled, u.Disabled = access.Role(role), totpAt.Valid, disabledAt.Valid
	if u.Disabled {
		return nil, nil, ErrNoSession
	}
	t.CreatedAt = t.CreatedAt.UTC()
	if used.Valid {
		at := used.Time.UTC()
		t.LastUsedAt = &at
	}
	now := s.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchEvery {
		if _, err := s.db.Exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, t.ID); err != nil {
			return nil, nil, err
		}
		t.LastUsedAt = &now
	}
	return &t, &u, nil
}
