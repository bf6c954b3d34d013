package auth

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
)

const goodPassword = "blue lanterns at dusk"

// clock is a test clock that only moves when told.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }

type fixture struct {
	t     *testing.T
	ctx   context.Context
	d     *db.DB
	s     *Service
	clock *clock
	prog  *programs.Program
}

func newFixture(t *testing.T, d *db.DB, mod ...func(*Options)) *fixture {
	t.Helper()
	ctx := context.Background()
	prog, err := programs.Create(ctx, d, programs.Settings{Name: "Harbor Light Alumni", TimeZone: "America/Chicago"})
	if err != nil {
		t.Fatalf("create program: %v", err)
	}
	c := &clock{t: time.Date(2026, 3, 9, 15, 0, 0, 0, time.UTC)}
	opts := Options{
		SecretKey:  []byte("0123456789abcdef0123456789abcdef"),
		BaseURL:    "http://cairn.test/",
		StaffIdle:  30 * time.Minute,
		MemberIdle: 7 * 24 * time.Hour,
		Lifetime:   30 * 24 * time.Hour,
		Now:        c.now,
		Argon:      CheapArgon2ParamsForTests(),
	}
	for _, m := range mod {
		m(&opts)
	}
	return &fixture{t: t, ctx: ctx, d: d, s: New(d, opts), clock: c, prog: prog}
}

// user creates an account as the installation.
func (f *fixture) user(role access.Role, email, first, last string) *User {
	f.t.Helper()
	u, err := f.s.CreateUser(f.ctx, access.System(f.prog.ID), NewUser{ProgramID: f.prog.ID, Email: email,
		FirstName: first, LastName: last, Role: role, Password: goodPassword})
	if err != nil {
		f.t.Fatalf("create %s: %v", role, err)
	}
	return u
}

// signIn signs in with the good password and fails the test otherwise.
func (f *fixture) signIn(email, addr string) (string, *Session) {
	f.t.Helper()
	token, sess, err := f.s.SignIn(f.ctx, email, goodPassword, addr, "test agent", "req")
	if err != nil {
		f.t.Fatalf("sign in %s: %v", email, err)
	}
	return token, sess
}

func (f *fixture) mustAuth(token string) (*Session, *User) {
	f.t.Helper()
	sess, u, err := f.s.Authenticate(f.ctx, token)
	if err != nil {
		f.t.Fatalf("authenticate: %v", err)
	}
	return sess, u
}

func (f *fixture) noAuth(token, why string) {
	f.t.Helper()
	if _, _, err := f.s.Authenticate(f.ctx, token); !errors.Is(err, ErrNoSession) {
		f.t.Fatalf("%s: Authenticate = %v, want ErrNoSession", why, err)
	}
}

type auditRow struct {
	action, subjectID, detail string
}

// audits returns the audit entries in order.
func (f *fixture) audits() []auditRow {
	f.t.Helper()
	rows, err := f.d.Query(f.ctx, `SELECT action, subject_id, detail FROM audit_log ORDER BY seq`)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(&r.action, &r.subjectID, &r.detail); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, r)
	}
	if _, err := audit.Verify(f.ctx, f.d); err != nil {
		f.t.Fatalf("audit chain: %v", err)
	}
	return out
}

// countAudit counts entries with action (and subject, when given).
func (f *fixture) countAudit(action, subject string) int {
	f.t.Helper()
	n := 0
	for _, r := range f.audits() {
		if r.action == action && (subject == "" || r.subjectID == subject) {
			n++
		}
	}
	return n
}

type sentMail struct{ to, subject, text string }

func (f *fixture) outbox() []sentMail {
	f.t.Helper()
	rows, err := f.d.Query(f.ctx, `SELECT to_address, subject, body_text FROM mail_outbox ORDER BY created_at, id`)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []sentMail
	for rows.Next() {
		var m sentMail
		if err := rows.Scan(&m.to, &m.subject, &m.text); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

var linkToken = regexp.MustCompile(`http://cairn\.test/(invite|reset)/([A-Za-z0-9_-]{22})\b`)

// tokenIn returns the token of the link of kind in text.
func tokenIn(t *testing.T, text, kind string) string {
	t.Helper()
	for _, m := range linkToken.FindAllStringSubmatch(text, -1) {
		if m[1] == kind {
			return m[2]
		}
	}
	t.Fatalf("no %s link in %q", kind, text)
	return ""
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != field {
		t.Fatalf("err = %v, want *FieldError on %q", err, field)
	}
	if strings.TrimSpace(fe.Message) == "" {
		t.Fatalf("FieldError on %q has no message", field)
	}
}
