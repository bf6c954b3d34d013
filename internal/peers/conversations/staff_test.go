package conversations

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestStaffReadIsAuditedMemberReadIsNot(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.start(t, w.alex, "", w.peer)
		m := w.send(t, w.peer, c.ID, "something unkind")
		audited := func() int {
			return w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action NOT IN ('conversation.start', 'message.send')`)
		}
		base := audited()
		for range 2 {
			if _, err := List(w.ctx, d, w.alex); err != nil {
				t.Fatal(err)
			}
			if _, err := Get(w.ctx, d, w.alex, c.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := Messages(w.ctx, d, w.alex, c.ID, Page{}); err != nil {
				t.Fatal(err)
			}
		}
		if n := audited(); n != base {
			t.Errorf("members' reads were audited: %d entries", n-base)
		}
		// No report: no read, whoever asks.
		if _, err := StaffMessages(w.ctx, d, w.staff, c.ID, "no-report", Page{}); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("without a report: %v", err)
		}
		reportID := uuid.NewString()
		if _, err := d.Exec(w.ctx, `INSERT INTO reports (id, program_id, kind, content_id, author_id, reporter_id, reason, created_at)
			VALUES (?, ?, 'message', ?, ?, ?, 'harassment', ?)`, reportID, w.prog, m.ID, w.peer.UserID, w.alex.UserID, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		for _, a := range []access.Actor{w.coach, w.bo, w.alex, w.other2, {}} {
			if _, err := StaffMessages(w.ctx, d, a, c.ID, reportID, Page{}); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s staff read: %v", a.Role, err)
			}
		}
		// A report about another conversation does not open this one.
		other := w.start(t, w.bo, "", w.peer)
		if _, err := StaffMessages(w.ctx, d, w.staff, other.ID, reportID, Page{}); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("report of another conversation: %v", err)
		}
		if err := d.Tx(w.ctx, func(tx *db.Tx) error { return setHidden(w.ctx, tx, m.ID, true) }); err != nil {
			t.Fatal(err)
		}
		v, err := StaffMessages(w.ctx, d, w.staff, c.ID, reportID, Page{})
		if err != nil || len(v.Messages) != 1 || v.Messages[0].Body != "something unkind" || !v.Messages[0].Hidden {
			t.Fatalf("staff read = %+v, %v", v, err)
		}
		var detail string
		if err := d.QueryRow(w.ctx, `SELECT detail FROM audit_log WHERE action = 'conversation.staff_read' AND actor_id = ? AND subject_id = ?`,
			w.staff.UserID, c.ID).Scan(&detail); err != nil {
			t.Fatalf("staff read not audited: %v", err)
		}
		// Members see the hidden message without its body, not counted.
		msgs, _ := Messages(w.ctx, d, w.alex, c.ID, Page{})
		if len(msgs) != 1 || !msgs[0].Hidden || msgs[0].Body != "" {
			t.Errorf("member sees hidden = %+v", msgs)
		}
		if l, _ := List(w.ctx, d, w.alex); l[0].Unread != 0 || l[0].Preview != "" {
			t.Errorf("hidden counted/previewed: %+v", l[0])
		}
		// The safety kind: content for the queue.
		got, err := loadReported(w.ctx, d, m.ID)
		if err != nil || got.Excerpt != "something unkind" || got.AuthorID != w.peer.UserID || got.ProgramID != w.prog || !got.Hidden {
			t.Errorf("reported = %+v, %v", got, err)
		}
		if _, err := loadReported(w.ctx, d, "nope"); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("unknown reported: %v", err)
		}
		found := false
		for _, k := range safety.KindNames() {
			found = found || k == "message"
		}
		if !found {
			t.Error("kind message is not registered")
		}
	})
}

func TestLiveEventsOnCommitOnly(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		h := live.NewHub(d, nil)
		ctx, cancel := context.WithCancel(w.ctx)
		done := make(chan error, 1)
		go func() { done <- h.Run(ctx) }()
		defer func() { cancel(); <-done }()
		select {
		case <-h.Ready():
		case <-time.After(10 * time.Second):
			t.Fatal("hub not ready")
		}
		c := w.start(t, w.alex, "", w.peer)
		peerCh, stopPeer := h.Subscribe(w.peer.UserID)
		defer stopPeer()
		alexCh, stopAlex := h.Subscribe(w.alex.UserID)
		defer stopAlex()
		next := func(ch <-chan live.Event) live.Event {
			t.Helper()
			select {
			case ev := <-ch:
				return ev
			case <-time.After(10 * time.Second):
				t.Fatal("no event")
			}
			return live.Event{}
		}
		// Rolled back: nothing.
		errBack := errors.New("roll back")
		err := d.Tx(w.ctx, func(tx *db.Tx) error {
			cv, err := loadConv(w.ctx, tx, c.ID)
			if err != nil {
				return err
			}
			p, err := prepare(w.ctx, tx, w.alex, cv)
			if err != nil {
				return err
			}
			if _, _, err := send(w.ctx, tx, w.alex, cv, "never", p); err != nil {
				return err
			}
			return errBack
		})
		if !errors.Is(err, errBack) {
			t.Fatal(err)
		}
		m := w.send(t, w.alex, c.ID, "hello")
		ev := next(peerCh)
		var data map[string]any
		_ = json.Unmarshal(ev.Data, &data)
		if ev.Type != "message" || data["conversation_id"] != c.ID || data["message_id"] != m.ID {
			t.Fatalf("peer's first event = %s %s", ev.Type, ev.Data)
		}
		ev = next(peerCh)
		if ev.Type != "conversations_unread" || string(ev.Data) != `{}` {
			t.Errorf("peer's unread event = %s %s", ev.Type, ev.Data)
		}
		if ev := next(alexCh); ev.Type != "message" || !json.Valid(ev.Data) {
			t.Errorf("author's event = %s %s", ev.Type, ev.Data)
		}
		if err := MarkRead(w.ctx, d, w.peer, c.ID); err != nil {
			t.Fatal(err)
		}
		for {
			ev := next(peerCh)
			if ev.Type == "notification" {
				continue
			}
			if ev.Type != "conversations_unread" || string(ev.Data) != `{"unread":0}` {
				t.Errorf("after read = %s %s", ev.Type, ev.Data)
			}
			break
		}
	})
}

// A member reports a message through the safety package; staff see an
// excerpt in the queue, hide it, and then read the conversation for the
// report (audited).
func TestReportedMessageFlow(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.start(t, w.alex, "", w.peer)
		m := w.send(t, w.peer, c.ID, "you owe me, pay up or else")
		if _, err := safety.Report(w.ctx, d, w.bo, safety.ReportInput{Kind: "message", ID: m.ID, Reason: "harassment"}); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("a non-member reported the message: %v", err)
		}
		if _, err := safety.Report(w.ctx, d, w.peer, safety.ReportInput{Kind: "message", ID: m.ID, Reason: "harassment"}); err == nil {
			t.Error("the author reported their own message")
		}
		reportID, err := safety.Report(w.ctx, d, w.alex, safety.ReportInput{Kind: "message", ID: m.ID, Reason: "harassment"})
		if err != nil {
			t.Fatal(err)
		}
		q, err := safety.Queue(w.ctx, d, w.staff)
		if err != nil || len(q) != 1 || q[0].Excerpt == "" || q[0].AuthorID != w.peer.UserID {
			t.Fatalf("queue = %+v, %v", q, err)
		}
		if err := safety.Hide(w.ctx, d, w.staff, reportID); err != nil {
			t.Fatal(err)
		}
		if msgs, _ := Messages(w.ctx, d, w.alex, c.ID, Page{}); len(msgs) != 1 || !msgs[0].Hidden || msgs[0].Body != "" {
			t.Errorf("after hide: %+v", msgs)
		}
		v, err := StaffMessages(w.ctx, d, w.staff, c.ID, reportID, Page{})
		if err != nil || len(v.Messages) != 1 || v.Messages[0].Body != m.Body {
			t.Fatalf("staff read = %+v, %v", v, err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'conversation.staff_read' AND actor_id = ?`, w.staff.UserID); n != 1 {
			t.Errorf("%d staff read entries", n)
		}
	})
}
