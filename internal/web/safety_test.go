package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestBlockHidesBothWays(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		alex := e.users[access.Alumnus]
		quinn := sftNewAlumnus(e, "Quinn")
		alexC, quinnC := e.signIn(alex), e.signIn(quinn)
		if rec := e.do("GET", "/directory?q=Quinn", nil, alexC); !strings.Contains(rec.Body.String(), "/members/"+quinn.ID) {
			t.Fatalf("before the block alex does not find quinn: %d", rec.Code)
		}
		rec := e.do("GET", "/members/"+quinn.ID, nil, alexC)
		if !strings.Contains(rec.Body.String(), "/members/"+quinn.ID+"/block") || !strings.Contains(rec.Body.String(), "/report?kind=person&amp;id="+quinn.ID) {
			t.Errorf("profile lacks block and report: %s", rec.Body.String())
		}
		if rec := e.do("GET", "/members/"+quinn.ID+"/block", nil, alexC); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "will not be told") {
			t.Fatalf("confirm page: %d", rec.Code)
		}
		if rec := e.do("POST", "/members/"+quinn.ID+"/block", url.Values{}, alexC); rec.Code != http.StatusSeeOther {
			t.Fatalf("block: %d %s", rec.Code, rec.Body.String())
		}
		if rec := e.do("GET", "/account/blocks?done=blocked", nil, alexC); !strings.Contains(rec.Body.String(), "Quinn S.") ||
			!strings.Contains(rec.Body.String(), "They will not be told") {
			t.Errorf("blocks page: %s", rec.Body.String())
		}
		for _, c := range []struct{ cookie, other, name string }{{alexC, quinn.ID, "Quinn"}, {quinnC, alex.ID, alex.FirstName}} {
			if rec := e.do("GET", "/directory?q="+c.name, nil, c.cookie); strings.Contains(rec.Body.String(), "/members/"+c.other) {
				t.Errorf("directory still lists %s", c.name)
			}
			if rec := e.do("GET", "/directory", nil, c.cookie); strings.Contains(rec.Body.String(), "/members/"+c.other) {
				t.Errorf("directory (all) still lists %s", c.name)
			}
			if rec := e.do("GET", "/members/"+c.other, nil, c.cookie); rec.Code != http.StatusNotFound {
				t.Errorf("profile of %s: %d", c.name, rec.Code)
			}
			if rec := e.do("GET", "/report?kind=person&id="+c.other, nil, c.cookie); rec.Code != http.StatusNotFound {
				t.Errorf("report form for %s: %d", c.name, rec.Code)
			}
		}
		// Quinn is never told and has no list of who blocked them.
		if rec := e.do("GET", "/account/blocks", nil, quinnC); strings.Contains(rec.Body.String(), alex.FirstName) {
			t.Error("quinn sees who blocked them")
		}
		if rec := e.do("GET", "/notifications", nil, quinnC); strings.Contains(rec.Body.String(), alex.FirstName) {
			t.Error("quinn was told")
		}
		if rec := e.do("POST", "/account/blocks/"+quinn.ID+"/unblock", url.Values{}, alexC); rec.Code != http.StatusSeeOther {
			t.Fatalf("unblock: %d", rec.Code)
		}
		if rec := e.do("GET", "/members/"+alex.ID, nil, quinnC); rec.Code != http.StatusOK {
			t.Errorf("after unblocking: %d", rec.Code)
		}
	})
}

func TestBlockStaffRefusedKindly(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		alexC := e.signIn(e.users[access.Alumnus])
		coach := e.users[access.Coach]
		rec := e.do("GET", "/members/"+coach.ID, nil, alexC)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "/block") {
			t.Errorf("coach's profile offers a block: %d", rec.Code)
		}
		rec = e.do("POST", "/members/"+coach.ID+"/block", url.Values{}, alexC)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "stay reachable") {
			t.Errorf("blocking staff: %d %s", rec.Code, rec.Body.String())
		}
		if rec := e.do("GET", "/members/"+e.users[access.Alumnus].ID+"/block", nil, alexC); rec.Code != http.StatusNotFound {
			t.Errorf("blocking oneself: %d", rec.Code)
		}
	})
}

func TestReportAndModerate(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		alex := e.users[access.Alumnus]
		spam := sftNewAlumnus(e, "Spammy")
		alexC, spamC := e.signIn(alex), e.signIn(spam)
		coordC := e.signIn(e.users[access.Coordinator])
		if rec := e.do("GET", "/report?kind=person&id="+spam.ID, nil, alexC); rec.Code != http.StatusOK {
			t.Fatalf("report form: %d", rec.Code)
		}
		for _, c := range []struct {
			form  url.Values
			field string
		}{
			{url.Values{"kind": {"person"}, "id": {spam.ID}}, "Choose a reason"},
			{url.Values{"kind": {"person"}, "id": {spam.ID}, "reason": {"other"}, "note": {strings.Repeat("x", 1001)}}, "1000 characters"},
		} {
			if rec := e.do("POST", "/report", c.form, alexC); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), c.field) {
				t.Errorf("%v: %d", c.form, rec.Code)
			}
		}
		if rec := e.do("POST", "/report", url.Values{"kind": {"person"}, "id": {"nobody"}, "reason": {"spam"}}, alexC); rec.Code != http.StatusNotFound {
			t.Errorf("unknown person: %d", rec.Code)
		}
		form := url.Values{"kind": {"person"}, "id": {spam.ID}, "reason": {"spam"}, "note": {"Selling things in my messages"}}
		for i := 0; i < 2; i++ {
			if rec := e.do("POST", "/report", form, alexC); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Thank you") {
				t.Fatalf("report %d: %d", i, rec.Code)
			}
		}
		var n int
		if err := d.QueryRow(t.Context(), `SELECT COUNT(*) FROM reports`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d reports, %v", n, err)
		}
		// Non-staff do not reach the queue.
		for _, c := range []string{alexC, spamC} {
			if rec := e.do("GET", "/moderation", nil, c); rec.Code != http.StatusNotFound {
				t.Errorf("member sees the queue: %d", rec.Code)
			}
		}
		rec := e.do("GET", "/moderation", nil, coordC)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, "Spammy S.") {
			t.Fatalf("queue: %d %s", rec.Code, body)
		}
		var reportID string
		if err := d.QueryRow(t.Context(), `SELECT id FROM reports`).Scan(&reportID); err != nil {
			t.Fatal(err)
		}
		rec = e.do("GET", "/moderation/"+reportID, nil, coordC)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Selling things") || !strings.Contains(rec.Body.String(), alex.FirstName) {
			t.Fatalf("report page: %d", rec.Code)
		}
		if rec := e.do("POST", "/moderation/"+reportID, url.Values{"action": {"explode"}}, coordC); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("unknown action: %d", rec.Code)
		}
		if rec := e.do("POST", "/moderation/"+reportID, url.Values{"action": {"suspend"}, "until": {"soon"}, "reason": {"x"}}, coordC); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(rec.Body.String(), "2026-12-31") {
			t.Errorf("bad suspension date: %d", rec.Code)
		}
		if rec := e.do("POST", "/moderation/"+reportID, url.Values{"action": {"warn"}}, coordC); rec.Code != http.StatusSeeOther {
			t.Fatalf("warn: %d", rec.Code)
		}
		// What the reported person sees never names the reporter.
		for _, path := range []string{"/notifications", "/home", "/account", "/members/" + spam.ID} {
			rec := e.do("GET", path, nil, spamC)
			if b := rec.Body.String(); strings.Contains(b, alex.FirstName+" ") || strings.Contains(b, alex.ID) || strings.Contains(b, "Selling things") {
				t.Errorf("%s names the reporter", path)
			}
		}
		if rec := e.do("GET", "/notifications", nil, spamC); !strings.Contains(rec.Body.String(), "A note from your program") {
			t.Error("the warning did not arrive")
		}
		if rec := e.do("POST", "/moderation/"+reportID, url.Values{"action": {"suspend"}, "reason": {"spam"}}, coordC); rec.Code != http.StatusSeeOther {
			t.Fatalf("suspend: %d %s", rec.Code, rec.Body.String())
		}
		if rec := e.do("GET", "/home", nil, spamC); rec.Code != http.StatusSeeOther {
			t.Errorf("suspended session still works: %d", rec.Code)
		}
		rec = e.do("POST", "/signin", url.Values{"email": {spam.Email}, "password": {testPassword}}, "")
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "paused") {
			t.Errorf("sign-in while suspended: %d", rec.Code)
		}
		rec = e.do("GET", "/moderation/"+reportID+"?done=suspend", nil, coordC)
		for _, want := range []string{"Account suspended", "Author sent a kind warning", "Report filed", "Lift the suspension"} {
			if !strings.Contains(rec.Body.String(), want) {
				t.Errorf("report page lacks %q", want)
			}
		}
		if rec := e.do("POST", "/moderation/"+reportID, url.Values{"action": {"lift"}}, coordC); rec.Code != http.StatusSeeOther {
			t.Fatalf("lift: %d", rec.Code)
		}
		if rec := e.do("POST", "/signin", url.Values{"email": {spam.Email}, "password": {testPassword}}, ""); rec.Code != http.StatusSeeOther {
			t.Errorf("sign-in after lifting: %d", rec.Code)
		}
	})
}

func FuzzReportForm(f *testing.F) {
	f.Add("kind=person&id=x&reason=spam&note=hi")
	f.Add("kind=message&id=%00&reason=other&note=" + strings.Repeat("%C3%A9", 1001))
	f.Add("kind=&id=&reason=&note=")
	f.Add("%zz&kind=person")
	d := testkit.SQLite(f)
	e := newWebEnv(f, d)
	cookie := e.signIn(e.users[access.Alumnus])
	f.Fuzz(func(t *testing.T, body string) {
		r := sftPostRaw(e, "/report", body, cookie)
		if r.Code >= 500 {
			t.Fatalf("%q: %d", body, r.Code)
		}
		if r.Code == http.StatusOK && !strings.Contains(r.Body.String(), "Thank you") {
			t.Fatalf("%q: 200 without thanks", body)
		}
	})
}
