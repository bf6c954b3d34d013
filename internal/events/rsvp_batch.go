package events

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// Group commit of RSVPs. A popular occurrence gets many answers at once,
// and each is a short transaction whose cost is mostly its commit (and, on
// PostgreSQL, waiting for the audit chain's lock, which every audited
// write holds until it commits). So answers that arrive while a
// transaction runs wait for the next one, and all of them share it: one
// begin, one commit, one WAL flush for the whole batch.
//
// Inside a batch the occurrences are locked first, in a fixed order (so
// that two batches, on two instances, never deadlock, and no batch takes
// an occurrence after the audit lock), then the answers are decided one
// after the other in arrival order, exactly as alone. An answer refused
// for a reason of its own (closed, cancelled, too many people) is refused
// before it writes anything, so the others go on. Any other error rolls
// the batch back and each answer is retried in a transaction of its own,
// so that one bad answer never fails the rest.

// maxBatch bounds the answers one transaction takes.
const maxBatch = 128

// rsvpJob is one answer waiting for a transaction.
type rsvpJob struct {
	actor access.Actor
	e     *Event
	occ   string
	in    RSVPInput

	out *RSVP
	// recheck: a promotion ran, so out's state is read again.
	recheck bool
	err     error
	done    chan struct{}
}

// batcher runs the answers for one database.
type batcher struct {
	d       *db.DB
	mu      sync.Mutex
	queue   []*rsvpJob
	running bool
}

var batchers sync.Map // *db.DB → *batcher

func batcherFor(d *db.DB) *batcher {
	if b, ok := batchers.Load(d); ok {
		return b.(*batcher)
	}
	b, _ := batchers.LoadOrStore(d, &batcher{d: d})
	return b.(*batcher)
}

// submit queues j; its done channel closes when it has run.
func (b *batcher) submit(j *rsvpJob) {
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
func (b *batcher) run() {
	for {
		b.mu.Lock()
		n := min(len(b.queue), maxBatch)
		if n == 0 {
			// Forget an idle batcher, so that closed databases (tests) do
			// not pile up. An answer that still holds b restarts it; two
			// batchers for one database are safe, only less shared.
			b.running = false
			batchers.CompareAndDelete(b.d, b)
			b.mu.Unlock()
			return
		}
		jobs := append([]*rsvpJob(nil), b.queue[:n]...)
		b.queue = append(b.queue[:0], b.queue[n:]...)
		b.mu.Unlock()
		b.runBatch(jobs)
	}
}

// errRetryAlone marks a batch that must be retried answer by answer.
var errRetryAlone = errors.New("events: rsvp batch: retry alone")

// runBatch runs jobs in one transaction, or each alone when one fails in
// a way that is not its own refusal.
func (b *batcher) runBatch(jobs []*rsvpJob) {
	ctx := context.Background()
	err := b.d.Tx(ctx, func(tx *db.Tx) error {
		return decideAll(ctx, tx, jobs, len(jobs) > 1)
	})
	if errors.Is(err, errRetryAlone) {
		for _, j := range jobs {
			b.runBatch([]*rsvpJob{j})
		}
		return
	}
	for _, j := range jobs {
		if err != nil && j.err == nil {
			j.err = err
			j.out = nil
		}
		close(j.done)
	}
}

// decideAll locks the occurrences of jobs in a fixed order and decides
// each answer in arrival order. With shared, an error that is not a job's
// own refusal is errRetryAlone; alone, it is the job's error and rolls
// back.
func decideAll(ctx context.Context, tx *db.Tx, jobs []*rsvpJob, shared bool) error {
	type key struct{ event, occ string }
	locked := map[key]error{}
	counters := map[key]*occCounters{}
	keys := make([]key, 0, len(jobs))
	events := map[key]*Event{}
	for _, j := range jobs {
		k := key{j.e.ID, j.occ}
		if _, ok := events[k]; !ok {
			events[k] = j.e
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].event != keys[j].event {
			return keys[i].event < keys[j].event
		}
		return keys[i].occ < keys[j].occ
	})
	for _, k := range keys {
		err := lockMaterialized(ctx, tx, events[k], k.occ)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return fail(err, shared)
		}
		locked[k] = err
	}
	for _, j := range jobs {
		j.out, j.recheck, j.err = nil, false, nil
		if err := locked[key{j.e.ID, j.occ}]; err != nil {
			j.err = err
			continue
		}
		k := key{j.e.ID, j.occ}
		st := counters[k]
		if st == nil {
			st = &occCounters{}
			counters[k] = st
		}
		s, err := readSlot(ctx, tx, j.e.ID, j.occ, j.actor.UserID)
		if err == nil {
			st.sync(s)
			err = s.open(ctx, tx, j.e)
			if err == nil {
				j.out, j.recheck, err = s.apply(ctx, tx, j.e, j.actor, j.in, st)
			}
		}
		var v members.ValidationError
		switch {
		case err == nil:
		case errors.As(err, &v):
			j.err = err // refused before writing anything
		default:
			j.err = err
			return fail(err, shared)
		}
	}
	for _, k := range keys {
		if st := counters[k]; st != nil {
			if err := st.flush(ctx, tx, k.event, k.occ); err != nil {
				return fail(err, shared)
			}
		}
	}
	return nil
}

// occCounters are an occurrence's counters during a batch. On PostgreSQL
// every UPDATE of the row leaves a row version that later reads in the
// same transaction walk past, so the batch keeps the counters here and
// writes them once at the end (and before a promotion, which reads and
// writes them itself).
type occCounters struct {
	// loaded: confirmed, next and left hold the current values, ahead of
	// the stored ones by the pending changes.
	loaded                 bool
	confirmed, next, left  int
	dSeats, dTicket, dLeft int
}

// sync makes s's counters current: the stored ones the first time (and
// after a promotion), the batch's own afterwards.
func (c *occCounters) sync(s *slot) {
	if !c.loaded {
		c.loaded = true
		c.confirmed, c.next, c.left = s.confirmedPeople, s.waitlistNext, s.waitlistLeft
		return
	}
	s.confirmedPeople, s.waitlistNext, s.waitlistLeft = c.confirmed, c.next, c.left
	s.occ.ConfirmedPeople = c.confirmed
}

// add records a change that s already shows.
func (c *occCounters) add(s *slot, seats, ticket, left int) {
	c.confirmed, c.next, c.left = s.confirmedPeople, s.waitlistNext, s.waitlistLeft
	c.dSeats += seats
	c.dTicket += ticket
	c.dLeft += left
}

// flush writes the pending changes.
func (c *occCounters) flush(ctx context.Context, tx *db.Tx, eventID, occ string) error {
	if c.dSeats == 0 && c.dTicket == 0 && c.dLeft == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE event_occurrences SET confirmed_people = confirmed_people + ?,
		waitlist_next = waitlist_next + ?, waitlist_left = waitlist_left + ? WHERE event_id = ? AND occurrence = ?`,
		c.dSeats, c.dTicket, c.dLeft, eventID, occ); err != nil {
		return fmt.Errorf("events: rsvp: count: %w", err)
	}
	c.dSeats, c.dTicket, c.dLeft = 0, 0, 0
	return nil
}

func fail(err error, shared bool) error {
	if shared {
		return errRetryAlone
	}
	return err
}
