package safety

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// testNotes is a reportable kind for tests: note id "n1" by author, seen
// only by people named in seenBy, hidden in hidden.
type testNotes struct {
	programID, author string
	seenBy            map[string]bool
	hidden            map[string]bool
}

func (n *testNotes) kind() Kind {
	return Kind{
		Load: func(ctx context.Context, q db.Querier, id string) (Content, error) {
			if id != "n1" {
				return Content{}, db.ErrNotFound
			}
			return Content{ProgramID: n.programID, AuthorID: n.author, Excerpt: "Buy cheap pills here", Link: "/notes/n1", Hidden: n.hidden[id]}, nil
		},
		Visible: func(ctx context.Context, q db.Querier, actor access.Actor, id string) error {
			if id != "n1" || !n.seenBy[actor.UserID] {
				return access.ErrNotFound
			}
			return nil
		},
		SetHidden: func(ctx context.Context, tx *db.Tx, id string, hidden bool) error {
			n.hidden[id] = hidden
			return nil
		},
	}
}

func TestReportValidation(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		cases := []struct {
			in    ReportInput
			field string
		}{
			{ReportInput{Kind: "nonsense", ID: w.pat.UserID, Reason: "spam"}, "kind"},
			{ReportInput{Kind: KindPerson, ID: "", Reason: "spam"}, "id"},
			{ReportInput{Kind: KindPerson, ID: w.pat.UserID, Reason: "rude"}, "reason"},
			{ReportInput{Kind: KindPerson, ID: w.pat.UserID, Reason: "other", Note: strings.Repeat("a", MaxNote+1)}, "note"},
			{ReportInput{Kind: KindPerson, ID: w.pat.UserID, Reason: "other", Note: "\xff"}, "note"},
		}
		for _, c := range cases {
			_, err := Report(w.ctx, d, w.alex, c.in)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != c.field {
				t.Errorf("%+v: %v, want a field error on %s", c.in, err, c.field)
			}
		}
		if _, err := Report(w.ctx, d, w.alex, ReportInput{Kind: KindPerson, ID: w.pat.UserID, Reason: "other",
			Note: strings.Repeat("é", MaxNote)}); err != nil {
			t.Errorf("a note of %d characters: %v", MaxNote, err)
		}
	})
}

func TestReportPersonIdempotentAndAnonymous(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		in := ReportInput{Kind: KindPerson, ID: w.pat.UserID, Reason: "harassment", Note: "keeps messaging me"}
		id1, err := Report(w.ctx, d, w.alex, in)
		if err != nil {
			t.Fatal(err)
		}
		id2, err := Report(w.ctx, d, w.alex, in)
		if err != nil || id2 != id1 {
			t.Fatalf("second report = %q, %v; want %q", id2, err, id1)
		}
		if _, err := Report(w.ctx, d, w.sam, ReportInput{Kind: KindPerson, ID: w.pat.UserID, Reason: "spam"}); err != nil {
			t.Fatal(err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM reports`); n != 2 {
			t.Errorf("%d reports stored", n)
		}
		// The queue groups both reports on Pat.
		q, err := Queue(w.ctx, d, w.coach)
		if err != nil || len(q) != 1 || q[0].Count != 2 || q[0].AuthorName != "Pat Q." || len(q[0].Reasons) != 2 {
			t.Fatalf("queue = %+v, %v", q, err)
		}
		// Pat is warned: nothing Pat receives names a reporter.
		if err := Warn(w.ctx, d, w.coach, id1); err != nil {
			t.Fatal(err)
		}
		rows, err := d.Query(w.ctx, `SELECT title, body, link FROM notifications WHERE user_id = ?`, w.pat.UserID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := 0
		for rows.Next() {
			var title, body, link string
			if err := rows.Scan(&title, &body, &link); err != nil {
				t.Fatal(err)
			}
			got++
			for _, leak := range []string{"Alex", "Sam", w.alex.UserID, w.sam.UserID, "messaging me"} {
				if strings.Contains(title+body+link, leak) {
					t.Errorf("warning names %q: %s / %s", leak, title, body)
				}
			}
		}
		if got != 1 {
			t.Errorf("pat got %d notifications", got)
		}
		if q, _ := Queue(w.ctx, d, w.coach); len(q) != 0 {
			t.Errorf("queue after warning = %+v", q)
		}
		// Closed, so a new report opens a new one.
		id3, err := Report(w.ctx, d, w.alex, in)
		if err != nil || id3 == id1 {
			t.Errorf("report after close = %q, %v", id3, err)
		}
	})
}

func TestReportNeedsVisibility(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		notes := &testNotes{programID: w.prog, author: w.pat.UserID, seenBy: map[string]bool{w.alex.UserID: true}, hidden: map[string]bool{}}
		RegisterKind("testnote", notes.kind())
		in := ReportInput{Kind: "testnote", ID: "n1", Reason: "spam"}
		for _, a := range []access.Actor{w.sam, w.alien, w.family, {}} {
			if _, err := Report(w.ctx, d, a, in); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s reports what they cannot see: %v", a.Role, err)
			}
		}
		if _, err := Report(w.ctx, d, w.alex, ReportInput{Kind: "testnote", ID: "n2", Reason: "spam"}); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("unknown content: %v", err)
		}
		// Profiles: other programs, family, oneself and blocked people cannot be reported.
		person := func(id string) ReportInput { return ReportInput{Kind: KindPerson, ID: id, Reason: "spam"} }
		if _, err := Report(w.ctx, d, w.alex, person(w.alien.UserID)); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("other program: %v", err)
		}
		if _, err := Report(w.ctx, d, w.alex, person(w.family.UserID)); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("family profile: %v", err)
		}
		if _, err := Report(w.ctx, d, w.alex, person(w.alex.UserID)); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("self: %v", err)
		}
		if err := Block(w.ctx, d, w.sam, w.alex.UserID); err != nil {
			t.Fatal(err)
		}
		if _, err := Report(w.ctx, d, w.alex, person(w.sam.UserID)); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("blocked: %v", err)
		}
		// Alex's report on the note, then the moderation.
		id, err := Report(w.ctx, d, w.alex, in)
		if err != nil {
			t.Fatal(err)
		}
		if err := Hide(w.ctx, d, w.coach, id); err != nil || !notes.hidden["n1"] {
			t.Fatalf("hide: %v, hidden %v", err, notes.hidden)
		}
		if err := Unhide(w.ctx, d, w.coord, id); err != nil || notes.hidden["n1"] {
			t.Fatalf("unhide: %v, hidden %v", err, notes.hidden)
		}
		det, err := ReportDetail(w.ctx, d, w.coach, id)
		if err != nil {
			t.Fatal(err)
		}
		var labels []string
		for _, a := range det.History {
			labels = append(labels, a.Action)
		}
		if strings.Join(labels, ",") != "safety.report,safety.hide,safety.unhide" {
			t.Errorf("history = %v", labels)
		}
		if det.Report.ReporterName != "Alex R." || det.Item.Excerpt != "Buy cheap pills here" || !det.CanHide || det.CanSuspend {
			t.Errorf("detail = %+v", det)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'safety.report.view' AND subject_id = ?`, id); n != 1 {
			t.Errorf("report read audited %d times", n)
		}
	})
}

func TestModerationAccess(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id, err := Report(w.ctx, d, w.alex, ReportInput{Kind: KindPerson, ID: w.pat.UserID, Reason: "spam"})
		if err != nil {
			t.Fatal(err)
		}
		other := addUser(t, w.ctx, d, w.other, access.Admin, "Oli", "Other")
		for _, a := range []access.Actor{w.alex, w.pat, w.family, other, {}} {
			if q, err := Queue(w.ctx, d, a); a.UserID == other.UserID {
				if len(q) != 0 || err != nil {
					t.Errorf("another program's queue = %+v, %v", q, err)
				}
			} else if !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s sees the queue: %v", a.Role, err)
			}
			if _, err := ReportDetail(w.ctx, d, a, id); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s reads the report: %v", a.Role, err)
			}
			for name, act := range map[string]func() error{
				"hide":    func() error { return Hide(w.ctx, d, a, id) },
				"warn":    func() error { return Warn(w.ctx, d, a, id) },
				"dismiss": func() error { return Dismiss(w.ctx, d, a, id) },
				"suspend": func() error { return Suspend(w.ctx, d, a, id, SuspendInput{Reason: "x"}) },
			} {
				if err := act(); !errors.Is(err, access.ErrNotFound) {
					t.Errorf("%s may %s: %v", a.Role, name, err)
				}
			}
		}
		if err := Suspend(w.ctx, d, w.coach, id, SuspendInput{Reason: "spam"}); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("coach suspends: %v", err)
		}
		if err := Dismiss(w.ctx, d, w.coach, id); err != nil {
			t.Fatal(err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM reports WHERE status = 'dismissed'`); n != 1 {
			t.Errorf("%d dismissed", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'safety.report.close' AND subject_id = ? AND actor_id = ?`,
			id, w.coach.UserID); n != 1 {
			t.Errorf("dismiss audited %d times", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'safety.queue.view' AND program_id = ?`, w.prog); n != 0 {
			t.Errorf("refused queue reads audited %d times", n)
		}
		if c, err := RecentlyClosed(w.ctx, d, w.coord); err != nil || len(c) != 1 || c[0].Status != "dismissed" || c[0].AuthorName != "Pat Q." {
			t.Errorf("recently closed = %+v, %v", c, err)
		}
		if _, err := RecentlyClosed(w.ctx, d, w.alex); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("alumnus lists closed reports: %v", err)
		}
	})
}

// TestHidePersonKeepsTheirOwnChoice: a moderator hiding and showing a
// profile never changes the member's own "hide me from the directory".
func TestHidePersonKeepsTheirOwnChoice(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		state := func() (own, moderated bool) {
			t.Helper()
			var o, m int
			if err := d.QueryRow(w.ctx, `SELECT CASE WHEN hidden THEN 1 ELSE 0 END, CASE WHEN moderation_hidden THEN 1 ELSE 0 END
				FROM profiles WHERE user_id = ?`, w.pat.UserID).Scan(&o, &m); err != nil {
				t.Fatal(err)
			}
			return o == 1, m == 1
		}
		id, err := Report(w.ctx, d, w.alex, ReportInput{Kind: KindPerson, ID: w.pat.UserID, Reason: "spam"})
		if err != nil {
			t.Fatal(err)
		}
		if err := Hide(w.ctx, d, w.coach, id); err != nil {
			t.Fatal(err)
		}
		if own, mod := state(); own || !mod {
			t.Fatalf("after hide: own %v, moderated %v", own, mod)
		}
		// The member hides themselves too; lifting the moderator's hide
		// leaves their choice alone.
		if _, err := d.Exec(w.ctx, `UPDATE profiles SET hidden = TRUE WHERE user_id = ?`, w.pat.UserID); err != nil {
			t.Fatal(err)
		}
		if err := Unhide(w.ctx, d, w.coord, id); err != nil {
			t.Fatal(err)
		}
		if own, mod := state(); !own || mod {
			t.Errorf("after unhide: own %v, moderated %v", own, mod)
		}
	})
}
