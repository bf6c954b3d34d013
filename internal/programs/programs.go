// Package programs keeps the programs (tenants) of an installation: an
// alumni program's name, time zone, phone, address and public description.
// Every member-owned row belongs to exactly one program.
package programs

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Program is one alumni program.
type Program struct {
	ID          string
	Name        string
	TimeZone    string
	Phone       string
	Address     string
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Location returns the program's time zone (UTC if it cannot be loaded).
func (p *Program) Location() *time.Location {
	loc, err := loadLocation(p.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// TelURI returns the program's phone as a tel: URI (digits and a leading +).
func (p *Program) TelURI() string { return TelURI(p.Phone) }

// TelURI turns a phone number as people write it into a tel: URI.
func TelURI(phone string) string {
	var b strings.Builder
	for i, r := range phone {
		if r >= '0' && r <= '9' || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if len(d) == 10 && !strings.HasPrefix(d, "+") {
		d = "+1" + d
	}
	return "tel:" + d
}

// FieldError names the field that is wrong and says why, in words for people.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Settings are the fields an admin edits.
type Settings struct {
	Name        string
	TimeZone    string
	Phone       string
	Address     string
	Description string
}

// Validate checks the settings and returns a *FieldError for the first bad one.
func (s *Settings) Validate() error {
	s.Name = strings.TrimSpace(s.Name)
	s.TimeZone = strings.TrimSpace(s.TimeZone)
	s.Phone = strings.TrimSpace(s.Phone)
	s.Address = strings.TrimSpace(s.Address)
	switch {
	case s.Name == "":
		return &FieldError{"name", "Enter the program's name."}
	case utf8.RuneCountInString(s.Name) > 120:
		return &FieldError{"name", "Use at most 120 characters."}
	case s.TimeZone == "":
		return &FieldError{"timezone", "Enter a time zone such as America/Chicago."}
	case utf8.RuneCountInString(s.Phone) > 40:
		return &FieldError{"phone", "Use at most 40 characters."}
	case utf8.RuneCountInString(s.Address) > 300:
		return &FieldError{"address", "Use at most 300 characters."}
	case utf8.RuneCountInString(s.Description) > 10000:
		return &FieldError{"description", "Use at most 10,000 characters."}
	}
	if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "Local" {
		return &FieldError{"timezone", fmt.Sprintf("%q is not a known time zone; use a name such as America/Chicago.", s.TimeZone)}
	}
	if s.Phone != "" && len(strings.TrimPrefix(TelURI(s.Phone), "tel:")) < 3 {
		return &FieldError{"phone", "Enter a phone number with digits."}
	}
	return nil
}

// Create adds a program. Only the installation itself (command line, demo)
// creates programs.
func Create(ctx context.Context, d *db.DB, s Settings) (*Program, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	p := &Program{ID: uuid.Must(uuid.NewV7()).String(), Name: s.Name, TimeZone: s.TimeZone, Phone: s.Phone,
		Address: s.Address, Description: s.Description, CreatedAt: now, UpdatedAt: now}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO programs (id, name, timezone, phone, address, description, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, p.Name, p.TimeZone, p.Phone, p.Address, p.Description, now, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, access.System(p.ID), audit.Event{Action: "program.create", SubjectType: "program", SubjectID: p.ID})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

const columns = `id, name, timezone, phone, address, description, created_at, updated_at`

func scan(row interface{ Scan(...any) error }) (*Program, error) {
	var p Program
	err := row.Scan(&p.ID, &p.Name, &p.TimeZone, &p.Phone, &p.Address, &p.Description, &p.CreatedAt, &p.UpdatedAt)
	if err != nil {
		return nil, db.Err(err)
	}
	return &p, nil
}

// Get returns the program with id. Programs are public facts (the landing
// page shows them), so no actor is needed.
func Get(ctx context.Context, q db.Querier, id string) (*Program, error) {
	return scan(q.QueryRow(ctx, `SELECT `+columns+` FROM programs WHERE id = ?`, id))
}

// List returns every program, oldest first.
func List(ctx context.Context, q db.Querier) ([]*Program, error) {
	rows, err := q.Query(ctx, `SELECT `+columns+` FROM programs ORDER BY created_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Program
	for rows.Next() {
		p, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// FindByName returns the program with exactly this name.
func FindByName(ctx context.Context, q db.Querier, name string) (*Program, error) {
	return scan(q.QueryRow(ctx, `SELECT `+columns+` FROM programs WHERE name = ? ORDER BY created_at LIMIT 1`, name))
}

// Update changes the program's settings; admins of the program only.
func Update(ctx context.Context, d *db.DB, actor access.Actor, id string, s Settings) (*Program, error) {
	if err := access.EditProgram(actor, id); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE programs SET name = ?, timezone = ?, phone = ?, address = ?, description = ?, updated_at = ?
			WHERE id = ?`, s.Name, s.TimeZone, s.Phone, s.Address, s.Description, time.Now().UTC(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "program.update", SubjectType: "program", SubjectID: id})
	})
	if err != nil {
		return nil, err
	}
	return Get(ctx, d, id)
}
