package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestRecoveryPages(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		alex := e.signIn(e.users[access.Alumnus])
		today := members.Today(e.program.Location(), time.Now())

		rec := e.do("GET", "/recovery", nil, alex)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Set your recovery date") {
			t.Fatalf("empty page: %d", rec.Code)
		}
		rec = e.do("POST", "/recovery", url.Values{"date": {today.AddDays(1).String()}}, alex)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "cannot be in the future") {
			t.Fatalf("future date: %d", rec.Code)
		}
		rec = e.do("POST", "/recovery", url.Values{"date": {"14/03/2025"}}, alex)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="date-error"`) {
			t.Fatalf("bad date: %d", rec.Code)
		}
		first := today.AddYears(-1).AddDays(-10)
		for _, dt := range []members.Date{first, today.AddDays(-45)} {
			rec = e.do("POST", "/recovery", url.Values{"date": {dt.String()}, "note": {"note for " + dt.String()}}, alex)
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("save %s: %d", dt, rec.Code)
			}
		}
		rec = e.do("POST", "/recovery/settings", url.Values{"show_total": {"on"}}, alex)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("settings: %d", rec.Code)
		}
		body := e.do("GET", "/recovery", nil, alex).Body.String()
		for _, want := range []string{"Every day counts. Your history stays with you.", "<strong>45 days</strong>",
			"Across all your recovery periods", first.Label(), "note for " + first.String(), "(512) 759-8330", `href="#crisis-heading"`} {
			if !strings.Contains(body, want) {
				t.Errorf("recovery page lacks %q", want)
			}
		}
		if strings.Contains(strings.ToLower(body), "streak") {
			t.Error("the recovery page speaks of a streak")
		}
		body = e.do("GET", "/milestones", nil, alex).Body.String()
		if !strings.Contains(body, "Next: <strong>60 days</strong>") || !strings.Contains(body, "30 days") {
			t.Errorf("milestones page: %s", body)
		}

		// Staff: Alex shares milestones with their coach only (default).
		coach := e.signIn(e.users[access.Coach])
		coord := e.signIn(e.users[access.Coordinator])
		if err := d.Tx(context.Background(), func(tx *db.Tx) error {
			return members.AssignCoach(context.Background(), tx, e.program.ID, e.users[access.Alumnus].ID, e.users[access.Coach].ID)
		}); err != nil {
			t.Fatal(err)
		}
		q := "/staff/milestones?from=" + today.String() + "&to=" + today.AddDays(30).String()
		if b := e.do("GET", q, nil, coach).Body.String(); !strings.Contains(b, "Alex R.") || !strings.Contains(b, "60 days") {
			t.Errorf("coach does not see Alex's milestone")
		}
		if b := e.do("GET", q, nil, coord).Body.String(); strings.Contains(b, "Alex R.") {
			t.Errorf("coordinator sees a coach-only milestone")
		}
		rec = e.do("GET", "/staff/milestones?from=2025-02-30", nil, coord)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="from-error"`) {
			t.Errorf("bad from: %d", rec.Code)
		}
		rec = e.do("GET", "/staff/milestones?from=2025-03-10&to=2025-03-01", nil, coord)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="to-error"`) {
			t.Errorf("to before from: %d", rec.Code)
		}
		// With no dates asked for, the page shows this calendar month.
		from := members.Date{Year: today.Year, Month: today.Month, Day: 1}
		to := from.AddMonths(1).AddDays(-1)
		rec = e.do("GET", "/staff/milestones", nil, coord)
		if body := rec.Body.String(); rec.Code != http.StatusOK || !strings.Contains(body, `value="`+from.String()+`"`) ||
			!strings.Contains(body, `value="`+to.String()+`"`) {
			t.Errorf("default window: %d, want %s to %s in the form", rec.Code, from, to)
		}
	})
}

// TestCoachRecoveryDatePage: the "Set recovery date" link and page are
// there for the member's coach only while the member allows it; the coach
// sets a new date with a note; the member's page says their coach set it,
// shows the note and keeps the earlier period. Anyone else gets 404.
func TestCoachRecoveryDatePage(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		ctx := context.Background()
		alexUser := e.users[access.Alumnus]
		alex := e.signIn(alexUser)
		coach := e.signIn(e.users[access.Coach])
		coord := e.signIn(e.users[access.Coordinator])
		otherCoachUser, err := e.auth.CreateUser(ctx, access.System(e.program.ID), auth.NewUser{ProgramID: e.program.ID,
			Email: "robin@example.test", FirstName: "Robin", LastName: "Hale", Role: access.Coach, Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		otherCoach := e.signIn(otherCoachUser)
		peerUser, err := e.auth.CreateUser(ctx, access.System(e.program.ID), authNewUser(e.program.ID, "pat@example.test", "Pat", "Quinn"))
		if err != nil {
			t.Fatal(err)
		}
		peer := e.signIn(peerUser)
		if err := d.Tx(ctx, func(tx *db.Tx) error {
			return members.AssignCoach(ctx, tx, e.program.ID, alexUser.ID, e.users[access.Coach].ID)
		}); err != nil {
			t.Fatal(err)
		}
		today := members.Today(e.program.Location(), time.Now())
		first := today.AddYears(-1)
		if rec := e.do("POST", "/recovery", url.Values{"date": {first.String()}, "note": {"my own words"}}, alex); rec.Code != http.StatusSeeOther {
			t.Fatalf("member's own date: %d", rec.Code)
		}
		memberPage := "/members/" + alexUser.ID
		page := memberPage + "/recovery-date"
		const link = `href="/members/`
		hasLink := func(cookie string) bool {
			t.Helper()
			rec := e.do("GET", memberPage, nil, cookie)
			if rec.Code != http.StatusOK {
				t.Fatalf("member page: %d", rec.Code)
			}
			return strings.Contains(rec.Body.String(), link+alexUser.ID+`/recovery-date"`)
		}

		// Not allowed yet: no link, and the page is not found.
		if hasLink(coach) {
			t.Error("the coach sees the link before the member allows it")
		}
		if rec := e.do("GET", page, nil, coach); rec.Code != http.StatusNotFound {
			t.Errorf("coach, not allowed: %d", rec.Code)
		}
		if rec := e.do("POST", page, url.Values{"date": {today.AddDays(-7).String()}}, coach); rec.Code != http.StatusNotFound {
			t.Errorf("coach posts, not allowed: %d", rec.Code)
		}

		if rec := e.do("POST", "/recovery/settings", url.Values{"coach_may_edit": {"on"}}, alex); rec.Code != http.StatusSeeOther {
			t.Fatalf("settings: %d", rec.Code)
		}
		if !hasLink(coach) {
			t.Error("the coach lacks the link once the member allows it")
		}
		for name, cookie := range map[string]string{"another coach": otherCoach, "coordinator": coord, "alumnus": peer} {
			if hasLink(cookie) {
				t.Errorf("%s sees the link", name)
			}
			if rec := e.do("GET", page, nil, cookie); rec.Code != http.StatusNotFound {
				t.Errorf("%s opens the page: %d", name, rec.Code)
			}
			if rec := e.do("POST", page, url.Values{"date": {today.AddDays(-7).String()}}, cookie); rec.Code != http.StatusNotFound {
				t.Errorf("%s posts: %d", name, rec.Code)
			}
		}
		rec := e.do("GET", page, nil, coach)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Set a recovery date for Alex R.") {
			t.Fatalf("coach's page: %d", rec.Code)
		}
		rec = e.do("POST", page, url.Values{"date": {today.AddDays(2).String()}}, coach)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="date-error"`) {
			t.Fatalf("future date: %d", rec.Code)
		}
		note := "Glad you called today. One day at a time."
		rec = e.do("POST", page, url.Values{"date": {today.AddDays(-7).String()}, "note": {note}}, coach)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != memberPage+"?done=saved" {
			t.Fatalf("coach saves: %d %s", rec.Code, rec.Header().Get("Location"))
		}

		body := e.do("GET", "/recovery", nil, alex).Body.String()
		for _, want := range []string{"<strong>7 days</strong>", "Your coach, Casey N., set this date for you.", note,
			"my own words", first.Label(), "Every day counts. Your history stays with you."} {
			if !strings.Contains(body, want) {
				t.Errorf("member's recovery page lacks %q", want)
			}
		}
		if n := strings.Count(body, "<tr><td>"); n != 2 {
			t.Errorf("history has %d periods, want 2", n)
		}
		// The member is sent to their own page.
		if rec := e.do("GET", page, nil, alex); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/recovery" {
			t.Errorf("member on the coach's page: %d", rec.Code)
		}
	})
}
