package conversations

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestStartWhoMayWriteToWhom(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		cases := []struct {
			name     string
			from, to access.Actor
			ok       bool
		}{
			{"alumnus to alumnus", w.alex, w.peer, true},
			{"alumnus to coach", w.alex, w.coach, true},
			{"alumnus to coordinator", w.alex, w.staff, true},
			{"alumnus to admin", w.alex, w.admin, false},
			{"alumnus to own family", w.alex, w.family, true},
			{"other alumnus to family", w.peer, w.family, false},
			{"coach to family", w.coach, w.family, true},
			{"family to own alumnus", w.family, w.alex, true},
			{"family to other alumnus", w.family, w.peer, false},
			{"family to coach", w.family, w.coach, true},
			{"admin to alumnus", w.admin, w.alex, true},
			{"to a disabled account", w.alex, w.disabled, false},
			{"to another program", w.alex, w.alien, false},
			{"from another program", w.alien, w.alex, false},
			{"staff of another program", w.other2, w.alex, false},
		}
		for _, c := range cases {
			_, _, err := Start(w.ctx, d, c.from, NewConversation{MemberIDs: []string{c.to.UserID}})
			var ve ValidationError
			switch {
			case c.ok && err != nil:
				t.Errorf("%s: %v", c.name, err)
			case !c.ok && (!errors.As(err, &ve) || ve.For("member_ids") != notFoundPerson):
				t.Errorf("%s: err = %v, want the not-found message", c.name, err)
			}
		}
		if _, _, err := Start(w.ctx, d, access.Actor{}, NewConversation{MemberIDs: []string{w.alex.UserID}}); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("anonymous: %v", err)
		}
		if _, _, err := Start(w.ctx, d, w.alex, NewConversation{MemberIDs: []string{"no-such-person"}}); err == nil {
			t.Error("an unknown person was accepted")
		}
	})
}

func TestDirectConversationIsFoundAgain(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c1 := w.start(t, w.alex, "", w.peer)
		if c1.Kind != "direct" || c1.Title != "Pat Q." || len(c1.Members) != 2 {
			t.Errorf("direct = %+v", c1)
		}
		c2, _, err := Start(w.ctx, d, w.peer, NewConversation{MemberIDs: []string{w.alex.UserID, w.alex.UserID}, Body: "hi again"})
		if err != nil || c2.ID != c1.ID {
			t.Fatalf("second start = %v, %v; want %s", c2, err, c1.ID)
		}
		if c2.Preview != "hi again" {
			t.Errorf("preview = %q", c2.Preview)
		}
		var id string
		err = d.Tx(w.ctx, func(tx *db.Tx) error {
			var err error
			id, err = StartDirect(w.ctx, tx, w.prog, w.peer.UserID, w.alex.UserID)
			return err
		})
		if err != nil || id != c1.ID {
			t.Errorf("StartDirect = %s, %v", id, err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM conversations`); n != 1 {
			t.Errorf("%d conversations", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'conversation.start'`); n != 1 {
			t.Errorf("%d start audit entries", n)
		}
	})
}

func TestGroupLimitAndValidation(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		var ids []string
		for i := range MaxMembers {
			ids = append(ids, addUser(t, w.ctx, d, w.prog, access.Alumnus, fmt.Sprintf("P%02d", i), "X").UserID)
		}
		var ve ValidationError
		if _, _, err := Start(w.ctx, d, w.alex, NewConversation{MemberIDs: ids, Title: "Too many"}); !errors.As(err, &ve) || ve.For("member_ids") == "" {
			t.Errorf("51 people: %v", err)
		}
		c, _, err := Start(w.ctx, d, w.alex, NewConversation{MemberIDs: ids[:MaxMembers-1], Title: "  Tuesday night crew "})
		if err != nil {
			t.Fatalf("50 people: %v", err)
		}
		if c.Kind != "group" || c.Title != "Tuesday night crew" || len(c.Members) != MaxMembers {
			t.Errorf("group = %s %q %d", c.Kind, c.Title, len(c.Members))
		}
		bad := []NewConversation{
			{},
			{MemberIDs: []string{w.alex.UserID}},
			{MemberIDs: []string{w.peer.UserID, w.bo.UserID}, Title: strings.Repeat("t", MaxTitle+1)},
			{MemberIDs: []string{w.peer.UserID, w.bo.UserID}, Title: "two\nlines"},
			{MemberIDs: []string{w.peer.UserID}, Body: strings.Repeat("x", MaxBody+1)},
			{MemberIDs: []string{w.peer.UserID}, Body: "bad \xff utf8"},
		}
		before := w.count(t, `SELECT COUNT(*) FROM conversations`)
		for i, in := range bad {
			if _, _, err := Start(w.ctx, d, w.alex, in); !errors.As(err, &ve) {
				t.Errorf("bad %d: %v", i, err)
			}
		}
		if n := w.count(t, `SELECT COUNT(*) FROM conversations`); n != before {
			t.Errorf("bad input created %d conversations", n-before)
		}
		g := w.start(t, w.alex, "", w.peer, w.bo)
		if g.Title != "Bo L., Pat Q." {
			t.Errorf("untitled group = %q", g.Title)
		}
		if _, _, err := Send(w.ctx, d, w.alex, g.ID, "   "); !errors.As(err, &ve) || ve.For("body") == "" {
			t.Errorf("empty body: %v", err)
		}
		long := strings.Repeat("é", MaxBody)
		if m := w.send(t, w.alex, g.ID, long); m.Body != long {
			t.Error("a body of MaxBody characters changed")
		}
	})
}

func TestOutsidersSeeNothing(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.start(t, w.alex, "", w.peer)
		m := w.send(t, w.alex, c.ID, "hello")
		for _, a := range []access.Actor{w.bo, w.coach, w.staff, w.admin, w.alien, w.other2, {}} {
			if _, err := Get(w.ctx, d, a, c.ID); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s get: %v", a.Role, err)
			}
			if _, err := Messages(w.ctx, d, a, c.ID, Page{}); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s messages: %v", a.Role, err)
			}
			if _, _, err := Send(w.ctx, d, a, c.ID, "me too"); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s send: %v", a.Role, err)
			}
			if _, _, err := Send(w.ctx, d, a, c.ID, ""); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s send empty: %v", a.Role, err)
			}
			if err := MarkRead(w.ctx, d, a, c.ID); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s read: %v", a.Role, err)
			}
			if err := SetMuted(w.ctx, d, a, c.ID, true); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s mute: %v", a.Role, err)
			}
			if err := visibleMessage(w.ctx, d, a, m.ID); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s visible: %v", a.Role, err)
			}
			if a.UserID != "" {
				if l, err := List(w.ctx, d, a); err != nil || len(l) != 0 {
					t.Errorf("%s list = %v, %v", a.Role, l, err)
				}
			}
		}
		if _, err := Get(w.ctx, d, w.alex, "no-such-id"); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("unknown id: %v", err)
		}
		if err := visibleMessage(w.ctx, d, w.peer, m.ID); err != nil {
			t.Errorf("member visible: %v", err)
		}
	})
}

func TestBlocks(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		direct := w.start(t, w.alex, "", w.peer)
		group := w.start(t, w.alex, "Crew", w.peer, w.bo)
		w.send(t, w.peer, group.ID, "before the block")
		w.block(t, w.alex, w.peer)

		var ve ValidationError
		if _, _, err := Start(w.ctx, d, w.peer, NewConversation{MemberIDs: []string{w.alex.UserID}}); !errors.As(err, &ve) || ve.For("member_ids") != notFoundPerson {
			t.Errorf("blocked person starts: %v", err)
		}
		if _, _, err := Start(w.ctx, d, w.alex, NewConversation{MemberIDs: []string{w.peer.UserID, w.bo.UserID}, Title: "x"}); !errors.As(err, &ve) {
			t.Errorf("blocker starts a group with them: %v", err)
		}
		for _, a := range []access.Actor{w.alex, w.peer} {
			if _, _, err := Send(w.ctx, d, a, direct.ID, "hello?"); !errors.Is(err, ErrClosed) {
				t.Errorf("%s sends in a blocked direct conversation: %v", a.Role, err)
			}
		}
		if c, _ := Get(w.ctx, d, w.peer, direct.ID); !c.Closed {
			t.Error("the blocked direct conversation is not marked closed")
		}
		if c, _ := Get(w.ctx, d, w.peer, group.ID); c.Closed {
			t.Error("a group is marked closed")
		}
		if ErrClosed.Error() != "This conversation is closed." {
			t.Errorf("closed text = %q", ErrClosed)
		}
		// In a group the messages still go, but neither sees the other's.
		w.send(t, w.peer, group.ID, "after the block")
		w.send(t, w.bo, group.ID, "from bo")
		msgs, err := Messages(w.ctx, d, w.alex, group.ID, Page{})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || msgs[0].Body != "from bo" {
			t.Errorf("alex sees %+v", msgs)
		}
		l, err := List(w.ctx, d, w.alex)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range l {
			if c.ID == group.ID && c.Unread != 1 {
				t.Errorf("group unread for alex = %d, want 1", c.Unread)
			}
		}
		if msgs, _ := Messages(w.ctx, d, w.bo, group.ID, Page{}); len(msgs) != 3 {
			t.Errorf("bo sees %d messages, want 3", len(msgs))
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, w.alex.UserID); n != 1 {
			t.Errorf("alex got %d notifications, want 1 (bo's)", n)
		}
	})
}

func TestUnreadReadAndMute(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		now := fakeClock(t, time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
		a := w.start(t, w.alex, "", w.peer)
		b := w.start(t, w.alex, "", w.coach)
		w.send(t, w.alex, a.ID, "one")
		*now = now.Add(time.Second)
		w.send(t, w.peer, a.ID, "two")
		*now = now.Add(time.Second)
		w.send(t, w.peer, a.ID, "three")
		*now = now.Add(time.Second)
		w.send(t, w.coach, b.ID, "from coach")

		unread := func(actor access.Actor) map[string]int {
			t.Helper()
			l, err := List(w.ctx, d, actor)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int{}
			for _, c := range l {
				out[c.ID] = c.Unread
			}
			return out
		}
		l, _ := List(w.ctx, d, w.alex)
		if len(l) != 2 || l[0].ID != b.ID || l[0].Preview != "from coach" {
			t.Errorf("list order/preview = %+v", l)
		}
		if u := unread(w.alex); u[a.ID] != 2 || u[b.ID] != 1 {
			t.Errorf("alex unread = %v", u)
		}
		if u := unread(w.peer); u[a.ID] != 0 {
			t.Errorf("peer unread (own messages) = %v", u)
		}
		if n, _ := UnreadTotal(w.ctx, d, w.alex); n != 2 {
			t.Errorf("alex unread total = %d", n)
		}
		if err := MarkRead(w.ctx, d, w.alex, a.ID); err != nil {
			t.Fatal(err)
		}
		if u := unread(w.alex); u[a.ID] != 0 || u[b.ID] != 1 {
			t.Errorf("after read = %v", u)
		}
		if n, _ := UnreadTotal(w.ctx, d, w.alex); n != 1 {
			t.Errorf("alex unread total after read = %d", n)
		}
		if err := MarkRead(w.ctx, d, w.alex, a.ID); err != nil { // again: no change
			t.Fatal(err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'conversation.read'`); n != 1 {
			t.Errorf("%d read audit entries", n)
		}
		// Muted: still counted, no notification.
		if err := SetMuted(w.ctx, d, w.alex, b.ID, true); err != nil {
			t.Fatal(err)
		}
		before := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, w.alex.UserID)
		*now = now.Add(3 * time.Hour)
		w.send(t, w.coach, b.ID, "again")
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, w.alex.UserID); n != before {
			t.Errorf("a muted conversation notified (%d → %d)", before, n)
		}
		if u := unread(w.alex); u[b.ID] != 2 {
			t.Errorf("muted unread = %v", u)
		}
		c, _ := Get(w.ctx, d, w.alex, b.ID)
		if !c.Muted {
			t.Error("not muted")
		}
		if err := SetMuted(w.ctx, d, w.alex, b.ID, false); err != nil {
			t.Fatal(err)
		}
		if c, _ := Get(w.ctx, d, w.alex, b.ID); c.Muted {
			t.Error("still muted")
		}
	})
}

func TestNotificationsAreBatchedAndSayNothing(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		now := fakeClock(t, time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
		c := w.start(t, w.alex, "", w.peer)
		secret := "my very private words"
		for range 3 {
			w.send(t, w.alex, c.ID, secret)
			*now = now.Add(10 * time.Minute)
		}
		var title, body, link string
		if err := d.QueryRow(w.ctx, `SELECT title, body, link FROM notifications WHERE user_id = ?`, w.peer.UserID).Scan(&title, &body, &link); err != nil {
			t.Fatal(err)
		}
		if title != "New message from Alex R." || body != "" || link != "/conversations/"+c.ID {
			t.Errorf("notification = %q %q %q", title, body, link)
		}
		*now = now.Add(time.Hour)
		w.send(t, w.alex, c.ID, secret)
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, w.peer.UserID); n != 2 {
			t.Errorf("%d notifications, want 2 (one per hour)", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, w.alex.UserID); n != 0 {
			t.Errorf("the author was notified %d times", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM mail_outbox WHERE subject LIKE 'New message from Alex R.%'`); n != 2 {
			t.Errorf("%d emails, want 2", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM mail_outbox WHERE body_text LIKE ? OR subject LIKE ? OR body_html LIKE ?`, "%private%", "%private%", "%private%"); n != 0 {
			t.Errorf("%d emails hold the message", n)
		}
		// Someone reading the conversation right now is not notified.
		*now = now.Add(2 * time.Hour)
		if err := MarkRead(w.ctx, d, w.peer, c.ID); err != nil {
			t.Fatal(err)
		}
		*now = now.Add(time.Second)
		w.send(t, w.alex, c.ID, "still there?")
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, w.peer.UserID); n != 2 {
			t.Errorf("%d notifications, want 2 (the reader is active)", n)
		}
		// Groups are named by their title.
		g := w.start(t, w.bo, "Tuesday night crew", w.peer, w.alex)
		w.send(t, w.bo, g.ID, "see you")
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title = 'New message in Tuesday night crew'`, w.peer.UserID); n != 1 {
			t.Errorf("group notification count = %d", n)
		}
	})
}

func TestMessagesPages(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.start(t, w.alex, "", w.peer)
		var ids []string
		for i := range 7 {
			a := w.alex
			if i%2 == 1 {
				a = w.peer
			}
			ids = append(ids, w.send(t, a, c.ID, fmt.Sprint("m", i)).ID)
		}
		bodies := func(ms []Message) string {
			var s []string
			for _, m := range ms {
				s = append(s, m.Body)
			}
			return strings.Join(s, ",")
		}
		got, err := Messages(w.ctx, d, w.alex, c.ID, Page{Limit: 3})
		if err != nil || bodies(got) != "m4,m5,m6" {
			t.Fatalf("newest = %s, %v", bodies(got), err)
		}
		if !got[0].Mine || got[1].Mine || got[1].AuthorName != "Pat Q." {
			t.Errorf("mine/author = %+v", got[:2])
		}
		got, _ = Messages(w.ctx, d, w.alex, c.ID, Page{Before: got[0].ID, Limit: 3})
		if bodies(got) != "m1,m2,m3" {
			t.Errorf("before = %s", bodies(got))
		}
		got, _ = Messages(w.ctx, d, w.alex, c.ID, Page{After: ids[1], Limit: 2})
		if bodies(got) != "m2,m3" {
			t.Errorf("after = %s", bodies(got))
		}
		other := w.start(t, w.alex, "", w.bo)
		om := w.send(t, w.alex, other.ID, "elsewhere")
		var ve ValidationError
		if _, err := Messages(w.ctx, d, w.alex, c.ID, Page{Before: om.ID}); !errors.As(err, &ve) || ve.For("before") == "" {
			t.Errorf("foreign cursor: %v", err)
		}
		if _, err := Messages(w.ctx, d, w.alex, c.ID, Page{Before: ids[3], After: ids[1]}); !errors.As(err, &ve) {
			t.Errorf("both cursors: %v", err)
		}
	})
}
