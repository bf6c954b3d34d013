package conversations

import (
	"context"
	"crypto/cipher"
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/crisis"
)

// Group commit of sends, as for RSVPs (internal/events/rsvp_batch.go).
// A send's own work is a handful of short statements; its cost was mostly
// the transaction around them (begin, commit, the WAL write on SQLite's
// one writer; on PostgreSQL the round trips and the commit's flush). So
// sends that arrive while a transaction runs wait for the next one, and
// all of them share it.
//
// Inside a batch the conversations are locked first, in the order of
// their ids (so that two batches, on two instances, never deadlock), and
// every message of a conversation is stamped then, in arrival order. Then
// the messages are stored, the authors' read state and the members'
// notifications are written, and the crisis check runs last: it takes the
// audit chain's lock, which is taken after any member's row everywhere
// else (MarkRead), so it must come after the batch's member rows too. A
// send refused for a reason of its own (its conversation is gone) is
// refused before anything is written for it, so the others go on. Any
// other error rolls the batch back and each send is retried in a
// transaction of its own, so that one bad send never fails the rest.

// maxSendBatch bounds the sends one transaction takes.
const maxSendBatch = 64

// pgLanes is how many batches run at once on PostgreSQL, each for its own
// share of the conversations (by a hash of the id, so that the sends into
// one conversation keep their order and two lanes never wait for each
// other's conversation rows). A batch there is many round trips, each a
// wait for the server, so several run side by side (8 of the pool's 20
// connections at most); SQLite has one writer, and one lane.
const pgLanes = 8

// sendJob is one message waiting for a transaction.
type sendJob struct {
	// caller is the sender's context: a send whose caller has gone before
	// its batch starts is not sent. ctx is the same without its
	// cancellation, for the statements: a caller that goes away during
	// the batch does not break it.
	caller, ctx context.Context
	actor       access.Actor
	c           *convRow
	body        string
	p           *prepared

	msgID   string
	sentAt  time.Time
	out     *Message
	matched bool
	err     error
	done    chan struct{}
}

func newSendJob(ctx context.Context, actor access.Actor, c *convRow, body string, p *prepared) *sendJob {
	return &sendJob{caller: ctx, ctx: context.WithoutCancel(ctx), actor: actor, c: c, body: body, p: p,
		msgID: uuid.Must(uuid.NewV7()).String(), done: make(chan struct{})}
}

// sendBatcher runs the sends for one lane of one database.
type sendBatcher struct {
	key     laneKey
	d       *db.DB
	mu      sync.Mutex
	queue   []*sendJob
	running bool
}

// laneKey names a lane of a database.
type laneKey struct {
	d    *db.DB
	lane uint32
}

var sendBatchers sync.Map // laneKey → *sendBatcher

// sendBatcherFor returns the batcher for sends into conversation convID.
func sendBatcherFor(d *db.DB, convID string) *sendBatcher {
	k := laneKey{d: d}
	if d.ConcurrentWriters() {
		h := fnv.New32a()
		h.Write([]byte(convID))
		k.lane = h.Sum32() % pgLanes
	}
	if b, ok := sendBatchers.Load(k); ok {
		return b.(*sendBatcher)
	}
	b, _ := sendBatchers.LoadOrStore(k, &sendBatcher{key: k, d: d})
	return b.(*sendBatcher)
}

// submit queues j; its done channel closes when it has run.
func (b *sendBatcher) submit(j *sendJob) {
	b.mu.Lock()
	b.queue = append(b.queue, j)
	start := !b.running
	b.running = true
	b.mu.Unlock()
	if start {
		go b.run()
	}
}

// run takes batches off the queue until it is empty.
func (b *sendBatcher) run() {
	for {
		b.mu.Lock()
		n := min(len(b.queue), maxSendBatch)
		if n == 0 {
			// Forget an idle batcher, so that closed databases (tests) do
			// not pile up. A send that still holds b restarts it; two
			// batchers for one database are safe, only less shared.
			b.running = false
			sendBatchers.CompareAndDelete(b.key, b)
			b.mu.Unlock()
			return
		}
		jobs := append([]*sendJob(nil), b.queue[:n]...)
		b.queue = append(b.queue[:0], b.queue[n:]...)
		b.mu.Unlock()
		ready := jobs[:0:0]
		for _, j := range jobs {
			if err := j.caller.Err(); err != nil {
				j.err = err
				close(j.done)
				continue
			}
			ready = append(ready, j)
		}
		if len(ready) > 0 {
			runSendBatch(b.d, ready)
		}
	}
}

// errRetryAlone marks a batch that must be retried send by send.
var errRetryAlone = errors.New("conversations: send batch: retry alone")

// runSendBatch runs jobs in one transaction, or each alone when one fails
// in a way that is not its own refusal, and closes their done channels.
func runSendBatch(d *db.DB, jobs []*sendJob) {
	try := func() error {
		return d.Tx(context.Background(), func(tx *db.Tx) error {
			return sendAll(context.Background(), tx, jobs, len(jobs) > 1)
		})
	}
	err := try()
	// A send that read the active key just before a rotation made another
	// one active and deleted it finds its key gone (a foreign-key
	// conflict): tried again, it reads the new key. Any other conflict
	// (the author's account deleted meanwhile) only fails again.
	for retries := 0; len(jobs) == 1 && errors.Is(err, db.ErrConflict) && retries < 2; retries++ {
		err = try()
	}
	if errors.Is(err, errRetryAlone) {
		for _, j := range jobs {
			runSendBatch(d, []*sendJob{j})
		}
		return
	}
	for _, j := range jobs {
		if err != nil && j.err == nil {
			j.err = err
		}
		if j.err != nil {
			j.out, j.matched = nil, false
		}
		close(j.done)
	}
}

// sendAll stores and fans out the messages of jobs inside tx. With
// shared, an error that is not a job's own refusal is errRetryAlone;
// alone, it is the job's error and rolls back.
func sendAll(ctx context.Context, tx *db.Tx, jobs []*sendJob, shared bool) error {
	fail := func(j *sendJob, err error) error {
		if shared {
			return errRetryAlone
		}
		if j != nil {
			j.err = err
		}
		return err
	}
	// Lock and stamp the conversations, in the order of their ids.
	byConv := map[string][]*sendJob{}
	var ids []string
	for _, j := range jobs {
		j.out, j.matched, j.err = nil, false, nil
		if byConv[j.c.id] == nil {
			ids = append(ids, j.c.id)
		}
		byConv[j.c.id] = append(byConv[j.c.id], j)
	}
	sort.Strings(ids)
	for _, id := range ids {
		js := byConv[id]
		err := stampAll(ctx, tx, js)
		if errors.Is(err, access.ErrNotFound) {
			for _, j := range js {
				j.err = err // refused before writing anything
			}
			if !shared {
				return err
			}
			continue
		}
		if err != nil {
			return fail(js[0], err)
		}
	}
	var ok []*sendJob
	for _, j := range jobs {
		if j.err == nil {
			ok = append(ok, j)
		}
	}
	if len(ok) == 0 {
		return nil
	}
	// Store the messages, in one statement, under the program's active
	// key, read once per batch.
	keys := map[string]struct {
		id string
		a  cipher.AEAD
	}{}
	rows := make([][]any, 0, len(ok))
	for _, j := range ok {
		k, found := keys[j.c.programID]
		if !found {
			id, a, err := activeKey(ctx, tx, j.c.programID)
			if err != nil {
				return fail(j, err)
			}
			k.id, k.a = id, a
			keys[j.c.programID] = k
		}
		nonce, ct, err := seal(k.a, j.c.id, j.msgID, j.body)
		if err != nil {
			return fail(j, err)
		}
		rows = append(rows, []any{j.msgID, j.c.id, j.c.programID, j.actor.UserID, k.id, nonce, ct, j.sentAt})
	}
	if err := tx.InsertRows(ctx, `INSERT INTO conversation_messages (id, conversation_id, program_id, author_id, key_id, nonce, body, sent_at) VALUES `, rows); err != nil {
		return fail(ok[0], fmt.Errorf("conversations: send: %w", err))
	}
	// The authors have read what they wrote: each author's last message
	// in each conversation.
	type reader struct{ conv, user string }
	read := map[reader]*sendJob{}
	var readers []reader
	for _, j := range ok {
		r := reader{j.c.id, j.actor.UserID}
		if read[r] == nil {
			readers = append(readers, r)
		}
		read[r] = j
	}
	sort.Slice(readers, func(a, b int) bool {
		if readers[a].conv != readers[b].conv {
			return readers[a].conv < readers[b].conv
		}
		return readers[a].user < readers[b].user
	})
	for _, r := range readers {
		j := read[r]
		if _, err := tx.Exec(j.ctx, `UPDATE conversation_members SET last_read_at = ?, last_read_id = ? WHERE conversation_id = ? AND user_id = ?`,
			j.sentAt, j.msgID, r.conv, r.user); err != nil {
			return fail(j, fmt.Errorf("conversations: send: %w", err))
		}
	}
	// Live events and notifications, in arrival order.
	for _, j := range ok {
		author := j.c.member(j.actor.UserID)
		if err := fanOut(j.ctx, tx, j.c, author, j.msgID, j.sentAt, j.p); err != nil {
			return fail(j, err)
		}
		// A participant's own message is not an audit entry: the message
		// row records who wrote what when, and the audit log is for
		// access by staff (issue #6). Staff reads go through
		// StaffMessages, audited.
		j.out = &Message{ID: j.msgID, ConversationID: j.c.id, AuthorID: j.actor.UserID, AuthorName: author.name,
			Body: j.body, SentAt: j.sentAt, Mine: true}
	}
	// The crisis check last: it takes the audit chain's lock.
	for _, j := range ok {
		matched, err := crisis.Check(j.ctx, tx, j.actor, j.body, crisis.Source{Kind: "message", ID: j.msgID, Link: "/conversations/" + j.c.id})
		if err != nil {
			return fail(j, err)
		}
		j.matched = matched
	}
	return nil
}

// stampAll makes the last of js, the sends into one conversation in
// arrival order, the conversation's last message, and gives each its
// sent_at, which increases strictly inside a conversation, so that "read
// up to an instant" is exact. It locks the conversation's row (on
// PostgreSQL; SQLite has one writer) until the commit. The first UPDATE
// succeeds when no message came since the conversation was read, the
// usual case; otherwise the times are taken after the latest message. A
// conversation that is gone is access.ErrNotFound, with nothing written.
func stampAll(ctx context.Context, tx *db.Tx, js []*sendJob) error {
	c := js[0].c
	after := c.lastMessageAt
	for _, j := range js {
		if j.c.lastMessageAt.After(after) {
			after = j.c.lastMessageAt
		}
	}
	stampFrom(js, after)
	first, last := js[0], js[len(js)-1]
	res, err := tx.Exec(ctx, `UPDATE conversations SET last_message_id = ?, last_message_at = ? WHERE id = ? AND last_message_at < ?`,
		last.msgID, last.sentAt, c.id, first.sentAt)
	if err != nil {
		return fmt.Errorf("conversations: send: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var stored time.Time
	err = tx.QueryRow(ctx, `UPDATE conversations SET last_message_id = last_message_id WHERE id = ? RETURNING last_message_at`, c.id).Scan(&stored)
	if err = db.Err(err); err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return access.ErrNotFound
		}
		return fmt.Errorf("conversations: send: %w", err)
	}
	stampFrom(js, stored)
	if _, err := tx.Exec(ctx, `UPDATE conversations SET last_message_id = ?, last_message_at = ? WHERE id = ?`,
		last.msgID, last.sentAt, c.id); err != nil {
		return fmt.Errorf("conversations: send: %w", err)
	}
	return nil
}

// stampFrom gives js increasing times from now, all after after.
func stampFrom(js []*sendJob, after time.Time) {
	t := now()
	for _, j := range js {
		if !t.After(after) {
			t = after.Add(time.Microsecond)
		}
		j.sentAt = t
		after = t
	}
}
