package members

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// chicagoToday is today in the test program's zone.
func chicagoToday(t *testing.T) Date {
	t.Helper()
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	return Today(loc, time.Now())
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var ve ValidationError
	if !errors.As(err, &ve) || ve.For(field) == "" {
		t.Fatalf("err = %v, want a problem with %s", err, field)
	}
}

func TestResetKeepsHistory(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		today := chicagoToday(t)
		first := today.AddYears(-2)
		if err := SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, first, "after treatment"); err != nil {
			t.Fatal(err)
		}
		second := today.AddDays(-40)
		if err := SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, second, "starting again"); err != nil {
			t.Fatal(err)
		}
		r, err := MyRecovery(w.ctx, d, w.alex)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Periods) != 2 || r.Current == nil || r.Current.Start != second || r.Current.Note != "starting again" {
			t.Fatalf("periods = %+v", r.Periods)
		}
		old := r.Periods[1]
		if old.Start != first || old.End != second.AddDays(-1) || old.Note != "after treatment" {
			t.Fatalf("closed period = %+v", old)
		}
		if r.Days != 40 || r.TotalDays != 40+first.DaysUntil(second) {
			t.Errorf("days %d total %d", r.Days, r.TotalDays)
		}
		if r.Span != SpanBetween(second, today) {
			t.Errorf("span %+v", r.Span)
		}
		// Moving the current start back into the closed period is refused.
		wantField(t, SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, second.AddDays(-3), ""), "date")
		// Correcting a start to an earlier day keeps one current period.
		if err := SetRecoveryDate(w.ctx, d, w.peer, w.peer.UserID, today.AddDays(-10), "mine"); err != nil {
			t.Fatal(err)
		}
		if err := SetRecoveryDate(w.ctx, d, w.peer, w.peer.UserID, today.AddDays(-20), ""); err != nil {
			t.Fatal(err)
		}
		pr, _ := MyRecovery(w.ctx, d, w.peer)
		if len(pr.Periods) != 1 || pr.Current.Start != today.AddDays(-20) || pr.Current.Note != "mine" {
			t.Fatalf("after correction: %+v", pr.Periods)
		}
		// The same date again changes nothing.
		if err := SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, second, ""); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM recovery_periods WHERE user_id = ?`, w.alex.UserID).Scan(&n); err != nil || n != 2 {
			t.Fatalf("rows %d %v", n, err)
		}
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM audit_log WHERE subject_id = ? AND action LIKE 'recovery.%'`, w.alex.UserID).Scan(&n); err != nil || n != 2 {
			t.Fatalf("audit entries %d %v", n, err)
		}
	})
}

func TestSetRecoveryDateRules(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		today := chicagoToday(t)
		wantField(t, SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, today.AddDays(1), ""), "date")
		wantField(t, SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, Date{}, ""), "date")
		wantField(t, SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, today, strings.Repeat("x", 1001)), "note")
		if err := SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, today, ""); err != nil {
			t.Fatalf("today refused: %v", err)
		}
		// Nobody but the member may, until the member allows their coach.
		for _, a := range []access.Actor{w.coach, w.buddy, w.peer, w.staff, w.family, w.alien, {}} {
			if err := SetRecoveryDate(w.ctx, d, a, w.alex.UserID, today.AddDays(-5), ""); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s: err = %v", a.Role, err)
			}
		}
		if err := SaveRecoverySettings(w.ctx, d, w.alex, RecoverySettings{CoachMayEdit: true}); err != nil {
			t.Fatal(err)
		}
		wantField(t, SetRecoveryDate(w.ctx, d, w.coach, w.alex.UserID, today.AddDays(-5), "coach note"), "note")
		if err := SetRecoveryDate(w.ctx, d, w.coach, w.alex.UserID, today.AddDays(-5), ""); err != nil {
			t.Fatalf("coach with permission: %v", err)
		}
		for _, a := range []access.Actor{w.staff, w.peer} {
			if err := SetRecoveryDate(w.ctx, d, a, w.alex.UserID, today.AddDays(-6), ""); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s with coach permission on: err = %v", a.Role, err)
			}
		}
		// Only alumni have recovery dates.
		if err := SetRecoveryDate(w.ctx, d, w.staff, w.staff.UserID, today, ""); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("staff's own date: %v", err)
		}
		if _, err := MyRecovery(w.ctx, d, w.staff); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("staff recovery page: %v", err)
		}
		// The installation (roster import) may, in its program only.
		if err := SetRecoveryDate(w.ctx, d, access.System(w.prog), w.peer.UserID, today.AddDays(-100), ""); err != nil {
			t.Errorf("system: %v", err)
		}
		if err := SetRecoveryDate(w.ctx, d, access.System(w.other), w.peer.UserID, today.AddDays(-100), ""); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("system of another program: %v", err)
		}
		s, err := GetRecoverySettings(w.ctx, d, w.alex.UserID)
		if err != nil || !s.CoachMayEdit || s.ShowTotal {
			t.Errorf("settings %+v %v", s, err)
		}
	})
}

func TestOwnMilestones(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		m, err := OwnMilestones(w.ctx, d, w.alex)
		if err != nil || !m.Start.IsZero() || len(m.Reached) != 0 {
			t.Fatalf("no date: %+v %v", m, err)
		}
		today := chicagoToday(t)
		if err := SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, today.AddDays(-61), ""); err != nil {
			t.Fatal(err)
		}
		m, err = OwnMilestones(w.ctx, d, w.alex)
		if err != nil || len(m.Reached) != 3 || m.Next.Label != "90 days" || m.Next.Date != today.AddDays(29) {
			t.Fatalf("milestones %+v %v", m, err)
		}
		// A program's own schedule replaces the default.
		coord := w.staff
		if err := SaveSchedule(w.ctx, d, coord, w.prog, Schedule{{"1 week", Days, 7}, {"100 days", Days, 100}}); err != nil {
			t.Fatal(err)
		}
		m, _ = OwnMilestones(w.ctx, d, w.alex)
		if len(m.Reached) != 1 || m.Next.Label != "100 days" {
			t.Fatalf("custom schedule: %+v", m)
		}
		wantField(t, SaveSchedule(w.ctx, d, coord, w.prog, Schedule{{"x", Days, 0}}), "steps[0].amount")
		if err := SaveSchedule(w.ctx, d, w.coach, w.prog, DefaultSchedule); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("coach edits schedule: %v", err)
		}
		if err := SaveSchedule(w.ctx, d, coord, w.prog, nil); err != nil {
			t.Fatal(err)
		}
		if s, _ := LoadSchedule(w.ctx, d, w.prog); len(s) != len(DefaultSchedule) {
			t.Errorf("back to default: %v", s)
		}
	})
}

// TestOwnRecoveryOnlyForTheAlumnus: the own recovery and milestone pages
// and settings are for the signed-in alumnus of their own program only.
func TestOwnRecoveryOnlyForTheAlumnus(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		elsewhere := w.alex
		elsewhere.ProgramID = w.alien.ProgramID
		for name, a := range map[string]access.Actor{"coach": w.coach, "staff": w.staff, "family": w.family, "other program": elsewhere, "anonymous": {}} {
			if _, err := OwnMilestones(w.ctx, d, a); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s: own milestones: %v", name, err)
			}
			if _, err := MyRecovery(w.ctx, d, a); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s: my recovery: %v", name, err)
			}
			if err := SaveRecoverySettings(w.ctx, d, a, RecoverySettings{CoachMayEdit: true}); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s: save recovery settings: %v", name, err)
			}
		}
		if _, err := MyRecovery(w.ctx, d, w.alex); err != nil {
			t.Errorf("alex: %v", err)
		}
	})
}

// TestCoachSetsRecoveryDate: the member's assigned coach sets the date
// only while the member allows it; the new period says who set it and
// carries the coach's note for the member; the earlier period and the
// member's own note are kept; the change is audited under the coach.
func TestCoachSetsRecoveryDate(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		today := chicagoToday(t)
		otherCoach := addUser(t, w.ctx, d, w.prog, access.Coach, "Robin", "Hale")
		first := today.AddYears(-1)
		if err := SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, first, "my own words"); err != nil {
			t.Fatal(err)
		}
		if err := MayEditRecoveryOf(w.ctx, d, w.coach, w.alex.UserID); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("coach before the member allows it: %v", err)
		}
		if err := SetRecoveryDate(w.ctx, d, w.coach, w.alex.UserID, today.AddDays(-10), ""); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("coach set it without permission: %v", err)
		}
		if err := SaveRecoverySettings(w.ctx, d, w.alex, RecoverySettings{CoachMayEdit: true}); err != nil {
			t.Fatal(err)
		}
		if err := MayEditRecoveryOf(w.ctx, d, w.coach, w.alex.UserID); err != nil {
			t.Fatalf("assigned coach with permission: %v", err)
		}
		if err := MayEditRecoveryOf(w.ctx, d, w.alex, w.alex.UserID); err != nil {
			t.Fatalf("member: %v", err)
		}
		for name, a := range map[string]access.Actor{"another coach": otherCoach, "coordinator": w.staff, "buddy": w.buddy,
			"alumnus": w.peer, "family": w.family, "other program": w.alien, "anonymous": {}} {
			if err := MayEditRecoveryOf(w.ctx, d, a, w.alex.UserID); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s may edit: %v", name, err)
			}
			if err := SetRecoveryDate(w.ctx, d, a, w.alex.UserID, today.AddDays(-10), ""); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s set it: %v", name, err)
			}
		}

		coachNote := "We talked today. Starting again takes courage."
		if err := SetRecoveryDate(w.ctx, d, w.coach, w.alex.UserID, today.AddDays(-10), coachNote); err != nil {
			t.Fatalf("coach with permission: %v", err)
		}
		r, err := MyRecovery(w.ctx, d, w.alex)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Periods) != 2 || r.Current == nil || r.Current.Start != today.AddDays(-10) {
			t.Fatalf("periods = %+v", r.Periods)
		}
		if !r.Current.ByCoach || r.Current.SetByName != "Casey M." || r.Current.Note != coachNote {
			t.Errorf("current period = %+v, want set by Casey M. with the coach's note", r.Current)
		}
		old := r.Periods[1]
		if old.Start != first || old.End != today.AddDays(-11) || old.Note != "my own words" || old.ByCoach {
			t.Errorf("earlier period = %+v", old)
		}
		var n int
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'recovery.new_period' AND actor_id = ? AND subject_id = ?`,
			w.coach.UserID, w.alex.UserID).Scan(&n); err != nil || n != 1 {
			t.Fatalf("audit entries %d (%v), want 1", n, err)
		}

		// On an existing period the coach adds no note: the note stays the member's.
		wantField(t, SetRecoveryDate(w.ctx, d, w.coach, w.alex.UserID, today.AddDays(-10), "another"), "note")
		if err := SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, today.AddDays(-10), "mine now"); err != nil {
			t.Fatal(err)
		}
		wantField(t, SetRecoveryDate(w.ctx, d, w.coach, w.alex.UserID, today.AddDays(-10), "overwrite"), "note")
		if r, _ := MyRecovery(w.ctx, d, w.alex); r.Current.Note != "mine now" || len(r.Periods) != 2 {
			t.Errorf("after refused coach notes: %+v", r.Periods)
		}

		// The member takes the permission back.
		if err := SaveRecoverySettings(w.ctx, d, w.alex, RecoverySettings{}); err != nil {
			t.Fatal(err)
		}
		if err := SetRecoveryDate(w.ctx, d, w.coach, w.alex.UserID, today.AddDays(-2), ""); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("coach after permission withdrawn: %v", err)
		}
	})
}
