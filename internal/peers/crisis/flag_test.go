package crisis

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// world is a program with an alumnus who has a coach, an alumnus without
// one, a coordinator and a family member.
type world struct {
	ctx                         context.Context
	d                           *db.DB
	prog                        string
	alex, coach, lone, staff, f access.Actor
}

func addUser(t *testing.T, w *world, role access.Role, first string) access.Actor {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	now := time.Now().UTC()
	if _, err := w.d.Exec(w.ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'Test', ?, ?, ?)`, id, w.prog, strings.ToLower(first)+"-"+id[len(id)-8:]+"@example.test", first, string(role), now, now); err != nil {
		t.Fatalf("add user: %v", err)
	}
	return access.Actor{UserID: id, ProgramID: w.prog, Role: role}
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	w := &world{ctx: context.Background(), d: d}
	p, err := programs.Create(w.ctx, d, programs.Settings{Name: "Harbor Light", TimeZone: "America/Chicago", Phone: "(555) 010-2000"})
	if err != nil {
		t.Fatal(err)
	}
	w.prog = p.ID
	w.alex = addUser(t, w, access.Alumnus, "Alex")
	w.coach = addUser(t, w, access.Coach, "Casey")
	w.lone = addUser(t, w, access.Alumnus, "Lee")
	w.staff = addUser(t, w, access.Coordinator, "Sam")
	w.f = addUser(t, w, access.Family, "Fran")
	if _, err := d.Exec(w.ctx, `INSERT INTO coach_assignments (member_id, coach_id, program_id) VALUES (?, ?, ?)`,
		w.alex.UserID, w.coach.UserID, w.prog); err != nil {
		t.Fatal(err)
	}
	return w
}

// setClock makes the package's clock return at, until the test ends.
func setClock(t *testing.T, at *time.Time) {
	old := clock
	clock = func() time.Time { return *at }
	t.Cleanup(func() { clock = old })
}

func (w *world) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := w.d.QueryRow(w.ctx, query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func (w *world) check(t *testing.T, author access.Actor, text string) bool {
	t.Helper()
	var found bool
	err := w.d.Tx(w.ctx, func(tx *db.Tx) error {
		var err error
		found, err = Check(w.ctx, tx, author, text, Source{Kind: "message", ID: "m-1", Link: "/conversations/c-1"})
		return err
	})
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	return found
}

// TestFlagTellsTheCoach: crisis language is recorded (without its words)
// and the author's coach gets one urgent notification, linking to the
// member's profile, per 30 minutes; every flag is audited.
func TestFlagTellsTheCoach(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		now := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC) // night in Chicago
		setClock(t, &now)
		// The coach's quiet hours never delay an urgent notification.
		p, err := notify.GetPrefs(w.ctx, d, w.coach)
		if err != nil {
			t.Fatal(err)
		}
		p.QuietStart, p.QuietEnd = "00:00", "23:59"
		if err := notify.SavePrefs(w.ctx, d, w.coach, p); err != nil {
			t.Fatal(err)
		}
		const secret = "I want to kill myself, nobody knows about the 7 pills"
		if w.check(t, w.alex, "See you at dinner on Friday") {
			t.Fatal("a plain message matched")
		}
		if n := w.count(t, `SELECT COUNT(*) FROM crisis_flags`); n != 0 {
			t.Fatalf("%d flags after a plain message", n)
		}
		if !w.check(t, w.alex, secret) {
			t.Fatal("crisis language did not match")
		}
		var title, body, link, kind string
		if err := d.QueryRow(w.ctx, `SELECT title, body, link, kind FROM notifications WHERE user_id = ?`, w.coach.UserID).
			Scan(&title, &body, &link, &kind); err != nil {
			t.Fatalf("coach notification: %v", err)
		}
		if title != flagTitleCoach || link != "/members/"+w.alex.UserID || kind != string(notify.KindSupportRequest) {
			t.Errorf("notification = %q %q %q", title, link, kind)
		}
		for _, s := range []string{title, body} {
			if strings.Contains(s, "kill") || strings.Contains(s, "pills") || strings.Contains(s, "Alex") {
				t.Errorf("the notification tells what was written or who: %q", s)
			}
		}
		var subject, text string
		var next time.Time
		if err := d.QueryRow(w.ctx, `SELECT subject, body_text, next_attempt_at FROM mail_outbox WHERE subject LIKE ?`, "%"+flagTitleCoach+"%").
			Scan(&subject, &text, &next); err != nil {
			t.Fatalf("coach email: %v", err)
		}
		if next.After(time.Now().Add(time.Minute)) { // the outbox uses the real clock
			t.Errorf("the email waits for quiet hours until %v", next)
		}
		if strings.Contains(text, "kill") || strings.Contains(text, "pills") {
			t.Error("the email holds what was written")
		}
		// No column holds the words.
		rows, err := d.Query(w.ctx, `SELECT * FROM crisis_flags`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if s, ok := v.(string); ok && strings.Contains(s, "kill") {
					t.Errorf("column %s holds the words", cols[i])
				}
			}
		}
		rows.Close()
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'crisis.flag' AND subject_id = ? AND actor_id = ?`, w.alex.UserID, w.alex.UserID); n != 1 {
			t.Errorf("audit entries = %d", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%kill%'`); n != 0 {
			t.Error("the audit log holds the words")
		}

		// Twenty minutes later: recorded, but the coach is not told again.
		now = now.Add(20 * time.Minute)
		if !w.check(t, w.alex, "quiero morir") {
			t.Fatal("Spanish crisis language did not match")
		}
		if n := w.count(t, `SELECT COUNT(*) FROM crisis_flags WHERE user_id = ?`, w.alex.UserID); n != 2 {
			t.Errorf("flags = %d, want 2", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, w.coach.UserID); n != 1 {
			t.Errorf("coach notifications = %d, want 1 within 30 minutes", n)
		}
		// Thirty-one minutes after the first notification: told again.
		now = now.Add(11 * time.Minute)
		w.check(t, w.alex, "I want to die")
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, w.coach.UserID); n != 2 {
			t.Errorf("coach notifications = %d, want 2 after 30 minutes", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'crisis.flag'`); n != 3 {
			t.Errorf("audit entries = %d, want one per flag", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, w.staff.UserID); n != 0 {
			t.Errorf("the coordinator was told about a member who has a coach")
		}
	})
}

// TestFlagWithoutCoach: a member with no coach flags to the program's
// coordinators; anonymous and system authors flag nothing; a bad source
// is an error.
func TestFlagWithoutCoach(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		if !w.check(t, w.lone, "me quiero matar") {
			t.Fatal("no match")
		}
		var title, link string
		if err := d.QueryRow(w.ctx, `SELECT title, link FROM notifications WHERE user_id = ?`, w.staff.UserID).Scan(&title, &link); err != nil {
			t.Fatalf("coordinator notification: %v", err)
		}
		if title != flagTitleStaff || link != "/members/"+w.lone.UserID {
			t.Errorf("notification = %q %q", title, link)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, w.coach.UserID); n != 0 {
			t.Error("another member's coach was told")
		}
		// Staff write about crisis in their work; the installation and
		// visitors have nobody to support: no match, no flag.
		for _, a := range []access.Actor{{}, access.System(w.prog), w.coach, w.staff} {
			if w.check(t, a, "If you have thoughts of suicide, call 988. I want to die") {
				t.Errorf("Check reported a match for %q", a.Role)
			}
		}
		if n := w.count(t, `SELECT COUNT(*) FROM crisis_flags`); n != 1 {
			t.Errorf("flags = %d: staff, anonymous or system authors were flagged", n)
		}
		// A family member has no coach: the coordinators are told, with a
		// link to the program's people page.
		if !w.check(t, w.f, "no quiero vivir") {
			t.Fatal("family member's words did not match")
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND link = ?`, w.staff.UserID, "/admin/people/"+w.f.UserID); n != 1 {
			t.Errorf("coordinator notifications about the family member = %d", n)
		}
		err := d.Tx(w.ctx, func(tx *db.Tx) error { return Flag(w.ctx, tx, w.alex, Source{Kind: "Bad Kind!"}) })
		var bad errBadSource
		if !errors.As(err, &bad) {
			t.Errorf("bad source: %v", err)
		}
	})
}

// TestReachOut: a member asks to be contacted now; their coach is told at
// once; pressing again within two minutes tells nobody again; staff and
// visitors may not ask.
func TestReachOut(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
		setClock(t, &now)
		for _, a := range []access.Actor{w.coach, w.staff, {}, access.System(w.prog)} {
			if _, err := ReachOut(w.ctx, d, a); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%q reached out: %v", a.Role, err)
			}
		}
		sent, err := ReachOut(w.ctx, d, w.alex)
		if err != nil || !sent {
			t.Fatalf("reach out: %v %v", sent, err)
		}
		if sent, err := ReachOut(w.ctx, d, w.alex); err != nil || sent {
			t.Errorf("second press: %v %v", sent, err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title = ? AND kind = 'support_request'`, w.coach.UserID, reachTitleCoach); n != 1 {
			t.Errorf("coach notifications = %d", n)
		}
		now = now.Add(3 * time.Minute)
		if sent, err := ReachOut(w.ctx, d, w.alex); err != nil || !sent {
			t.Errorf("after two minutes: %v %v", sent, err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'crisis.reach_out' AND subject_id = ?`, w.alex.UserID); n != 3 {
			t.Errorf("audit entries = %d, want 3", n)
		}
		if sent, err := ReachOut(w.ctx, d, w.f); err != nil || !sent {
			t.Errorf("family member: %v %v", sent, err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title = ?`, w.staff.UserID, reachTitleStaff); n != 1 {
			t.Errorf("coordinator notifications = %d", n)
		}
	})
}
