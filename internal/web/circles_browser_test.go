package web

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/peers/circles"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestBrowserCircles is the browser path under the site's strict
// CSP: an alumnus who likes hiking sees the Hiking circle suggested on
// their home page, joins it with one tap, posts, and sees the post; a
// second member with the circle open sees "New posts — show" arrive live;
// the alumnus comments; a coordinator opens the staff pages. axe-core
// checks every circles page on the way.
func TestBrowserCircles(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	d := testkit.SQLite(t)
	e := admEnv(t, d) // demo mode: staff skip the second factor
	ctx0, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	hub := live.NewHub(d, slog.New(slog.DiscardHandler))
	go func() { _ = hub.Run(ctx0) }()
	<-hub.Ready()
	e.srv.liveHub = hub
	coord := e.users[access.Coordinator].Actor("test")
	hike, err := circles.Create(ctx0, d, coord, circles.Input{Kind: circles.KindInterest, Name: "Hiking", Interest: "Hiking",
		JoinPolicy: circles.JoinOpen, Description: "Trails around town.\n\nEveryone walks at the pace of the slowest."})
	if err != nil {
		t.Fatal(err)
	}
	parents, err := circles.Create(ctx0, d, coord, circles.Input{Kind: circles.KindInterest, Name: "Parents in recovery", JoinPolicy: circles.JoinRequest})
	if err != nil {
		t.Fatal(err)
	}
	alex := e.users[access.Alumnus]
	if _, err := d.Exec(ctx0, `INSERT INTO profiles (user_id, program_id, interests, updated_at) VALUES (?, ?, ?, ?)`,
		alex.ID, e.program.ID, `["Hiking"]`, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	jamie, err := e.auth.CreateUser(ctx0, access.System(e.program.ID), auth.NewUser{ProgramID: e.program.ID,
		Email: "jamie@example.test", FirstName: "Jamie", LastName: "Okafor", Role: access.Alumnus, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := circles.Join(ctx0, d, jamie.Actor("test"), hike.ID); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.srv.Handler())
	t.Cleanup(srv.Close)
	b := testkit.Browser(t)
	text := func(ctx context.Context, sel string) string { t.Helper(); return browserText(t, ctx, sel) }

	// Jamie has the circle open.
	jb := testkit.NewContext(t, b)
	browserSignIn(t, jb, srv.URL, jamie.Email, `a[href="/circles"]`)
	browserDo(t, jb, "open the circle", chromedp.Navigate(srv.URL+"/circles/"+hike.ID), chromedp.WaitVisible(chromedp.CSS("#new-post-heading")))

	// Alex joins the suggested circle from home in one tap.
	browserSignIn(t, b, srv.URL, alex.Email, `#circles-suggest-heading`)
	testkit.Axe(t, b)
	if s := text(b, "main"); !strings.Contains(s, "Because you like hiking.") {
		t.Fatalf("home lacks the suggestion: %q", s)
	}
	browserDo(t, b, "join from home",
		chromedp.Click(chromedp.CSS(`form[action="/circles/`+hike.ID+`/join"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#new-post-heading")),
	)
	if s := text(b, ".flash"); s != "Welcome to the circle." {
		t.Errorf("flash after joining: %q", s)
	}
	testkit.Axe(t, b)

	// Alex posts and sees the post.
	browserDo(t, b, "post",
		chromedp.SendKeys(chromedp.CSS("#body"), "Who is up for the Greenbelt on Saturday?\nhttps://example.org/greenbelt"),
		chromedp.Submit(chromedp.CSS("#body")),
		chromedp.WaitVisible(chromedp.CSS(".circle-post")),
	)
	if s := text(b, ".circle-post"); !strings.Contains(s, "Who is up for the Greenbelt on Saturday?") {
		t.Fatalf("the post is not shown: %q", s)
	}
	testkit.Axe(t, b)

	// Jamie's open page says there is something new.
	browserDo(t, jb, "see new posts", chromedp.WaitVisible(chromedp.CSS("#circle-new-posts")))

	// Alex reacts and comments.
	browserDo(t, b, "react", chromedp.Click(chromedp.CSS(`.circle-post button[value="heart"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.circle-post button[value="heart"][aria-pressed="true"]`)))
	browserDo(t, b, "open the post", chromedp.Click(chromedp.CSS(".post-links a")), chromedp.WaitVisible(chromedp.CSS("#comment-body")))
	testkit.Axe(t, b)
	browserDo(t, b, "comment",
		chromedp.SendKeys(chromedp.CSS("#comment-body"), "I'll bring water."),
		chromedp.Submit(chromedp.CSS("#comment-body")),
		chromedp.WaitVisible(chromedp.CSS(".circle-comment")),
	)
	testkit.Axe(t, b)
	browserDo(t, b, "edit the comment",
		chromedp.Click(chromedp.CSS(`.circle-comment a[href$="/edit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/edit"] #comment-body`)),
	)
	testkit.Axe(t, b)
	browserDo(t, b, "open the post's edit form",
		chromedp.Click(chromedp.CSS(`form[action$="/edit"] a`)),
		chromedp.WaitVisible(chromedp.CSS(`article .actions a[href$="/edit"]`)),
		chromedp.Click(chromedp.CSS(`article .actions a[href$="/edit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#body`)),
	)
	testkit.Axe(t, b)
	browserCheckPage(t, b, srv.URL, "/circles")
	browserCheckPage(t, b, srv.URL, "/circles/"+parents.ID)
	if s := text(b, "main"); !strings.Contains(s, "Ask to join") {
		t.Errorf("by-request circle: %q", s)
	}

	// A coordinator's pages.
	cb := testkit.NewContext(t, b)
	browserSignIn(t, cb, srv.URL, e.users[access.Coordinator].Email, `a[href="/circles"]`)
	browserCheckPage(t, cb, srv.URL, "/circles/new")
	browserDo(t, cb, "create without a name", chromedp.Submit(chromedp.CSS("#name")), chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	testkit.Axe(t, cb)
	browserCheckPage(t, cb, srv.URL, "/circles/"+hike.ID+"/edit")
	browserCheckPage(t, cb, srv.URL, "/circles/"+hike.ID+"/people")
	browserCheckPage(t, cb, srv.URL, "/circles/"+hike.ID)
}
