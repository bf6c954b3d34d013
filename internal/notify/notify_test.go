package notify

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// fixture is a program in America/Chicago with people in it.
type fixture struct {
	d       *db.DB
	program string
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	p, err := programs.Create(context.Background(), d, programs.Settings{Name: "Harbor House", TimeZone: "America/Chicago"})
	if err != nil {
		t.Fatalf("create program: %v", err)
	}
	return &fixture{d: d, program: p.ID}
}

// person adds an alumnus and returns its actor.
func (f *fixture) person(t testing.TB, email string) access.Actor {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	now := time.Now().UTC()
	_, err := f.d.Exec(context.Background(), `INSERT INTO users (id, program_id, email, role, created_at, updated_at)
		VALUES (?, ?, ?, 'alumnus', ?, ?)`, id, f.program, email, now, now)
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	return access.Actor{UserID: id, ProgramID: f.program, Role: access.Alumnus}
}

// send calls Send in its own transaction.
func send(t testing.TB, d *db.DB, userID string, kind Kind, data Data) string {
	t.Helper()
	var id string
	err := d.Tx(context.Background(), func(tx *db.Tx) error {
		var err error
		id, err = Send(context.Background(), tx, userID, kind, data)
		return err
	})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	return id
}

// outboxRow is one outbox row as the tests see it.
type outboxRow struct {
	id, channel, to, subject, text, html, headers string
	next                                          time.Time
}

func outbox(t testing.TB, d *db.DB) []outboxRow {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT id, channel, to_address, subject, body_text, body_html,
		headers, next_attempt_at FROM mail_outbox ORDER BY created_at, id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		var next sql.NullTime
		if err := rows.Scan(&r.id, &r.channel, &r.to, &r.subject, &r.text, &r.html, &r.headers, &next); err != nil {
			t.Fatal(err)
		}
		r.next = next.Time.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func count(t testing.TB, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func isNotFound(err error) bool { return errors.Is(err, access.ErrNotFound) }
