package conversations

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// checkConversation asserts that the messages of conversation id have
// strictly increasing sent_at, that there are want of them, and that the
// conversation's last message is the latest one.
func checkConversation(t *testing.T, w *world, id string, want int) {
	t.Helper()
	rows, err := w.d.Query(w.ctx, `SELECT id, sent_at FROM conversation_messages WHERE conversation_id = ? ORDER BY sent_at, id`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lastID string
	var lastAt time.Time
	n := 0
	for rows.Next() {
		var mid string
		var at time.Time
		if err := rows.Scan(&mid, &at); err != nil {
			t.Fatal(err)
		}
		if n > 0 && !at.After(lastAt) {
			t.Errorf("conversation %s: sent_at %v does not come after %v", id, at, lastAt)
		}
		lastID, lastAt = mid, at
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("conversation %s has %d messages, want %d", id, n, want)
	}
	var storedID string
	var storedAt time.Time
	if err := w.d.QueryRow(w.ctx, `SELECT last_message_id, last_message_at FROM conversations WHERE id = ?`, id).Scan(&storedID, &storedAt); err != nil {
		t.Fatal(err)
	}
	if storedID != lastID || !storedAt.Equal(lastAt) {
		t.Errorf("conversation %s: last message %s at %v, want %s at %v", id, storedID, storedAt, lastID, lastAt)
	}
}

// Many people sending at once into the same and into different
// conversations: every message lands, readable, with strictly increasing
// sent_at in its conversation, and each conversation's last message is
// its latest.
func TestConcurrentSendsKeepOrder(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		direct := w.start(t, w.alex, "", w.peer)
		group := w.start(t, w.alex, "Tuesday group", w.peer, w.bo)
		other := w.start(t, w.bo, "", w.stranger)
		type sender struct {
			who   access.Actor
			convs []string
		}
		senders := []sender{
			{w.alex, []string{direct.ID, group.ID}},
			{w.peer, []string{direct.ID, group.ID}},
			{w.bo, []string{group.ID, other.ID}},
			{w.stranger, []string{other.ID}},
		}
		const each = 12
		var mu sync.Mutex
		sent := map[string][]*Message{}
		var wg sync.WaitGroup
		for _, s := range senders {
			for g := range 2 { // two at once per person
				wg.Go(func() {
					for i := range each {
						id := s.convs[(i+g)%len(s.convs)]
						m, _, err := Send(w.ctx, d, s.who, id, fmt.Sprintf("message %d.%d", g, i))
						if err != nil {
							t.Errorf("send: %v", err)
							return
						}
						mu.Lock()
						sent[id] = append(sent[id], m)
						mu.Unlock()
					}
				})
			}
		}
		wg.Wait()
		total := 0
		for id, reader := range map[string]access.Actor{direct.ID: w.peer, group.ID: w.peer, other.ID: w.bo} {
			checkConversation(t, w, id, len(sent[id]))
			total += len(sent[id])
			msgs, err := Messages(w.ctx, d, reader, id, Page{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != len(sent[id]) {
				t.Errorf("conversation reads back %d messages, want %d", len(msgs), len(sent[id]))
			}
			for _, m := range msgs {
				if m.Body == "" {
					t.Errorf("message %s reads back empty", m.ID)
				}
			}
		}
		if total != len(senders)*2*each {
			t.Errorf("%d messages sent, want %d", total, len(senders)*2*each)
		}
		// What Send returned is what was stored.
		for id, ms := range sent {
			for _, m := range ms {
				var at time.Time
				if err := d.QueryRow(w.ctx, `SELECT sent_at FROM conversation_messages WHERE id = ? AND conversation_id = ?`, m.ID, id).Scan(&at); err != nil {
					t.Fatalf("message %s: %v", m.ID, err)
				}
				if !at.Equal(m.SentAt) {
					t.Errorf("message %s: stored at %v, Send said %v", m.ID, at, m.SentAt)
				}
			}
		}
	})
}

// prepareJob loads conversation id as actor and prepares a send of body,
// as Send does before its transaction.
func prepareJob(t *testing.T, w *world, ctx context.Context, actor access.Actor, id, body string) *sendJob {
	t.Helper()
	c, err := memberConv(w.ctx, w.d, actor, id)
	if err != nil {
		t.Fatal(err)
	}
	p, err := prepare(w.ctx, w.d, actor, c)
	if err != nil {
		t.Fatal(err)
	}
	return newSendJob(ctx, actor, c, body, p)
}

// In one batch, a send into a conversation that is gone fails with not
// found, a send that fails in the store (its author's account was
// deleted meanwhile) fails alone, and the others are sent, in order.
func TestBatchBadSendFailsAlone(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		gone := addUser(t, w.ctx, d, w.prog, access.Alumnus, "Gil", "Left")
		direct := w.start(t, w.alex, "", w.peer)
		doomed := w.start(t, w.bo, "", w.peer)
		withGone := w.start(t, w.bo, "", gone)
		jobs := []*sendJob{
			prepareJob(t, w, w.ctx, w.alex, direct.ID, "first"),
			prepareJob(t, w, w.ctx, w.bo, doomed.ID, "into a conversation that is gone"),
			prepareJob(t, w, w.ctx, gone, withGone.ID, "from a deleted account"),
			prepareJob(t, w, w.ctx, w.peer, direct.ID, "second"),
		}
		if _, err := d.Exec(w.ctx, `DELETE FROM conversations WHERE id = ?`, doomed.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(w.ctx, `DELETE FROM users WHERE id = ?`, gone.UserID); err != nil {
			t.Fatal(err)
		}
		runSendBatch(d, jobs)
		for _, j := range jobs {
			<-j.done
		}
		if jobs[0].err != nil || jobs[3].err != nil {
			t.Fatalf("good sends failed: %v, %v", jobs[0].err, jobs[3].err)
		}
		if !errors.Is(jobs[1].err, access.ErrNotFound) {
			t.Errorf("send into a conversation that is gone: %v, want not found", jobs[1].err)
		}
		if jobs[2].err == nil || jobs[2].out != nil {
			t.Errorf("send from a deleted account: %v, %v", jobs[2].out, jobs[2].err)
		}
		if !jobs[3].out.SentAt.After(jobs[0].out.SentAt) {
			t.Errorf("second %v is not after first %v", jobs[3].out.SentAt, jobs[0].out.SentAt)
		}
		checkConversation(t, w, direct.ID, 2)
		if n := w.count(t, `SELECT COUNT(*) FROM conversation_messages WHERE conversation_id IN (?, ?)`, doomed.ID, withGone.ID); n != 0 {
			t.Errorf("%d messages stored from the failed sends", n)
		}
		msgs, err := Messages(w.ctx, d, w.peer, direct.ID, Page{})
		if err != nil || len(msgs) != 2 || msgs[0].Body != "first" || msgs[1].Body != "second" {
			t.Fatalf("messages = %+v, %v", msgs, err)
		}
	})
}

// A caller that goes away while its send is in a batch does not break
// the batch; one that went away before the batch began is not sent.
func TestBatchCallerGoesAway(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.start(t, w.alex, "", w.peer)
		ctx, cancel := context.WithCancel(w.ctx)
		during := prepareJob(t, w, ctx, w.alex, c.ID, "sent anyway")
		other := prepareJob(t, w, w.ctx, w.peer, c.ID, "reply")
		cancel()
		runSendBatch(d, []*sendJob{during, other})
		if during.err != nil || other.err != nil {
			t.Fatalf("errors: %v, %v", during.err, other.err)
		}
		before := prepareJob(t, w, ctx, w.alex, c.ID, "never sent")
		sendBatcherFor(d, c.ID).submit(before)
		<-before.done
		if !errors.Is(before.err, context.Canceled) {
			t.Errorf("send whose caller went away first: %v", before.err)
		}
		checkConversation(t, w, c.ID, 2)
	})
}

// Of many messages sent at once into a conversation, and of a batch of
// them, the other members are notified once per hour, whatever the
// interleaving.
func TestConcurrentSendsNotifyOncePerHour(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		now := fakeClock(t, time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
		direct := w.start(t, w.alex, "", w.peer)
		group := w.start(t, w.alex, "Dinner", w.peer, w.bo)
		notified := func(who access.Actor, convID string) int {
			return w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND link = ?`, who.UserID, "/conversations/"+convID)
		}
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Go(func() {
				who, id := w.alex, direct.ID
				if i%2 == 1 {
					id = group.ID
				}
				if i%4 == 3 {
					who = w.bo
				}
				if _, _, err := Send(w.ctx, d, who, id, fmt.Sprint("hello ", i)); err != nil {
					t.Errorf("send: %v", err)
				}
			})
		}
		wg.Wait()
		// And a batch of sends into one conversation.
		var jobs []*sendJob
		for i := range 5 {
			jobs = append(jobs, prepareJob(t, w, w.ctx, w.alex, direct.ID, fmt.Sprint("batched ", i)))
		}
		runSendBatch(d, jobs)
		for _, j := range jobs {
			if j.err != nil {
				t.Fatal(j.err)
			}
		}
		if n := notified(w.peer, direct.ID); n != 1 {
			t.Errorf("peer notified %d times about the direct conversation, want 1", n)
		}
		if n := notified(w.peer, group.ID); n != 1 {
			t.Errorf("peer notified %d times about the group, want 1", n)
		}
		if n := notified(w.bo, group.ID); n != 1 {
			t.Errorf("bo notified %d times about the group, want 1", n)
		}
		if n := notified(w.alex, group.ID); n != 1 {
			t.Errorf("alex notified %d times about the group (bo wrote), want 1", n)
		}
		*now = now.Add(notifyEvery + time.Minute)
		jobs = jobs[:0]
		for i := range 3 {
			jobs = append(jobs, prepareJob(t, w, w.ctx, w.alex, direct.ID, fmt.Sprint("an hour later ", i)))
		}
		runSendBatch(d, jobs)
		if n := notified(w.peer, direct.ID); n != 2 {
			t.Errorf("peer notified %d times after an hour, want 2", n)
		}
		checkConversation(t, w, direct.ID, 8+5+3)
	})
}
