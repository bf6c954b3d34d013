package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// cnvMatrixConv starts a fresh conversation of the alumnus and the coach,
// with one message, for the access matrix.
func cnvMatrixConv(f *admFixture) string {
	c, _, err := conversations.Start(context.Background(), f.e.db, f.e.users[access.Alumnus].Actor("matrix"),
		conversations.NewConversation{MemberIDs: []string{f.e.users[access.Coach].ID}, Body: "Hello from the matrix"})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return c.ID
}

// cnvAlumnus makes another alumnus of the environment's program.
func cnvAlumnus(t testing.TB, e *webEnv, first, last string) *auth.User {
	t.Helper()
	u, err := e.auth.CreateUser(context.Background(), access.System(e.program.ID), auth.NewUser{ProgramID: e.program.ID,
		Email: strings.ToLower(first) + "-" + strings.ToLower(randomString(6)) + "@example.test", FirstName: first, LastName: last,
		Role: access.Alumnus, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// cnvStart posts the new-conversation form as cookie's holder and returns
// the conversation's id from the redirect.
func cnvStart(t *testing.T, e *webEnv, cookie string, form url.Values) string {
	t.Helper()
	rec := e.do("POST", "/conversations", form, cookie)
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/conversations/") || !strings.HasSuffix(loc, "#bottom") {
		t.Fatalf("start: %d %q\n%s", rec.Code, loc, rec.Body.String())
	}
	return strings.TrimSuffix(strings.TrimPrefix(loc, "/conversations/"), "#bottom")
}

func TestConversationPages(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		alum, coach := e.users[access.Alumnus], e.users[access.Coach]
		ac, cc := e.signIn(alum), e.signIn(coach)

		// The form lists the coach, not the family member (not linked).
		rec := e.do("GET", "/conversations/new", nil, ac)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `value="`+coach.ID+`"`) ||
			strings.Contains(rec.Body.String(), `value="`+e.users[access.Family].ID+`"`) {
			t.Fatalf("new form: %d\n%s", rec.Code, rec.Body.String())
		}
		// The search narrows it, and ?to= ticks a person.
		rec = e.do("GET", "/conversations/new?q=zzz&to="+coach.ID, nil, ac)
		if !strings.Contains(rec.Body.String(), `value="`+coach.ID+`" checked`) {
			t.Errorf("?to= did not keep the coach ticked:\n%s", rec.Body.String())
		}
		rec = e.do("GET", "/conversations/new?q=zzz", nil, ac)
		if strings.Contains(rec.Body.String(), `value="`+coach.ID+`"`) || !strings.Contains(rec.Body.String(), "Nobody you can write to matches") {
			t.Errorf("search for zzz still lists the coach")
		}

		id := cnvStart(t, e, ac, url.Values{"member_ids": {coach.ID}, "body": {"Hello <b>coach</b>\nsee https://example.org/a?b=1&c=2."}})

		// The list: the coach sees one new message.
		rec = e.do("GET", "/conversations", nil, cc)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, "Alex R.") || !strings.Contains(body, "1 new") || !strings.Contains(body, "/conversations/"+id) {
			t.Fatalf("coach's list: %d\n%s", rec.Code, body)
		}
		if n, _ := conversations.UnreadTotal(context.Background(), d, coach.Actor("t")); n != 1 {
			t.Fatalf("coach unread = %d, want 1", n)
		}
		// The home page says so.
		if rec = e.do("GET", "/home", nil, cc); !strings.Contains(rec.Body.String(), "unread messages in 1 conversation.") {
			t.Errorf("home does not tell the coach about the unread message")
		}

		// The thread, as the coach: escaped text, the link, the line break,
		// a report link; viewing marks it read.
		rec = e.do("GET", "/conversations/"+id, nil, cc)
		body = rec.Body.String()
		for _, want := range []string{
			"Hello &lt;b&gt;coach&lt;/b&gt;<br>see ",
			`<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow ugc">https://example.org/a?b=1&amp;c=2</a>.`,
			`href="/report?kind=message&amp;id=`,
			`data-live data-conversation="` + id + `"`,
			`<label for="body">`, `maxlength="4000"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("thread lacks %q\n%s", want, body)
			}
		}
		if strings.Contains(body, "<b>coach") {
			t.Error("the message's markup reached the page")
		}
		if n, _ := conversations.UnreadTotal(context.Background(), d, coach.Actor("t")); n != 0 {
			t.Errorf("after viewing, coach unread = %d, want 0", n)
		}
		// The author's own message has no report link.
		rec = e.do("GET", "/conversations/"+id, nil, ac)
		if strings.Contains(rec.Body.String(), "/report?kind=message") || !strings.Contains(rec.Body.String(), `class="message mine"`) {
			t.Errorf("the author's thread shows a report link on their own message, or not as theirs")
		}

		// Sending without JavaScript: back to the bottom of the thread.
		rec = e.do("POST", "/conversations/"+id+"/messages", url.Values{"body": {"Thanks for writing."}}, cc)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/conversations/"+id+"#bottom" {
			t.Fatalf("send: %d %q", rec.Code, rec.Header().Get("Location"))
		}
		// With htmx: a fresh, empty form.
		rec = cnvHTMX(e, "POST", "/conversations/"+id+"/messages", url.Values{"body": {"And again."}}, cc)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="send-form"`) || strings.Contains(rec.Body.String(), "And again.") {
			t.Fatalf("htmx send: %d\n%s", rec.Code, rec.Body.String())
		}

		// The fragment: only the messages after the one named.
		list, err := conversations.Messages(context.Background(), d, alum.Actor("t"), id, conversations.Page{})
		if err != nil || len(list) != 3 {
			t.Fatalf("messages: %v %d", err, len(list))
		}
		rec = e.do("GET", "/conversations/"+id+"/messages?after="+list[0].ID, nil, ac)
		body = rec.Body.String()
		if rec.Code != http.StatusOK || strings.Contains(body, "Hello &lt;b&gt;") || !strings.Contains(body, "Thanks for writing.") ||
			!strings.Contains(body, "And again.") || strings.Count(body, "<li ") != 2 || strings.Contains(body, "<html") {
			t.Fatalf("fragment: %d\n%s", rec.Code, body)
		}
		if rec = e.do("GET", "/conversations/"+id+"/messages?after=not-a-message", nil, ac); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("fragment after an unknown id: %d, want 422", rec.Code)
		}

		// Mute and unmute.
		if rec = e.do("POST", "/conversations/"+id+"/mute", url.Values{"muted": {"on"}}, ac); rec.Code != http.StatusSeeOther {
			t.Fatalf("mute: %d", rec.Code)
		}
		if rec = e.do("GET", "/conversations", nil, ac); !strings.Contains(rec.Body.String(), "Muted") {
			t.Error("the list does not mark the muted conversation")
		}
		if rec = e.do("GET", "/conversations/"+id, nil, ac); !strings.Contains(rec.Body.String(), "Turn notifications back on") {
			t.Error("the thread does not offer to unmute")
		}
		e.do("POST", "/conversations/"+id+"/mute", url.Values{"muted": {"off"}}, ac)
		if c, _ := conversations.Get(context.Background(), d, alum.Actor("t"), id); c == nil || c.Muted {
			t.Error("unmute did not unmute")
		}

		// A message hidden by a moderator.
		if _, err := d.Exec(context.Background(), `UPDATE conversation_messages SET hidden = ? WHERE id = ?`, true, list[1].ID); err != nil {
			t.Fatal(err)
		}
		rec = e.do("GET", "/conversations/"+id, nil, ac)
		if !strings.Contains(rec.Body.String(), "This message was removed.") || strings.Contains(rec.Body.String(), "Thanks for writing.") {
			t.Error("a hidden message is not shown as removed")
		}

		// Outsiders: the family member, another program's admin, a
		// coordinator of the program: not found, and nothing sent.
		for _, u := range []*auth.User{e.users[access.Family], e.outsider, e.users[access.Coordinator]} {
			c := e.signIn(u)
			for _, req := range []struct{ method, path string }{
				{"GET", "/conversations/" + id}, {"GET", "/conversations/" + id + "/messages"},
				{"POST", "/conversations/" + id + "/messages"}, {"POST", "/conversations/" + id + "/read"},
				{"POST", "/conversations/" + id + "/mute"},
			} {
				var form url.Values
				if req.method == "POST" {
					form = url.Values{"body": {"let me in"}, "muted": {"on"}}
				}
				if rec := e.do(req.method, req.path, form, c); rec.Code != http.StatusNotFound {
					t.Errorf("%s %s as %s: %d, want 404", req.method, req.path, u.Role, rec.Code)
				}
			}
		}
		if list, _ := conversations.Messages(context.Background(), d, alum.Actor("t"), id, conversations.Page{}); len(list) != 3 {
			t.Errorf("outsiders changed the conversation: %d messages", len(list))
		}
		if rec := e.do("GET", "/conversations/no-such-conversation", nil, ac); rec.Code != http.StatusNotFound {
			t.Errorf("unknown conversation: %d", rec.Code)
		}
	})
}

// cnvHTMX sends a request as htmx does.
func cnvHTMX(e *webEnv, method, path string, form url.Values, cookie string) *httptest.ResponseRecorder {
	return httptestRequest(e, method, path, form, cookie, map[string]string{"HX-Request": "true"})
}

func TestConversationValidation(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		alum, coach := e.users[access.Alumnus], e.users[access.Coach]
		ac := e.signIn(alum)

		// No one chosen: the field is named, and what was typed is kept.
		rec := e.do("POST", "/conversations", url.Values{"title": {"Walkers"}, "body": {"Kept <text>"}}, ac)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="member_ids-error"`) ||
			!strings.Contains(body, "Choose at least one person") || !strings.Contains(body, "Kept &lt;text&gt;") || !strings.Contains(body, `value="Walkers"`) {
			t.Fatalf("start with nobody: %d\n%s", rec.Code, body)
		}
		// Someone not allowed (a family member not linked): named field,
		// the ticks kept.
		rec = e.do("POST", "/conversations", url.Values{"member_ids": {e.users[access.Family].ID, coach.ID}, "title": {"x"}}, ac)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="member_ids-error"`) ||
			!strings.Contains(rec.Body.String(), `value="`+coach.ID+`" checked`) {
			t.Fatalf("start with a stranger: %d\n%s", rec.Code, rec.Body.String())
		}
		id := cnvStart(t, e, ac, url.Values{"member_ids": {coach.ID}})

		// An empty message, and one too long: named field, text kept.
		rec = e.do("POST", "/conversations/"+id+"/messages", url.Values{"body": {"  "}}, ac)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="body-error"`) {
			t.Fatalf("empty message: %d\n%s", rec.Code, rec.Body.String())
		}
		long := strings.Repeat("a", conversations.MaxBody) + "Z"
		rec = e.do("POST", "/conversations/"+id+"/messages", url.Values{"body": {long}}, ac)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="body-error"`) ||
			!strings.Contains(rec.Body.String(), "4000 characters") || !strings.Contains(rec.Body.String(), long) {
			t.Fatalf("long message: %d", rec.Code)
		}
		// The same with htmx: the form alone, with the message and the text.
		rec = cnvHTMX(e, "POST", "/conversations/"+id+"/messages", url.Values{"body": {long}}, ac)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="body-error"`) ||
			!strings.Contains(rec.Body.String(), long) || strings.Contains(rec.Body.String(), "<html") {
			t.Fatalf("long message with htmx: %d\n%s", rec.Code, rec.Body.String())
		}
		if list, _ := conversations.Messages(context.Background(), d, alum.Actor("t"), id, conversations.Page{}); len(list) != 0 {
			t.Errorf("a refused message was stored: %d", len(list))
		}

		// Crisis words: sent, and the member is shown the crisis numbers.
		rec = e.do("POST", "/conversations/"+id+"/messages", url.Values{"body": {"Some days I don't want to live."}}, ac)
		if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/support/now?next=") ||
			!strings.Contains(loc, url.QueryEscape("/conversations/"+id)) {
			t.Fatalf("crisis send: %d %q", rec.Code, loc)
		}
		if list, _ := conversations.Messages(context.Background(), d, alum.Actor("t"), id, conversations.Page{}); len(list) != 1 {
			t.Errorf("the crisis message was not sent: %d", len(list))
		}

		// A direct conversation closed by a block: the reason by the field,
		// the text kept, nothing sent.
		peer := cnvAlumnus(t, e, "Robin", "Hale")
		closed := cnvStart(t, e, ac, url.Values{"member_ids": {peer.ID}})
		if err := safety.Block(context.Background(), d, peer.Actor("t"), alum.ID); err != nil {
			t.Fatal(err)
		}
		rec = e.do("POST", "/conversations/"+closed+"/messages", url.Values{"body": {"Are you there?"}}, ac)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "This conversation is closed.") ||
			!strings.Contains(rec.Body.String(), "Are you there?") {
			t.Fatalf("send into a closed conversation: %d\n%s", rec.Code, rec.Body.String())
		}
	})
}

// TestConversationEarlier: a long thread shows the newest page, with a link
// to earlier messages that shows them.
func TestConversationEarlier(t *testing.T) {
	d := testkit.SQLite(t)
	e := newWebEnv(t, d)
	alum := e.users[access.Alumnus]
	peer := cnvAlumnus(t, e, "Robin", "Hale")
	ac := e.signIn(alum)
	id := cnvStart(t, e, ac, url.Values{"member_ids": {peer.ID}})
	for i := range threadPage + 5 {
		if _, _, err := conversations.Send(context.Background(), d, alum.Actor("t"), id, fmt.Sprintf("message number %03d", i)); err != nil {
			t.Fatal(err)
		}
	}
	rec := e.do("GET", "/conversations/"+id, nil, ac)
	body := rec.Body.String()
	if strings.Contains(body, "message number 004") || !strings.Contains(body, "message number 005") || !strings.Contains(body, "message number 054") {
		t.Fatalf("newest page holds the wrong messages")
	}
	i := strings.Index(body, `?before=`)
	if i < 0 {
		t.Fatal("no link to earlier messages")
	}
	link := body[strings.LastIndex(body[:i], `"`)+1 : i+strings.Index(body[i:], `"`)]
	link, _, _ = strings.Cut(strings.ReplaceAll(link, "&amp;", "&"), "#")
	rec = e.do("GET", link, nil, ac)
	body = rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "message number 000") || !strings.Contains(body, "message number 004") ||
		strings.Contains(body, "message number 005") || strings.Contains(body, "Show earlier messages") || strings.Contains(body, "data-live") {
		t.Fatalf("earlier page %s: %d", link, rec.Code)
	}
	if rec = e.do("GET", "/conversations/"+id+"?before=nope", nil, ac); rec.Code != http.StatusNotFound {
		t.Errorf("?before= an unknown id: %d, want 404", rec.Code)
	}
}

// TestConversationContacts: the new-conversation form lists exactly the
// people access.StartConversation allows, never someone hidden from the
// directory (to peers) or in a block with the person.
func TestConversationContacts(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newWebEnv(t, d)
		alum, fam, coach := e.users[access.Alumnus], e.users[access.Family], e.users[access.Coach]
		hidden := cnvAlumnus(t, e, "Hidden", "Person")
		if _, err := members.SaveProfile(ctx, d, hidden.Actor("t"), members.ProfileInput{Hidden: true, Visibility: members.DefaultVisibility}); err != nil {
			t.Fatal(err)
		}
		blocker := cnvAlumnus(t, e, "Blocking", "Person")
		if err := safety.Block(ctx, d, blocker.Actor("t"), alum.ID); err != nil {
			t.Fatal(err)
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error {
			return members.LinkFamily(ctx, tx, e.program.ID, alum.ID, fam.ID, fam.Email)
		}); err != nil {
			t.Fatal(err)
		}
		names := func(u *auth.User) map[string]bool {
			list, err := conversations.Contacts(ctx, d, u.Actor("t"))
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]bool{}
			for _, c := range list {
				out[c.UserID] = true
			}
			return out
		}
		cases := []struct {
			who        *auth.User
			see, never []*auth.User
		}{
			{alum, []*auth.User{fam, coach, e.users[access.Coordinator]}, []*auth.User{alum, hidden, blocker, e.users[access.Admin], e.outsider}},
			{fam, []*auth.User{alum, coach, e.users[access.Coordinator]}, []*auth.User{fam, hidden, blocker, e.users[access.Admin]}},
			{coach, []*auth.User{alum, fam, hidden, blocker}, []*auth.User{coach, e.outsider}},
		}
		for _, c := range cases {
			got := names(c.who)
			for _, u := range c.see {
				if !got[u.ID] {
					t.Errorf("%s %s does not see %s %s", c.who.Role, c.who.FirstName, u.Role, u.FirstName)
				}
			}
			for _, u := range c.never {
				if got[u.ID] {
					t.Errorf("%s %s sees %s %s", c.who.Role, c.who.FirstName, u.Role, u.FirstName)
				}
			}
		}
	})
}
