package conversations

import (
	"errors"
	"fmt"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// Staff who may moderate read the messages around a reported one, through
// the report only, blocks notwithstanding, hidden bodies included, and
// every read is audited against the report.
func TestReportedConversation(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.start(t, w.alex, "", w.peer)
		var msgs []*Message
		for i := range 25 {
			who := w.peer
			if i%2 == 1 {
				who = w.alex
			}
			msgs = append(msgs, w.send(t, who, c.ID, fmt.Sprintf("message %d", i)))
		}
		reported := msgs[12]
		reportID, err := safety.Report(w.ctx, d, w.alex, safety.ReportInput{Kind: "message", ID: reported.ID, Reason: "harassment"})
		if err != nil {
			t.Fatal(err)
		}
		// Alex blocks Pat, and a moderator hides one of Pat's messages:
		// staff still read all of it.
		w.block(t, w.alex, w.peer)
		if err := d.Tx(w.ctx, func(tx *db.Tx) error { return setHidden(w.ctx, tx, msgs[10].ID, true) }); err != nil {
			t.Fatal(err)
		}
		for _, a := range []access.Actor{w.staff, w.admin, w.coach} {
			v, err := ReportedConversation(w.ctx, d, a, reportID)
			if err != nil {
				t.Fatalf("%s: %v", a.Role, err)
			}
			if len(v.Messages) != 2*ContextAround+1 || !v.MoreBefore || !v.MoreAfter || v.MessageID != reported.ID {
				t.Fatalf("%s: %d messages, more %v/%v", a.Role, len(v.Messages), v.MoreBefore, v.MoreAfter)
			}
			for i, m := range v.Messages {
				if want := fmt.Sprintf("message %d", i+2); m.Body != want {
					t.Errorf("message %d = %q, want %q", i, m.Body, want)
				}
			}
			if mid := v.Messages[ContextAround]; mid.ID != reported.ID || mid.AuthorName != "Pat Q." {
				t.Errorf("middle = %+v", mid)
			}
			if h := v.Messages[8]; !h.Hidden || h.Body != "message 10" {
				t.Errorf("hidden message for staff = %+v", h)
			}
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'safety.conversation_read' AND subject_type = 'report' AND subject_id = ?`,
			reportID); n != 3 {
			t.Errorf("%d audited reads, want 3", n)
		}
		// No one else, and nothing but a message report, opens it.
		for _, a := range []access.Actor{w.alex, w.peer, w.bo, w.family, w.other2, {}} {
			if _, err := ReportedConversation(w.ctx, d, a, reportID); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s %s read it: %v", a.Role, a.UserID, err)
			}
		}
		personReport, err := safety.Report(w.ctx, d, w.alex, safety.ReportInput{Kind: "person", ID: w.bo.UserID, Reason: "spam"})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"", "nope", personReport} {
			if _, err := ReportedConversation(w.ctx, d, w.staff, id); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("report %q: %v", id, err)
			}
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'safety.conversation_read'`); n != 3 {
			t.Errorf("refused reads were audited: %d", n)
		}

		// At the start of a short conversation: nothing more either way.
		short := w.start(t, w.bo, "", w.stranger)
		first := w.send(t, w.stranger, short.ID, "first")
		w.send(t, w.bo, short.ID, "second")
		rid, err := safety.Report(w.ctx, d, w.bo, safety.ReportInput{Kind: "message", ID: first.ID, Reason: "spam"})
		if err != nil {
			t.Fatal(err)
		}
		v, err := ReportedConversation(w.ctx, d, w.staff, rid)
		if err != nil || len(v.Messages) != 2 || v.MoreBefore || v.MoreAfter || v.Messages[0].ID != first.ID {
			t.Fatalf("short = %+v, %v", v, err)
		}
	})
}
