package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// modMessageReport makes a conversation of the environment's alumnus with
// a new alumnus, who sends before messages, the reported one and after
// messages; the alumnus reports it. It returns the report's id.
func modMessageReport(e *webEnv, before, after int, reported string) string {
	e.t.Helper()
	ctx := context.Background()
	alex := e.users[access.Alumnus].Actor("test")
	other := sftNewAlumnus(e, "Morgan")
	c, _, err := conversations.Start(ctx, e.db, alex, conversations.NewConversation{MemberIDs: []string{other.ID}})
	if err != nil {
		e.t.Fatal(err)
	}
	send := func(a access.Actor, body string) *conversations.Message {
		m, _, err := conversations.Send(ctx, e.db, a, c.ID, body)
		if err != nil {
			e.t.Fatal(err)
		}
		return m
	}
	for i := range before {
		send(alex, fmt.Sprintf("earlier %d", i))
	}
	m := send(other.Actor("test"), reported)
	for i := range after {
		send(alex, fmt.Sprintf("later %d", i))
	}
	id, err := safety.Report(ctx, e.db, alex, safety.ReportInput{Kind: "message", ID: m.ID, Reason: "harassment"})
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// sftMatrixMessageReport is modMessageReport for a matrix cell.
func sftMatrixMessageReport(f *admFixture) string {
	return modMessageReport(f.e, 1, 1, "matrix message")
}

func TestModerationConversationPage(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		reportID := modMessageReport(e, 12, 3, "pay up <or else>")
		coordC := e.signIn(e.users[access.Coordinator])
		rec := e.do("GET", "/moderation/"+reportID, nil, coordC)
		link := `href="/moderation/` + reportID + `/conversation"`
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), link) ||
			!strings.Contains(rec.Body.String(), "Read the conversation around this message") {
			t.Fatalf("report page lacks the link: %d", rec.Code)
		}
		rec = e.do("GET", "/moderation/"+reportID+"/conversation", nil, coordC)
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("conversation page: %d", rec.Code)
		}
		for _, want := range []string{"pay up &lt;or else&gt;", "Reported message", `aria-current="true"`, "Morgan S.",
			"earlier 2", "earlier 11", "later 2", "Earlier messages are not shown", "<time datetime="} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		for _, not := range []string{"earlier 1<", "Later messages are not shown", "<or else>"} {
			if strings.Contains(body, not) {
				t.Errorf("page shows %q", not)
			}
		}
		var n int
		if err := d.QueryRow(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = 'safety.conversation_read' AND subject_id = ? AND actor_id = ?`,
			reportID, e.users[access.Coordinator].ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d audited reads, %v", n, err)
		}
		// The report's history shows the read.
		if rec := e.do("GET", "/moderation/"+reportID, nil, coordC); !strings.Contains(rec.Body.String(), "Conversation read around the message") {
			t.Error("history lacks the read")
		}
		// Members of the conversation and others: not found, and not audited.
		for _, role := range []access.Role{access.Alumnus, access.Family} {
			if rec := e.do("GET", "/moderation/"+reportID+"/conversation", nil, e.signIn(e.users[role])); rec.Code != http.StatusNotFound {
				t.Errorf("%s: %d", role, rec.Code)
			}
		}
		// A report about a person has no conversation.
		person := sftMatrixReport(&admFixture{e: e})
		if rec := e.do("GET", "/moderation/"+person, nil, coordC); strings.Contains(rec.Body.String(), person+"/conversation") {
			t.Error("person report offers a conversation")
		}
		if rec := e.do("GET", "/moderation/"+person+"/conversation", nil, coordC); rec.Code != http.StatusNotFound {
			t.Errorf("person report's conversation: %d", rec.Code)
		}
		if err := d.QueryRow(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = 'safety.conversation_read'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d audited reads in all, %v", n, err)
		}
	})
}
