package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestConversationsAPI(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEvEnv(t, d)
		start := func(body string) startConversationJSON {
			t.Helper()
			return evOK[startConversationJSON](t, e.call(e.alex, "POST", "/api/v1/conversations", body), http.StatusCreated)
		}
		c := start(`{"member_ids": ["` + e.blair.ID + `"], "body": "Hi Blair"}`)
		if c.Kind != "direct" || c.Title != "Blair T." || c.Preview != "Hi Blair" || c.CrisisSupport != nil {
			t.Fatalf("started %+v", c)
		}
		if again := start(`{"member_ids": ["` + e.blair.ID + `"]}`); again.ID != c.ID {
			t.Errorf("a second direct conversation: %s", again.ID)
		}
		// Bad input names the field and changes nothing.
		problem(t, e.call(e.alex, "POST", "/api/v1/conversations", `{"member_ids": []}`), http.StatusUnprocessableEntity, "member_ids")
		problem(t, e.call(e.alex, "POST", "/api/v1/conversations", `{"member_ids": ["`+e.outsider.ID+`"]}`), http.StatusUnprocessableEntity, "member_ids")
		problem(t, e.call(e.alex, "POST", "/api/v1/conversations", `{"member_ids": "x"}`), http.StatusBadRequest, "member_ids")
		problem(t, e.call(e.alex, "POST", "/api/v1/conversations", `{"member_ids": ["`+e.blair.ID+`"], "colour": 1}`), http.StatusBadRequest, "colour")
		problem(t, e.call(e.alex, "POST", "/api/v1/conversations", `{"member_ids": ["`+e.blair.ID+`", "`+e.casey.ID+`"], "title": "`+strings.Repeat("t", 101)+`"}`),
			http.StatusUnprocessableEntity, "title")
		problem(t, e.call(nil, "GET", "/api/v1/conversations", ""), http.StatusUnauthorized, "")

		msgs := "/api/v1/conversations/" + c.ID + "/messages"
		for i := range 4 {
			rec := e.call(e.blair, "POST", msgs, fmt.Sprintf(`{"body": "reply %d"}`, i))
			if m := evOK[sentMessageJSON](t, rec, http.StatusCreated); !m.Mine || m.AuthorName != "Blair T." {
				t.Fatalf("sent %+v", m)
			}
		}
		problem(t, e.call(e.blair, "POST", msgs, `{"body": "  "}`), http.StatusUnprocessableEntity, "body")
		problem(t, e.call(e.blair, "POST", msgs, `{}`), http.StatusBadRequest, "body")
		// (The test API takes bodies of 1 KiB; the length rule is tested in the package.)
		problem(t, e.call(e.blair, "POST", msgs, `{"body": "`+strings.Repeat("x", 4001)+`"}`), http.StatusRequestEntityTooLarge, "")
		sent := evOK[sentMessageJSON](t, e.call(e.blair, "POST", msgs, `{"body": "I want to die"}`), http.StatusCreated)
		if sent.CrisisSupport == nil || len(sent.CrisisSupport.Numbers) < 3 || sent.Body != "I want to die" {
			t.Errorf("crisis message answered %+v", sent)
		}

		list := evOK[conversationsJSON](t, e.call(e.alex, "GET", "/api/v1/conversations", ""), http.StatusOK)
		if len(list.Items) != 1 || list.Items[0].Unread != 5 || list.UnreadTotal != 1 {
			t.Fatalf("alex's list %+v", list)
		}
		// Pages: newest first page, then older by cursor.
		page := evOK[pageJSON[messageJSON]](t, e.call(e.alex, "GET", msgs+"?limit=4", ""), http.StatusOK)
		if len(page.Items) != 4 || page.Items[3].Body != "I want to die" || page.NextCursor == nil {
			t.Fatalf("first page %+v", page)
		}
		older := evOK[pageJSON[messageJSON]](t, e.call(e.alex, "GET", msgs+"?limit=4&cursor="+*page.NextCursor, ""), http.StatusOK)
		if len(older.Items) != 2 || older.Items[0].Body != "Hi Blair" || !older.Items[0].Mine || older.NextCursor != nil {
			t.Fatalf("older page %+v", older)
		}
		newer := evOK[pageJSON[messageJSON]](t, e.call(e.alex, "GET", msgs+"?after="+older.Items[1].ID, ""), http.StatusOK)
		if len(newer.Items) != 4 {
			t.Errorf("after: %d items", len(newer.Items))
		}
		problem(t, e.call(e.alex, "GET", msgs+"?cursor=nope", ""), http.StatusBadRequest, "cursor")
		problem(t, e.call(e.alex, "GET", msgs+"?after=nope", ""), http.StatusUnprocessableEntity, "after")
		problem(t, e.call(e.alex, "GET", msgs+"?limit=0", ""), http.StatusBadRequest, "limit")

		// Read and mute.
		if rec := e.call(e.alex, "POST", "/api/v1/conversations/"+c.ID+"/read", ""); rec.Code != http.StatusNoContent {
			t.Fatalf("read: %d %s", rec.Code, rec.Body)
		}
		if rec := e.call(e.alex, "PUT", "/api/v1/conversations/"+c.ID+"/mute", `{"muted": true}`); rec.Code != http.StatusNoContent {
			t.Fatalf("mute: %d %s", rec.Code, rec.Body)
		}
		problem(t, e.call(e.alex, "PUT", "/api/v1/conversations/"+c.ID+"/mute", `{}`), http.StatusBadRequest, "muted")
		problem(t, e.call(e.alex, "PUT", "/api/v1/conversations/"+c.ID+"/mute", `{"muted": "yes"}`), http.StatusBadRequest, "muted")
		list = evOK[conversationsJSON](t, e.call(e.alex, "GET", "/api/v1/conversations", ""), http.StatusOK)
		if list.Items[0].Unread != 0 || !list.Items[0].Muted || list.UnreadTotal != 0 {
			t.Errorf("after read and mute %+v", list.Items[0])
		}

		// Outsiders get 404 everywhere, including for an id that does not exist.
		for _, u := range []*auth.User{e.casey, e.coord, e.outsider} {
			problem(t, e.call(u, "GET", msgs, ""), http.StatusNotFound, "")
			problem(t, e.call(u, "POST", msgs, `{"body": "hi"}`), http.StatusNotFound, "")
			problem(t, e.call(u, "POST", "/api/v1/conversations/"+c.ID+"/read", ""), http.StatusNotFound, "")
			problem(t, e.call(u, "PUT", "/api/v1/conversations/"+c.ID+"/mute", `{"muted": true}`), http.StatusNotFound, "")
		}
		problem(t, e.call(e.alex, "GET", "/api/v1/conversations/no-such-id/messages", ""), http.StatusNotFound, "")

		// A block closes the direct conversation.
		if _, err := d.Exec(context.Background(), `INSERT INTO blocks (blocker_id, blocked_id, program_id, created_at) VALUES (?, ?, ?, ?)`,
			e.blair.ID, e.alex.ID, e.program.ID, e.clock.now()); err != nil {
			t.Fatal(err)
		}
		p := problem(t, e.call(e.alex, "POST", msgs, `{"body": "hello?"}`), http.StatusConflict, "")
		if p.Detail != "This conversation is closed." {
			t.Errorf("closed detail %q", p.Detail)
		}
		if list := evOK[conversationsJSON](t, e.call(e.alex, "GET", "/api/v1/conversations", ""), http.StatusOK); !list.Items[0].Closed {
			t.Errorf("not closed: %+v", list.Items[0])
		}
	})
}

func FuzzConversationRequests(f *testing.F) {
	for _, s := range []string{`{"member_ids":["a"],"title":"t","body":"b"}`, `{"body":"hi"}`, `{"muted":true}`, `{"member_ids":[1]}`,
		`{"body":null}`, `{"muted":"x"}`, `[`, `null`, "\xff", `{"body":"\u0000"}`, `{} {}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, v := range []any{&startConversationRequest{}, &sendMessageRequest{}, &muteRequest{}} {
			r := httptest.NewRequest("POST", "/api/v1/conversations", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			err := decodeJSON(httptest.NewRecorder(), r, 512, v)
			if err == nil {
				continue
			}
			var p *Problem
			if !errors.As(err, &p) || (p.Status != http.StatusBadRequest && p.Status != http.StatusRequestEntityTooLarge) {
				t.Fatalf("%q: %v", body, err)
			}
			if p.Status == http.StatusBadRequest && (len(p.Errors) != 1 || p.Errors[0].Field == "") {
				t.Fatalf("%q: 400 without a field: %+v", body, p)
			}
		}
		if id, err := decodeMessageCursor(body); err == nil && messageCursor(id) != body {
			t.Fatalf("%q: a cursor that does not round-trip", body)
		}
	})
}
