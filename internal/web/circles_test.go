package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/peers/circles"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// circFixture is a circle of the web environment's program, made by its
// admin, with the alumnus in it when member is true.
func circFixture(t testing.TB, e *webEnv, kind, policy string, member bool) *circles.Circle {
	t.Helper()
	ctx := context.Background()
	c, err := circles.Create(ctx, e.db, e.users[access.Admin].Actor("test"), circles.Input{Kind: kind, Name: "Circle " + randomString(5), JoinPolicy: policy})
	if err != nil {
		t.Fatal(err)
	}
	if member {
		if _, err := circles.Join(ctx, e.db, e.users[access.Alumnus].Actor("test"), c.ID); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// circPost makes a circle with the alumnus in it and the alumnus' post,
// and returns the post's path plus suffix.
func circPost(f *admFixture, suffix string) string {
	c := circFixture(f.e.t, f.e, circles.KindInterest, circles.JoinOpen, true)
	id, _, err := circles.CreatePost(context.Background(), f.e.db, f.e.users[access.Alumnus].Actor("test"), c.ID, "Hello from the matrix")
	if err != nil {
		f.e.t.Fatal(err)
	}
	return "/circles/" + c.ID + "/posts/" + id + suffix
}

// circComment makes a post with a comment by the alumnus and returns the
// comment's path plus suffix.
func circComment(f *admFixture, suffix string) string {
	p := circPost(f, "")
	parts := strings.Split(p, "/")
	id, _, err := circles.AddComment(context.Background(), f.e.db, f.e.users[access.Alumnus].Actor("test"), parts[2], parts[4], "A reply")
	if err != nil {
		f.e.t.Fatal(err)
	}
	return p + "/comments/" + id + suffix
}

// circPath is the path of a fresh circle plus suffix.
func circPath(f *admFixture, member bool, suffix string) string {
	return "/circles/" + circFixture(f.e.t, f.e, circles.KindInterest, circles.JoinOpen, member).ID + suffix
}

// circRows are the circle rows of the access matrix.
func circRows() []admRow {
	const ok, see, unproc = http.StatusOK, http.StatusSeeOther, http.StatusUnprocessableEntity
	staff := []string{"coach", "coordinator", "admin"}
	members := append([]string{"alumnus"}, staff...)
	return []admRow{
		{"GET /circles", admStatic("/circles"), admSignedIn(ok)},
		{"GET /circles/new", admStatic("/circles/new"), admOnly(ok, "coordinator", "admin", "outsider")},
		{"POST /circles", admStatic("/circles"), admOnly(unproc, "coordinator", "admin", "outsider")},
		{"GET /circles/{id}", func(f *admFixture) string { return circPath(f, false, "") }, admOnly(ok, members...)},
		{"GET /circles/{id}/edit", func(f *admFixture) string { return circPath(f, false, "/edit") }, admOnly(ok, "coordinator", "admin")},
		{"POST /circles/{id}/edit", func(f *admFixture) string { return circPath(f, false, "/edit") }, admOnly(unproc, "coordinator", "admin")},
		{"POST /circles/{id}/join", func(f *admFixture) string { return circPath(f, false, "/join") }, admOnly(see, "alumnus")},
		{"POST /circles/{id}/leave", func(f *admFixture) string { return circPath(f, true, "/leave") }, admOnly(see, members...)},
		{"GET /circles/{id}/people", func(f *admFixture) string { return circPath(f, true, "/people") }, admOnly(ok, staff...)},
		{"POST /circles/{id}/people/{user}/answer", func(f *admFixture) string {
			return circPath(f, true, "/people/"+f.e.users[access.Alumnus].ID+"/answer")
		}, admOnly(unproc, staff...)},
		{"POST /circles/{id}/people/{user}/moderator", func(f *admFixture) string {
			return circPath(f, true, "/people/"+f.e.users[access.Alumnus].ID+"/moderator")
		}, admOnly(see, "coordinator", "admin")},
		{"POST /circles/{id}/posts", func(f *admFixture) string { return circPath(f, true, "/posts") }, admOnly(unproc, members...)},
		{"GET /circles/{id}/posts/{post}", func(f *admFixture) string { return circPost(f, "") }, admOnly(ok, members...)},
		{"GET /circles/{id}/posts/{post}/edit", func(f *admFixture) string { return circPost(f, "/edit") }, admOnly(ok, "alumnus")},
		{"POST /circles/{id}/posts/{post}/edit", func(f *admFixture) string { return circPost(f, "/edit") }, admOnly(unproc, "alumnus")},
		{"POST /circles/{id}/posts/{post}/delete", func(f *admFixture) string { return circPost(f, "/delete") }, admOnly(see, members...)},
		{"POST /circles/{id}/posts/{post}/pin", func(f *admFixture) string { return circPost(f, "/pin") }, admOnly(see, staff...)},
		{"POST /circles/{id}/posts/{post}/hide", func(f *admFixture) string { return circPost(f, "/hide") }, admOnly(see, staff...)},
		{"POST /circles/{id}/posts/{post}/react", func(f *admFixture) string { return circPost(f, "/react") }, admOnly(unproc, members...)},
		{"POST /circles/{id}/posts/{post}/comments", func(f *admFixture) string { return circPost(f, "/comments") }, admOnly(unproc, members...)},
		{"GET /circles/{id}/posts/{post}/comments/{comment}/edit", func(f *admFixture) string { return circComment(f, "/edit") }, admOnly(ok, "alumnus")},
		{"POST /circles/{id}/posts/{post}/comments/{comment}/edit", func(f *admFixture) string { return circComment(f, "/edit") }, admOnly(unproc, "alumnus")},
		{"POST /circles/{id}/posts/{post}/comments/{comment}/delete", func(f *admFixture) string { return circComment(f, "/delete") }, admOnly(see, members...)},
		{"POST /circles/{id}/posts/{post}/comments/{comment}/hide", func(f *admFixture) string { return circComment(f, "/hide") }, admOnly(see, staff...)},
	}
}

// TestCirclePagesFlow: an alumnus joins, posts (with a link and line
// breaks, escaped), comments and reacts; the pages show it with counts;
// a family member gets 404 for an alumni circle; bad input is 422 and
// changes nothing.
func TestCirclePagesFlow(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		c := circFixture(t, e, circles.KindInterest, circles.JoinOpen, false)
		alex := e.signIn(e.users[access.Alumnus])
		fam := e.signIn(e.users[access.Family])
		if rec := e.do("GET", "/circles", nil, alex); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), c.Name) {
			t.Fatalf("list: %d", rec.Code)
		}
		if rec := e.do("GET", "/circles/"+c.ID, nil, fam); rec.Code != http.StatusNotFound {
			t.Errorf("family opened an alumni circle: %d", rec.Code)
		}
		if rec := e.do("POST", "/circles/"+c.ID+"/join", url.Values{}, alex); rec.Code != http.StatusSeeOther ||
			rec.Header().Get("Location") != "/circles/"+c.ID+"?done=joined" {
			t.Fatalf("join: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		if rec := e.do("POST", "/circles/"+c.ID+"/posts", url.Values{"body": {"  "}}, alex); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(rec.Body.String(), "Write something first.") {
			t.Errorf("empty post: %d", rec.Code)
		}
		body := "Saw <b>this</b> trail:\nhttps://example.org/trail?a=1&b=2.\n\nSee you there"
		rec := e.do("POST", "/circles/"+c.ID+"/posts", url.Values{"body": {body}}, alex)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("post: %d", rec.Code)
		}
		page := e.do("GET", "/circles/"+c.ID, nil, alex).Body.String()
		for _, want := range []string{"Saw &lt;b&gt;this&lt;/b&gt; trail:<br>", `<a href="https://example.org/trail?a=1&amp;b=2" rel="noopener noreferrer nofollow ugc">`,
			"<p>See you there</p>", "Comment<span", "Leave this circle"} {
			if !strings.Contains(page, want) {
				t.Errorf("circle page lacks %q", want)
			}
		}
		p, err := circles.Posts(context.Background(), d, e.users[access.Alumnus].Actor("t"), c.ID, "")
		if err != nil || len(p.Posts) != 1 {
			t.Fatalf("posts: %v", err)
		}
		link := "/circles/" + c.ID + "/posts/" + p.Posts[0].ID
		if rec := e.do("POST", link+"/comments", url.Values{"body": {"Count me in"}}, alex); rec.Code != http.StatusSeeOther {
			t.Fatalf("comment: %d", rec.Code)
		}
		if rec := e.do("POST", link+"/react", url.Values{"kind": {"heart"}}, alex); rec.Code != http.StatusSeeOther {
			t.Fatalf("react: %d", rec.Code)
		}
		if rec := e.do("POST", link+"/react", url.Values{"kind": {"shrug"}}, alex); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("bad reaction: %d", rec.Code)
		}
		page = e.do("GET", "/circles/"+c.ID, nil, alex).Body.String()
		if !strings.Contains(page, "1 comment<span") || !strings.Contains(page, `aria-pressed="true"><span aria-hidden="true">❤️</span> <span class="vh">Heart:</span> 1`) {
			t.Errorf("counts not shown")
		}
		cl, err := circles.Comments(context.Background(), d, e.users[access.Alumnus].Actor("t"), c.ID, p.Posts[0].ID)
		if err != nil || len(cl) != 1 {
			t.Fatalf("comments: %v", err)
		}
		if rec := e.do("GET", link+"/comments/"+cl[0].ID+"/edit", nil, alex); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), ">Count me in</textarea>") {
			t.Errorf("comment edit form: %d", rec.Code)
		}
		if rec := e.do("POST", link+"/comments/"+cl[0].ID+"/edit", url.Values{"body": {""}}, alex); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("empty comment edit: %d", rec.Code)
		}
		if rec := e.do("POST", link+"/comments/"+cl[0].ID+"/edit", url.Values{"body": {"Count me in!"}}, alex); rec.Code != http.StatusSeeOther {
			t.Errorf("comment edit: %d", rec.Code)
		}
		post := e.do("GET", link, nil, alex).Body.String()
		if !strings.Contains(post, "Count me in!") || strings.Contains(post, "/report?kind=post") {
			t.Errorf("post page: comment missing or report link on own post")
		}
		coach := e.signIn(e.users[access.Coach])
		if rec := e.do("POST", link+"/hide", url.Values{"on": {"1"}}, coach); rec.Code != http.StatusSeeOther {
			t.Fatalf("hide: %d", rec.Code)
		}
		if rec := e.do("GET", link, nil, coach); !strings.Contains(rec.Body.String(), "/report?kind=post&amp;id=") {
			t.Errorf("no report link for others")
		}
		if rec := e.do("GET", "/report?kind=post&id="+p.Posts[0].ID, nil, coach); rec.Code != http.StatusOK {
			t.Errorf("report page for a post: %d", rec.Code)
		}
		if rec := e.do("GET", "/report?kind=post&id="+p.Posts[0].ID, nil, fam); rec.Code != http.StatusNotFound {
			t.Errorf("report page for a post the family member cannot see: %d", rec.Code)
		}
		// htmx reactions answer the buttons alone.
		rec = httptestRequest(e, "POST", link+"/react", url.Values{"kind": {"thanks"}}, alex, map[string]string{"HX-Request": "true"})
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), `<div class="circle-reactions"`) {
			t.Errorf("htmx react: %d %.80s", rec.Code, rec.Body.String())
		}
	})
}

func TestRichText(t *testing.T) {
	cases := map[string]string{
		"a\nb":                       "<p>a<br>b</p>",
		"<script>x</script>":         "<p>&lt;script&gt;x&lt;/script&gt;</p>",
		"go https://a.example/x).":   `<p>go <a href="https://a.example/x" rel="noopener noreferrer nofollow ugc">https://a.example/x</a>).</p>`,
		"javascript:alert(1)":        "<p>javascript:alert(1)</p>",
		`http://x.example/"onmouse=`: `<p><a href="http://x.example/" rel="noopener noreferrer nofollow ugc">http://x.example/</a>&#34;onmouse=</p>`,
	}
	for in, want := range cases {
		if got := string(richText(in)); got != want {
			t.Errorf("richText(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzRichText(f *testing.F) {
	for _, s := range []string{"", "a\n\nb", "https://x.example/<a>", "http://[::1", "<b>\r\n</b>", "https://é.example/ü?x=1&y=\"2\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := string(richText(s))
		stripped := strings.NewReplacer("<p>", "", "</p>", "", "<br>", "", "</a>", "").Replace(out)
		for {
			i := strings.Index(stripped, `<a href="`)
			if i < 0 {
				break
			}
			j := strings.Index(stripped[i:], `">`)
			if j < 0 {
				t.Fatalf("unclosed link in %q", out)
			}
			stripped = stripped[:i] + stripped[i+j+2:]
		}
		if strings.ContainsAny(stripped, "<>") {
			t.Errorf("richText(%q) = %q lets markup through", s, out)
		}
	})
}

// TestCircleEvents: an event of a circle says so on its page, links to the
// circle, and is listed under "Coming up" on the circle's page; the
// editor offers the circles.
func TestCircleEvents(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		c := circFixture(t, e, circles.KindInterest, circles.JoinOpen, true)
		ev := evwEvent(t, e, events.Input{Title: "Greenbelt walk", CircleID: c.ID})
		alex := e.signIn(e.users[access.Alumnus])
		page := e.do("GET", occurrenceLink(ev.ID, ev.FirstDate.String()), nil, alex).Body.String()
		if !strings.Contains(page, `Part of the <a href="/circles/`+c.ID+`">`+c.Name+`</a> circle`) {
			t.Errorf("event page does not name the circle")
		}
		if page := e.do("GET", "/circles/"+c.ID, nil, alex).Body.String(); !strings.Contains(page, "Greenbelt walk") {
			t.Errorf("circle page does not list the event")
		}
		coord := e.signIn(e.users[access.Coordinator])
		if page := e.do("GET", "/events/new", nil, coord).Body.String(); !strings.Contains(page, `<option value="`+c.ID+`">`+c.Name) {
			t.Errorf("editor does not offer the circle")
		}
	})
}

func TestPostCardEscapes(t *testing.T) {
	p := postView{ID: `x"y`, Author: "<b>Eve</b>", Link: `/circles/a"b/posts/c`, Shown: true, HTML: richText("<i>hi</i>"),
		Reactions: []circles.ReactionCount{{Kind: "heart", Emoji: "❤️", Label: "Heart", Count: 2, Mine: true}}}
	out := string(postCardHTML(p, true, true))
	for _, bad := range []string{"<b>Eve", "<i>hi", `x"y`, `a"b`} {
		if strings.Contains(out, bad) {
			t.Errorf("card lets %q through: %s", bad, out)
		}
	}
	if !strings.Contains(out, "&lt;b&gt;Eve&lt;/b&gt;") || !strings.Contains(out, `aria-pressed="true"`) || !strings.Contains(out, "Report<span") {
		t.Errorf("card = %s", out)
	}
}
