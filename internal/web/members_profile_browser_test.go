package web

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestProfileAccessibility signs an alumnus in through the form in a real
// browser and checks the profile form, member pages and the directory
// (with results, without, and with an error) against WCAG 2.1 AA. It also
// saves the profile form through the browser.
func TestProfileAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	e := newWebEnv(t, testkit.SQLite(t))
	ctx0 := context.Background()
	alex := e.users[access.Alumnus]
	peer := prfUser(t, e, e.program, access.Alumnus, "peer@example.test", "Pat", "Quinn")
	if _, err := members.SaveProfile(ctx0, e.db, peer.Actor("t"), members.ProfileInput{City: "Duluth", Bio: "Hello.\n\nSecond paragraph.",
		Interests: []string{"Hiking"}, Pathways: []string{"secular"}, Visibility: members.FieldVisibility{
			Recovery: access.VisMe, Milestones: access.VisMe, Pathways: access.VisProgram, Checkins: access.VisMe}}); err != nil {
		t.Fatal(err)
	}
	if err := members.SetPhoto(ctx0, e.db, peer.Actor("t"), prfJPEG(t)); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.srv.Handler())
	t.Cleanup(srv.Close)
	ctx := testkit.Browser(t)
	browserSignIn(t, ctx, srv.URL, alex.Email, `a[href="/account"]`)
	browserDo(t, ctx, "fill the profile",
		chromedp.Navigate(srv.URL+"/profile"),
		chromedp.SendKeys(chromedp.CSS("#city"), "Ely"),
		chromedp.Click(chromedp.CSS("#pathway-smart")),
		chromedp.SetValue(chromedp.CSS("#vis_pathways"), "buddy"),
		chromedp.Submit(chromedp.CSS("#city")),
		chromedp.WaitVisible(chromedp.CSS(".flash")), // saved: the form page has an h1 too

	)
	p, err := members.MyProfile(ctx0, e.db, alex.Actor("t"))
	if err != nil || p.City != "Ely" || len(p.Pathways) != 1 || p.Visibility.Pathways != access.VisBuddy {
		t.Fatalf("saved through the browser: %+v, %v", p, err)
	}
	for _, path := range []string{"/profile", "/members/" + alex.ID, "/members/" + peer.ID, "/directory", "/directory?q=zzz",
		"/directory?pathway=astrology"} {
		browserCheckPage(t, ctx, srv.URL, path)
	}
}
