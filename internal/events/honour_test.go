package events

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestAskHonours: every alumnus with a milestone in an upcoming milestone
// dinner's window whose milestones the program's staff may see is asked
// once; someone who keeps milestones to themself, who answered already, or
// has no milestone in the window, is not; a second run asks no one.
func TestAskHonours(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newDnWorld(t, d)
		today := members.Today(w.loc, time.Now())
		w.dinnerAhead(t, today)
		start := today.AddDays(-20)
		ms := start.AddDays(30)
		ana := w.alumnus(t, "Ana", start, access.VisProgram)
		ben := w.alumnus(t, "Ben", start, access.VisMe)
		cal := w.alumnus(t, "Cal", start, access.VisProgram)
		far := w.alumnus(t, "Far", today.AddDays(-100), access.VisProgram) // 90 days was ten days ago
		if err := AnswerHonour(w.ctx, d, cal, ms, false); err != nil {
			t.Fatal(err)
		}
		n, err := AskHonours(w.ctx, d)
		if err != nil || n != 1 {
			t.Fatalf("AskHonours = %d, %v; want 1", n, err)
		}
		for _, a := range []access.Actor{ana} {
			got := w.notes(t, a.UserID, "/events/honour")
			if len(got) != 1 || !strings.Contains(got[0].Body, "You reach 30 days on "+ms.In(w.loc).Format("January 2")) ||
				!strings.Contains(got[0].Body, "milestone dinner") {
				t.Errorf("question to %s = %+v", a.UserID, got)
			}
		}
		if len(w.notes(t, cal.UserID, "/events/honour")) != 0 || len(w.notes(t, far.UserID, "/events/honour")) != 0 {
			t.Error("someone who answered, or has no milestone in the window, was asked")
		}
		if len(w.notes(t, ben.UserID, "/events/honour")) != 0 {
			t.Error("someone whose milestones staff may not see was asked")
		}
		if n, err := AskHonours(w.ctx, d); err != nil || n != 0 {
			t.Errorf("second run asked %d (%v), want 0", n, err)
		}
		qs, err := MyHonourQuestions(w.ctx, d, ana)
		if err != nil || len(qs) != 1 || qs[0].MilestoneLabel != "30 days" || qs[0].MilestoneDate != ms || qs[0].Answer != HonourAsked {
			t.Fatalf("Ana's questions = %+v, %v", qs, err)
		}
		if err := AnswerHonour(w.ctx, d, ana, ms, true); err != nil {
			t.Fatal(err)
		}
		qs, _ = MyHonourQuestions(w.ctx, d, ana)
		if len(qs) != 1 || qs[0].Answer != HonourYes {
			t.Errorf("after answering, Ana's questions = %+v", qs)
		}
		if w.audits(t, "events.honour_answer") != 2 {
			t.Error("answers are not audited")
		}
	})
}

// TestAnswerHonourChecks: only an alumnus answers, only about a milestone
// of their current period; a bad date changes nothing.
func TestAnswerHonourChecks(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newDnWorld(t, d)
		today := members.Today(w.loc, time.Now())
		ana := w.alumnus(t, "Ana", today.AddDays(-20), access.VisProgram)
		fam := w.user(t, access.Family, "Fran", "Tester")
		var v members.ValidationError
		for _, date := range []members.Date{{}, today.AddDays(11)} {
			if err := AnswerHonour(w.ctx, d, ana, date, true); !errors.As(err, &v) || v.For("milestone_date") == "" {
				t.Errorf("answer about %q = %v, want a validation error on milestone_date", date, err)
			}
		}
		if qs, err := MyHonourQuestions(w.ctx, d, ana); err != nil || len(qs) != 0 {
			t.Errorf("after refused answers, questions = %+v, %v", qs, err)
		}
		for _, a := range []access.Actor{fam, w.coord, {}} {
			if err := AnswerHonour(w.ctx, d, a, today.AddDays(10), true); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("%s answers = %v, want not found", a.Role, err)
			}
			if _, err := MyHonourQuestions(w.ctx, d, a); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("%s lists questions = %v, want not found", a.Role, err)
			}
		}
		noDate := w.user(t, access.Alumnus, "Nod", "Tester")
		if err := AnswerHonour(w.ctx, d, noDate, today, true); !errors.As(err, &v) {
			t.Errorf("answer without a recovery date = %v, want a validation error", err)
		}
	})
}
