package events

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// dnWorld is a program in America/Chicago with a coordinator and a coach,
// for the tests of dinners, reminders and calendars.
type dnWorld struct {
	ctx          context.Context
	d            *db.DB
	prog         *programs.Program
	loc          *time.Location
	coord, coach access.Actor
}

func newDnWorld(t *testing.T, d *db.DB) *dnWorld {
	t.Helper()
	ctx := context.Background()
	p, err := programs.Create(ctx, d, programs.Settings{Name: "Harbor Light", TimeZone: "America/Chicago", Phone: "555-010-2000"})
	if err != nil {
		t.Fatal(err)
	}
	w := &dnWorld{ctx: ctx, d: d, prog: p, loc: p.Location()}
	w.coord = w.user(t, access.Coordinator, "Sam", "Ortiz")
	w.coach = w.user(t, access.Coach, "Casey", "Moreno")
	return w
}

// user adds an account to the program.
func (w *dnWorld) user(t testing.TB, role access.Role, first, last string) access.Actor {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	at := time.Now().UTC()
	if _, err := w.d.Exec(w.ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, w.prog.ID, strings.ToLower(first)+"-"+id[len(id)-8:]+"@example.test",
		first, last, string(role), at, at); err != nil {
		t.Fatalf("add user: %v", err)
	}
	return access.Actor{UserID: id, ProgramID: w.prog.ID, Role: role}
}

// alumnus adds an alumnus whose recovery began on start and whose
// milestones are shown to vis.
func (w *dnWorld) alumnus(t *testing.T, first string, start members.Date, vis access.Visibility) access.Actor {
	t.Helper()
	a := w.user(t, access.Alumnus, first, "Tester")
	if _, err := members.SaveProfile(w.ctx, w.d, a, members.ProfileInput{Visibility: members.FieldVisibility{
		Recovery: access.VisCoach, Milestones: vis, Pathways: access.VisCoach, Checkins: access.VisCoach}}); err != nil {
		t.Fatalf("save profile: %v", err)
	}
	if err := members.SetRecoveryDate(w.ctx, w.d, a, a.UserID, start, ""); err != nil {
		t.Fatalf("set recovery date: %v", err)
	}
	return a
}

// create adds an event as the coordinator.
func (w *dnWorld) create(t *testing.T, in Input) *Event {
	t.Helper()
	e, err := Create(w.ctx, w.d, w.coord, in)
	if err != nil {
		t.Fatalf("create event: %v", err)
	}
	return e
}

// dnNote is a notification as a test reads it.
type dnNote struct{ Title, Body, Link string }

// notes returns the notifications a person got whose link starts with
// link.
func (w *dnWorld) notes(t *testing.T, userID, link string) []dnNote {
	t.Helper()
	rows, err := w.d.Query(w.ctx, `SELECT title, body, link FROM notifications WHERE user_id = ? AND link LIKE ? ORDER BY created_at, id`,
		userID, link+"%")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []dnNote
	for rows.Next() {
		var n dnNote
		if err := rows.Scan(&n.Title, &n.Body, &n.Link); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// audits counts the audit entries with action.
func (w *dnWorld) audits(t *testing.T, action string) int {
	t.Helper()
	var n int
	if err := w.d.QueryRow(w.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ?`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// dinnerAhead creates a one-off milestone dinner 20 days ahead honouring
// the milestones from tomorrow to 30 days ahead, and returns it with its
// occurrence id.
func (w *dnWorld) dinnerAhead(t *testing.T, today members.Date) (*Event, string) {
	t.Helper()
	day := today.AddDays(20)
	e := w.create(t, Input{Kind: MilestoneDinner, Title: "Milestone Dinner", LocationName: "Harbor Hall",
		Start: day.String() + "T18:00", DurationMinutes: 120, Audience: Alumni,
		WindowStart: today.AddDays(1).String(), WindowEnd: today.AddDays(30).String()})
	return e, day.String()
}

func honoreeNamesOf(list []Honoree, state string) []string {
	var out []string
	for _, h := range list {
		if h.State == state {
			out = append(out, h.DisplayName)
		}
	}
	return out
}

func findHonoree(list []Honoree, userID string) *Honoree {
	for i := range list {
		if list[i].UserID == userID {
			return &list[i]
		}
	}
	return nil
}

// TestHonoreesVisibilityAndDeclines: the list holds the alumni with a
// milestone in the window who let the coordinator see it and said yes;
// "only me", a decline and no answer keep people off; a staff removal
// stays through refreshes; staff additions show "Added by staff" when the
// milestone is hidden; reading the list invites no one, and each honoree
// is invited once.
func TestHonoreesVisibilityAndDeclines(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newDnWorld(t, d)
		today := members.Today(w.loc, time.Now())
		e, occ := w.dinnerAhead(t, today)
		start := today.AddDays(-20) // 30 days falls on today+10
		ms := start.AddDays(30)
		ana := w.alumnus(t, "Ana", start, access.VisProgram)
		ben := w.alumnus(t, "Ben", start, access.VisMe)
		cal := w.alumnus(t, "Cal", start, access.VisProgram)
		dee := w.alumnus(t, "Dee", start, access.VisProgram)
		_ = w.alumnus(t, "Eve", start, access.VisProgram) // never answers
		fay := w.alumnus(t, "Fay", start, access.VisCoach)
		for _, a := range []access.Actor{ana, ben, dee} {
			if err := AnswerHonour(w.ctx, d, a, ms, true); err != nil {
				t.Fatalf("answer yes: %v", err)
			}
		}
		if err := AnswerHonour(w.ctx, d, cal, ms, false); err != nil {
			t.Fatalf("answer no: %v", err)
		}

		list, err := Honorees(w.ctx, d, w.coord, e.ID, occ)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(honoreeNamesOf(list, HonoreeAdded), ","); got != "Ana T.,Dee T." {
			t.Fatalf("honorees = %q, want Ana T.,Dee T.", got)
		}
		if h := findHonoree(list, ana.UserID); h.MilestoneLabel != "30 days" || h.MilestoneDate != ms || h.Invited {
			t.Errorf("Ana's entry = %+v, want not invited yet", *h)
		}
		if findHonoree(list, ben.UserID) != nil {
			t.Error("a member whose milestones are only for them is listed")
		}
		if n := len(w.notes(t, ana.UserID, "/events/"+e.ID)); n != 0 {
			t.Fatalf("reading the list sent %d invitations", n)
		}
		if n, err := InviteHonorees(w.ctx, d, w.coord, e.ID, occ); err != nil || n != 2 {
			t.Fatalf("InviteHonorees = %d, %v; want 2", n, err)
		}
		if n, err := InviteHonorees(w.ctx, d, w.coord, e.ID, occ); err != nil || n != 0 {
			t.Fatalf("second InviteHonorees = %d, %v; want 0", n, err)
		}
		invites := w.notes(t, ana.UserID, "/events/"+e.ID+"/"+occ)
		if len(invites) != 1 || !strings.Contains(invites[0].Title, "honoured") {
			t.Fatalf("Ana's invitations = %+v, want one", invites)
		}
		if len(w.notes(t, ben.UserID, "/events/")) != 0 || len(w.notes(t, cal.UserID, "/events/")) != 0 {
			t.Error("someone who is not an honoree was invited")
		}

		// Staff take Dee off; a refresh keeps her off, and invites no one
		// twice.
		if err := RemoveHonoree(w.ctx, d, w.coord, e.ID, occ, dee.UserID); err != nil {
			t.Fatal(err)
		}
		list, err = Honorees(w.ctx, d, w.coord, e.ID, occ)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(honoreeNamesOf(list, HonoreeAdded), ","); got != "Ana T." {
			t.Errorf("after removal, honorees = %q", got)
		}
		if h := findHonoree(list, dee.UserID); h == nil || h.State != HonoreeRemoved {
			t.Errorf("Dee after removal = %+v, want listed as removed", h)
		}
		if n := len(w.notes(t, ana.UserID, "/events/"+e.ID)); n != 1 {
			t.Errorf("Ana was invited %d times", n)
		}

		// Staff add Fay, whose milestones they may not see.
		if err := AddHonoree(w.ctx, d, w.coord, e.ID, occ, fay.UserID); err != nil {
			t.Fatal(err)
		}
		list, _ = Honorees(w.ctx, d, w.coord, e.ID, occ)
		if h := findHonoree(list, fay.UserID); h == nil || h.MilestoneLabel != StaffAddedLabel || !h.MilestoneDate.IsZero() || !h.Invited {
			t.Errorf("Fay = %+v, want added by staff without a milestone, invited", h)
		}
		if n := len(w.notes(t, fay.UserID, "/events/"+e.ID)); n != 1 {
			t.Errorf("Fay got %d invitations, want 1", n)
		}
		// Fay declines her (hidden) milestone in the window: she leaves
		// the list although staff added her.
		if err := AnswerHonour(w.ctx, d, fay, ms, false); err != nil {
			t.Fatal(err)
		}
		list, _ = Honorees(w.ctx, d, w.coord, e.ID, occ)
		if findHonoree(list, fay.UserID) != nil {
			t.Error("Fay is listed after declining")
		}

		// Ana declines: she leaves the list at once; saying yes again
		// puts her back without a second invitation.
		if err := AnswerHonour(w.ctx, d, ana, ms, false); err != nil {
			t.Fatal(err)
		}
		list, _ = Honorees(w.ctx, d, w.coord, e.ID, occ)
		if findHonoree(list, ana.UserID) != nil {
			t.Error("Ana is listed after declining")
		}
		if err := AnswerHonour(w.ctx, d, ana, ms, true); err != nil {
			t.Fatal(err)
		}
		list, _ = Honorees(w.ctx, d, w.coord, e.ID, occ)
		if h := findHonoree(list, ana.UserID); h == nil || h.State != HonoreeAdded {
			t.Errorf("Ana after saying yes again = %+v", h)
		}
		if n := len(w.notes(t, ana.UserID, "/events/"+e.ID)); n != 1 {
			t.Errorf("Ana was invited %d times", n)
		}

		// Ana hides her milestones: she is no longer listed.
		if _, err := members.SaveProfile(w.ctx, d, ana, members.ProfileInput{Visibility: members.FieldVisibility{
			Recovery: access.VisCoach, Milestones: access.VisMe, Pathways: access.VisCoach, Checkins: access.VisCoach}}); err != nil {
			t.Fatal(err)
		}
		list, _ = Honorees(w.ctx, d, w.coord, e.ID, occ)
		if findHonoree(list, ana.UserID) != nil {
			t.Error("Ana is listed after hiding her milestones")
		}
		if w.audits(t, "events.honorees") < 5 || w.audits(t, "events.honoree_add") != 1 || w.audits(t, "events.honoree_remove") != 1 {
			t.Error("honoree reads and changes are not audited")
		}
	})
}

// TestHonoreesAccess: only coordinators and admins of the program see the
// list, of milestone dinners only; others get not found and nothing
// changes. Bad people to add are a validation error on user_id.
func TestHonoreesAccess(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newDnWorld(t, d)
		today := members.Today(w.loc, time.Now())
		e, occ := w.dinnerAhead(t, today)
		alum := w.alumnus(t, "Ana", today.AddDays(-20), access.VisProgram)
		for _, a := range []access.Actor{alum, w.coach, {}} {
			if _, err := Honorees(w.ctx, d, a, e.ID, occ); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("%s: Honorees = %v, want not found", a.Role, err)
			}
			if err := AddHonoree(w.ctx, d, a, e.ID, occ, alum.UserID); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("%s: AddHonoree = %v, want not found", a.Role, err)
			}
			if _, err := InviteHonorees(w.ctx, d, a, e.ID, occ); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("%s: InviteHonorees = %v, want not found", a.Role, err)
			}
		}
		meeting := w.create(t, Input{Kind: WeeklyMeeting, Title: "Meeting", Start: e.Start.String(), DurationMinutes: 60, Audience: Alumni})
		if _, err := Honorees(w.ctx, d, w.coord, meeting.ID, occ); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("honorees of a meeting = %v, want not found", err)
		}
		if _, err := Honorees(w.ctx, d, w.coord, e.ID, "2001-01-01"); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("honorees of an unknown occurrence = %v, want not found", err)
		}
		var v members.ValidationError
		if err := AddHonoree(w.ctx, d, w.coord, e.ID, occ, w.coach.UserID); !errors.As(err, &v) || v.For("user_id") == "" {
			t.Errorf("adding a coach = %v, want a validation error on user_id", err)
		}
		if err := AddHonoree(w.ctx, d, w.coord, e.ID, occ, "nobody"); !errors.As(err, &v) || v.For("user_id") == "" {
			t.Errorf("adding nobody = %v, want a validation error on user_id", err)
		}
		var n int
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM event_honorees`).Scan(&n); err != nil || n != 0 {
			t.Errorf("refused calls left %d honoree rows (%v)", n, err)
		}
	})
}

// TestDinnerWindow: a dinner honours its own window when set, else the
// calendar month of the occurrence (in the program's zone).
func TestDinnerWindow(t *testing.T) {
	chicago, _ := time.LoadLocation("America/Chicago")
	// 25 February, 23:30 in Chicago is already 26 February in UTC.
	o := &Occurrence{Start: time.Date(2027, 2, 25, 23, 30, 0, 0, chicago)}
	from, to := dinnerWindow(&Event{}, o, chicago)
	if from != members.MustDate("2027-02-01") || to != members.MustDate("2027-02-28") {
		t.Errorf("month window = %s..%s", from, to)
	}
	e := &Event{WindowStart: members.MustDate("2027-01-15"), WindowEnd: members.MustDate("2027-02-14")}
	if from, to := dinnerWindow(e, o, chicago); from != e.WindowStart || to != e.WindowEnd {
		t.Errorf("own window = %s..%s", from, to)
	}
	o.Start = time.Date(2028, 12, 31, 20, 0, 0, 0, chicago)
	if from, to := dinnerWindow(&Event{}, o, chicago); from != members.MustDate("2028-12-01") || to != members.MustDate("2028-12-31") {
		t.Errorf("December window = %s..%s", from, to)
	}
}
