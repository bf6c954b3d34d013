package auth

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// User is an account in one program.
type User struct {
	ID, ProgramID, Email, FirstName, LastName string
	Role                                      access.Role
	// TOTPEnabled reports whether the second factor is set up.
	TOTPEnabled bool
	// Disabled accounts cannot sign in and have no sessions.
	Disabled  bool
	CreatedAt time.Time
}

// DisplayName is how Cairn shows a person by default: first name and last
// initial ("Alex R."), the first name alone, or the local part of the
// email when no name is known.
func (u *User) DisplayName() string {
	first := strings.TrimSpace(u.FirstName)
	last := strings.TrimSpace(u.LastName)
	if first == "" {
		if i := strings.IndexByte(u.Email, '@'); i > 0 {
			return u.Email[:i]
		}
		return u.Email
	}
	if last == "" {
		return first
	}
	r, _ := utf8.DecodeRuneInString(last)
	return first + " " + string(unicode.ToUpper(r)) + "."
}

// Actor is the user acting in their program, for one request.
func (u *User) Actor(requestID string) access.Actor {
	return access.Actor{UserID: u.ID, ProgramID: u.ProgramID, Role: u.Role, RequestID: requestID}
}

// NewUser is what CreateUser needs.
type NewUser struct {
	ProgramID, Email, FirstName, LastName string
	Role                                  access.Role
	Password                              string

	// hash is the password's hash when computed before the transaction,
	// so that the ~50 ms of argon2 never holds the database's writer.
	hash string
}

// withHash validates the password and hashes it, outside any transaction.
func (s *Service) withHash(in NewUser) (NewUser, error) {
	if err := ValidatePassword(in.Password); err != nil {
		return in, err
	}
	in.hash = hashPassword(in.Password, s.argon)
	return in, nil
}

const userColumns = `id, program_id, email, first_name, last_name, role, totp_enabled_at, disabled_at, created_at`

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	var u User
	var role string
	var totp, disabled sql.NullTime
	if err := row.Scan(&u.ID, &u.ProgramID, &u.Email, &u.FirstName, &u.LastName, &role, &totp, &disabled, &u.CreatedAt); err != nil {
		return nil, db.Err(err)
	}
	u.Role = access.Role(role)
	u.TOTPEnabled = totp.Valid
	u.Disabled = disabled.Valid
	return &u, nil
}

func getUser(ctx context.Context, q db.Querier, id string) (*User, error) {
	return scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// normalizeEmail trims and lower-cases an email, as it is stored.
func normalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// validateEmail checks the shape of a normalized email.
func validateEmail(email string) error {
	const field = "email"
	if email == "" {
		return &FieldError{field, "Enter an email address."}
	}
	if len(email) > 254 || !utf8.ValidString(email) {
		return &FieldError{field, "That email address is too long."}
	}
	at := strings.LastIndexByte(email, '@')
	if at < 1 || at == len(email)-1 || strings.Count(email, "@") != 1 {
		return &FieldError{field, "Enter an email address like name@example.org."}
	}
	for _, r := range email {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '<' || r == '>' || r == ',' || r == ';' || r == '"' {
			return &FieldError{field, "Enter an email address like name@example.org."}
		}
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return &FieldError{field, "Enter an email address like name@example.org."}
	}
	domain := email[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return &FieldError{field, "Enter an email address like name@example.org."}
	}
	return nil
}

// validateName checks a first or last name.
func validateName(field, name string, required bool) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" && required {
		return "", &FieldError{field, "Enter a name."}
	}
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > 100 {
		return "", &FieldError{field, "Use at most 100 characters."}
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "", &FieldError{field, "Use letters, spaces and punctuation only."}
		}
	}
	return name, nil
}

func validRole(r access.Role) bool {
	_, err := access.ParseRole(string(r))
	return err == nil
}

// CreateUser adds an account directly (command line, demo seeding, or staff
// allowed by access.Invite to give that role in the program). Bad fields
// give a *FieldError; an email already in use gives a *FieldError on "email".
func (s *Service) CreateUser(ctx context.Context, actor access.Actor, in NewUser) (*User, error) {
	if !validRole(in.Role) {
		return nil, &FieldError{"role", "Choose a role."}
	}
	if err := access.Invite(actor, in.ProgramID, in.Role); err != nil {
		return nil, err
	}
	in, err := s.withHash(in)
	if err != nil {
		return nil, err
	}
	var u *User
	err = s.db.Tx(ctx, func(tx *db.Tx) error {
		var err error
		u, err = s.insertUser(ctx, tx, actor, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// insertUser validates in and inserts the user inside tx, auditing
// "user.create".
func (s *Service) insertUser(ctx context.Context, tx *db.Tx, actor access.Actor, in NewUser) (*User, error) {
	email := normalizeEmail(in.Email)
	if err := validateEmail(email); err != nil {
		return nil, err
	}
	first, err := validateName("first_name", in.FirstName, false)
	if err != nil {
		return nil, err
	}
	last, err := validateName("last_name", in.LastName, false)
	if err != nil {
		return nil, err
	}
	if !validRole(in.Role) {
		return nil, &FieldError{"role", "Choose a role."}
	}
	if in.hash == "" {
		var err error
		if in, err = s.withHash(in); err != nil {
			return nil, err
		}
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, email).Scan(&n); err != nil {
		return nil, db.Err(err)
	}
	if n > 0 {
		return nil, &FieldError{"email", "That person already has an account."}
	}
	now := s.now()
	u := &User{ID: uuid.Must(uuid.NewV7()).String(), ProgramID: in.ProgramID, Email: email,
		FirstName: first, LastName: last, Role: in.Role, CreatedAt: now}
	_, err = tx.Exec(ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, password_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.ProgramID, u.Email, u.FirstName, u.LastName, string(u.Role), in.hash, now, now)
	if errors.Is(err, db.ErrConflict) {
		return nil, &FieldError{"email", "That person already has an account."}
	}
	if err != nil {
		return nil, err
	}
	if err := audit.Record(ctx, tx, actor, audit.Event{Action: "user.create", SubjectType: "user", SubjectID: u.ID,
		ProgramID: u.ProgramID, Detail: map[string]string{"role": string(u.Role)}}); err != nil {
		return nil, err
	}
	return u, nil
}

// GetUser returns one account: the actor's own, or any in the program for
// staff who may view its people. Otherwise access.ErrNotFound.
func (s *Service) GetUser(ctx context.Context, actor access.Actor, id string) (*User, error) {
	u, err := getUser(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if actor.Anonymous() || actor.UserID != u.ID {
		if err := access.ViewPeople(actor, u.ProgramID); err != nil {
			if !(actor.IsSystem() && actor.ProgramID == u.ProgramID) {
				return nil, access.ErrNotFound
			}
		}
	}
	return u, nil
}

// ListUsers returns the program's accounts, by name, for staff allowed by
// access.ViewPeople.
func (s *Service) ListUsers(ctx context.Context, actor access.Actor, programID string) ([]*User, error) {
	if err := access.ViewPeople(actor, programID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT `+userColumns+` FROM users WHERE program_id = ?
		ORDER BY first_name, last_name, email`, programID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanUser)
}

// SetRole changes another person's role (admins only, see
// access.ManageAccount). Audited as "user.role".
func (s *Service) SetRole(ctx context.Context, actor access.Actor, userID string, role access.Role) error {
	if !validRole(role) {
		return &FieldError{"role", "Choose a role."}
	}
	return s.db.Tx(ctx, func(tx *db.Tx) error {
		u, err := getUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if err := access.ManageAccount(actor, u.ProgramID, u.ID); err != nil {
			return err
		}
		if u.Role == role {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET role = ?, updated_at = ? WHERE id = ?`, string(role), s.now(), u.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "user.role", SubjectType: "user", SubjectID: u.ID,
			Detail: map[string]string{"from": string(u.Role), "to": string(role)}})
	})
}

// SetDisabled disables or enables another person's account (admins only,
// see access.ManageAccount). Disabling ends all the person's sessions.
// Audited as "user.disable" or "user.enable".
func (s *Service) SetDisabled(ctx context.Context, actor access.Actor, userID string, disabled bool) error {
	return s.db.Tx(ctx, func(tx *db.Tx) error {
		u, err := getUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if err := access.ManageAccount(actor, u.ProgramID, u.ID); err != nil {
			return err
		}
		if u.Disabled == disabled {
			return nil
		}
		now := s.now()
		action := "user.enable"
		var at any
		if disabled {
			action, at = "user.disable", now
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ?`, at, now, u.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: action, SubjectType: "user", SubjectID: u.ID})
	})
}

// ChangePassword changes the actor's own password and ends all their
// sessions, including the current one; use ChangePasswordKeep to keep the
// session the change was made from. A wrong current password gives a
// *FieldError on "current"; a bad new one a *FieldError on "password".
// Audited as "password.change".
func (s *Service) ChangePassword(ctx context.Context, actor access.Actor, current, next string) error {
	return s.ChangePasswordKeep(ctx, actor, "", current, next)
}

// ChangePasswordKeep is ChangePassword that keeps the session with public
// id keepSessionID (the one the person is using) and ends all others.
func (s *Service) ChangePasswordKeep(ctx context.Context, actor access.Actor, keepSessionID, current, next string) error {
	if err := access.OwnAccount(actor, actor.UserID); err != nil {
		return err
	}
	var encoded string
	err := db.Err(s.db.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ? AND disabled_at IS NULL`, actor.UserID).Scan(&encoded))
	if errors.Is(err, db.ErrNotFound) {
		return access.ErrNotFound
	}
	if err != nil {
		return err
	}
	if ok, _ := s.checkPassword(current, encoded); !ok {
		return &FieldError{"current", "That is not your current password."}
	}
	if err := ValidatePassword(next); err != nil {
		return err
	}
	hash := hashPassword(next, s.argon)
	return s.db.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, s.now(), actor.UserID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, actor.UserID, keepSessionID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, s.now(), actor.UserID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "password.change", SubjectType: "user", SubjectID: actor.UserID})
	})
}

// collect scans every row with scan, closes rows and returns the values in
// order.
func collect[T any](rows *sql.Rows, scan func(row interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, db.Err(rows.Err())
}
