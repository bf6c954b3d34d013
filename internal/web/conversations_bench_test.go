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
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// cnvBenchThread starts a conversation of the alumnus and a peer holding n
// messages, each with a link and a line break, and returns the alumnus'
// cookie, the conversation and its messages.
func cnvBenchThread(b *testing.B, n int) (*webEnv, string, string, []conversations.Message) {
	b.Helper()
	e := newWebEnv(b, testkit.SQLite(b))
	alum := e.users[access.Alumnus]
	peer := cnvAlumnus(b, e, "Robin", "Hale")
	c, _, err := conversations.Start(context.Background(), e.db, alum.Actor("b"), conversations.NewConversation{MemberIDs: []string{peer.ID}})
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		who := alum
		if i%2 == 1 {
			who = peer
		}
		if _, _, err := conversations.Send(context.Background(), e.db, who.Actor("b"), c.ID,
			fmt.Sprintf("Message %d: the meeting notes are at https://example.org/notes/%d\nsee you there.", i, i)); err != nil {
			b.Fatal(err)
		}
	}
	list, err := conversations.Messages(context.Background(), e.db, alum.Actor("b"), c.ID, conversations.Page{})
	if err != nil {
		b.Fatal(err)
	}
	return e, e.signIn(alum), c.ID, list
}

func cnvBenchGet(b *testing.B, e *webEnv, cookie, path string) {
	h := e.srv.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "http://cairn.test"+path, nil)
		req.AddCookie(&http.Cookie{Name: e.srv.cookieName(), Value: cookie})
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkConversationThread measures a thread page of 50 messages (the
// newest page), read and marked read, on SQLite.
func BenchmarkConversationThread(b *testing.B) {
	e, cookie, id, _ := cnvBenchThread(b, threadPage)
	cnvBenchGet(b, e, cookie, "/conversations/"+id)
}

// BenchmarkConversationFragment measures the live update's fetch of the
// one newest message.
func BenchmarkConversationFragment(b *testing.B) {
	e, cookie, id, list := cnvBenchThread(b, threadPage)
	cnvBenchGet(b, e, cookie, "/conversations/"+id+"/messages?after="+url.QueryEscape(list[len(list)-2].ID))
}

// BenchmarkMessageHTML measures rendering the longest message, full of
// links.
func BenchmarkMessageHTML(b *testing.B) {
	body := strings.Repeat("see https://example.org/a?b=1 & <this>\n", 110)[:conversations.MaxBody]
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		_ = messageHTML(body)
	}
}
