package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestAfterWrite: a plain write goes to its target; crisis language goes
// to the support page first; htmx gets HX-Redirect; a target off the
// site is refused.
func TestAfterWrite(t *testing.T) {
	s := &Server{}
	cases := []struct {
		target string
		crisis bool
		htmx   bool
		want   string
	}{
		{"/conversations/c1#bottom", false, false, "/conversations/c1#bottom"},
		{"/conversations/c1#bottom", true, false, "/support/now?next=%2Fconversations%2Fc1%23bottom"},
		{"/recovery?done=saved", true, true, "/support/now?next=%2Frecovery%3Fdone%3Dsaved"},
		{"/circles/x", false, true, "/circles/x"},
		{"https://evil.example/", true, false, "/support/now?next=%2Fhome"},
		{"//evil.example/", false, false, "/home"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("POST", "/x", nil)
		if c.htmx {
			r.Header.Set("HX-Request", "true")
		}
		w := httptest.NewRecorder()
		s.afterWrite(w, r, c.target, c.crisis)
		if c.htmx {
			if got := w.Header().Get("HX-Redirect"); got != c.want || w.Code != http.StatusNoContent {
				t.Errorf("htmx %q %v: %d HX-Redirect %q, want %q", c.target, c.crisis, w.Code, got, c.want)
			}
			continue
		}
		if got := w.Header().Get("Location"); got != c.want || w.Code != http.StatusSeeOther {
			t.Errorf("%q %v: %d Location %q, want %q", c.target, c.crisis, w.Code, got, c.want)
		}
	}
}

// TestSupportPage: the page shows the numbers as tap targets, kind words,
// the reach-out button to members only, and Continue to a safe next.
func TestSupportPage(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		al, coach := e.users[access.Alumnus], e.users[access.Coach]
		e.assignCoach(t, al)
		alCookie := e.signIn(al)
		coachCookie := e.signIn(coach)

		rec := e.do("GET", "/support/now?next="+url.QueryEscape("/conversations/c1#bottom"), nil, alCookie)
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("support page: %d", rec.Code)
		}
		for _, want := range []string{
			"You are not alone", "Your message was sent.", `href="tel:988"`, `href="sms:988"`, `href="tel:+18006624357"`,
			`href="tel:911"`, `href="tel:&#43;15127598330"`, `action="/support/reach-out"`, "Reach out to my coach now",
			`<a href="/conversations/c1#bottom">Continue</a>`, `name="next" value="/conversations/c1#bottom"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the support page lacks %q", want)
			}
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Error("the support page may be cached")
		}
		if body := e.do("GET", "/support/now?next=https://evil.example/", nil, alCookie).Body.String(); !strings.Contains(body, `<a href="/home">Continue</a>`) {
			t.Error("an off-site next was followed")
		}
		if body := e.do("GET", "/support/now", nil, coachCookie).Body.String(); strings.Contains(body, "Reach out to my coach now") ||
			!strings.Contains(body, `href="tel:988"`) || strings.Contains(body, "Your message was sent.") {
			t.Error("staff see the numbers but not the reach-out button, and no word of a message when they came by a link")
		}
		if rec := e.do("GET", "/support/now", nil, ""); rec.Code != http.StatusSeeOther {
			t.Errorf("visitor: %d", rec.Code)
		}

		// Reach out: the coach is told at once, the member sees a confirmation.
		rec = e.do("POST", "/support/reach-out", url.Values{"next": {"/conversations/c1"}}, alCookie)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/support/now?next=%2Fconversations%2Fc1&sent=1" {
			t.Fatalf("reach out: %d %q", rec.Code, rec.Header().Get("Location"))
		}
		body = e.do("GET", rec.Header().Get("Location"), nil, alCookie).Body.String()
		if !strings.Contains(body, "Your request was sent.") || strings.Contains(body, "Reach out to my coach now") {
			t.Error("no confirmation after reaching out")
		}
		var n int
		if err := d.QueryRow(t.Context(), `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = 'support_request' AND link = ?`,
			coach.ID, "/members/"+al.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("coach notifications = %d, %v", n, err)
		}
		if err := d.QueryRow(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = 'crisis.reach_out' AND subject_id = ?`, al.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("audit entries = %d, %v", n, err)
		}
		if body := e.do("GET", "/support/now", nil, e.signIn(e.users[access.Family])).Body.String(); !strings.Contains(body, "Reach out to the staff now") {
			t.Error("a family member is not offered to ask the staff")
		}
		if rec := e.do("POST", "/support/reach-out", url.Values{}, coachCookie); rec.Code != http.StatusNotFound {
			t.Errorf("a coach reached out: %d", rec.Code)
		}
	})
}

// TestRecoveryNoteCrisis: a member's recovery note with crisis language is
// saved, their coach is told, and they are sent to the support page; a
// plain note goes back to the recovery page.
func TestRecoveryNoteCrisis(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		al, coach := e.users[access.Alumnus], e.users[access.Coach]
		e.assignCoach(t, al)
		cookie := e.signIn(al)
		rec := e.do("POST", "/recovery", url.Values{"date": {"2025-01-10"}, "note": {"Grateful for my sponsor"}}, cookie)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/recovery?done=saved" {
			t.Fatalf("plain note: %d %q", rec.Code, rec.Header().Get("Location"))
		}
		rec = e.do("POST", "/recovery", url.Values{"date": {"2025-01-10"}, "note": {"some days I want to die"}}, cookie)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/support/now?next=%2Frecovery%3Fdone%3Dsaved" {
			t.Fatalf("crisis note: %d %q", rec.Code, rec.Header().Get("Location"))
		}
		var note string
		if err := d.QueryRow(t.Context(), `SELECT note FROM recovery_periods WHERE user_id = ? AND end_date IS NULL`, al.ID).Scan(&note); err != nil || note != "some days I want to die" {
			t.Errorf("the note was not saved as written: %q %v", note, err)
		}
		var n int
		if err := d.QueryRow(t.Context(), `SELECT COUNT(*) FROM crisis_flags WHERE user_id = ? AND source_kind = 'recovery_note'`, al.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("flags = %d, %v", n, err)
		}
		if err := d.QueryRow(t.Context(), `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = 'support_request'`, coach.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("coach notifications = %d, %v", n, err)
		}
	})
}

// FuzzAfterWrite: whatever the target, the answer stays on this site and
// the support page's next is a path on it.
func FuzzAfterWrite(f *testing.F) {
	for _, s := range []string{"/home", "//evil", "/\\evil", "https://x", "/a?b=c#d", "", "/support/now?next=//x", "\x00", "/%zz"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	s := &Server{}
	f.Fuzz(func(t *testing.T, target string, crisis bool) {
		w := httptest.NewRecorder()
		s.afterWrite(w, httptest.NewRequest("POST", "/x", nil), target, crisis)
		loc := w.Header().Get("Location")
		if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
			t.Fatalf("afterWrite(%q) went to %q", target, loc)
		}
		if crisis {
			u, err := url.Parse(loc)
			if err != nil || u.Path != "/support/now" || safeNext(u.Query().Get("next")) != u.Query().Get("next") {
				t.Fatalf("afterWrite(%q) went to %q", target, loc)
			}
		}
	})
}
