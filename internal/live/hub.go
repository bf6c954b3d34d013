package live

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
)

// subscriberBuffer is how many events a subscriber may fall behind before
// its backlog is replaced by one resync event.
const subscriberBuffer = 32

// heartbeatInterval is how often an idle event stream sends a comment, so
// that proxies and browsers keep the connection open.
const heartbeatInterval = 25 * time.Second

// Hub fans events out to this instance's subscribers (SSE connections).
type Hub struct {
	db  *db.DB
	log *slog.Logger

	mu   sync.RWMutex
	subs map[string]map[*subscriber]struct{}

	conns     atomic.Int64
	heartbeat time.Duration

	readyOnce sync.Once
	ready     chan struct{}
	stopOnce  sync.Once
	stopped   chan struct{}
}

// subscriber is one open subscription.
type subscriber struct {
	mu sync.Mutex // serialises sends, so that an overflow is handled once
	ch chan Event
}

// NewHub returns a hub for the database d. Call Run to start receiving
// events.
func NewHub(d *db.DB, logger *slog.Logger) *Hub {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Hub{
		db:        d,
		log:       logger,
		subs:      map[string]map[*subscriber]struct{}{},
		heartbeat: heartbeatInterval,
		ready:     make(chan struct{}),
		stopped:   make(chan struct{}),
	}
}

// Run receives events until ctx is done: on PostgreSQL it listens on a
// dedicated connection, reconnecting with backoff; on SQLite it registers
// with this process's publishers. When Run returns, open event streams end.
func (h *Hub) Run(ctx context.Context) error {
	defer h.stopOnce.Do(func() { close(h.stopped) })
	if h.db.Engine() == db.Postgres {
		return h.listen(ctx)
	}
	register(h.db, h)
	defer unregister(h.db, h)
	h.markReady()
	<-ctx.Done()
	return nil
}

// Ready is closed once the hub receives events (on PostgreSQL, once its
// first LISTEN succeeded).
func (h *Hub) Ready() <-chan struct{} { return h.ready }

func (h *Hub) markReady() { h.readyOnce.Do(func() { close(h.ready) }) }

// Subscribe returns a channel of userID's events and a function that ends
// the subscription (and closes the channel). A subscriber that falls
// behind never slows others down: its backlog is dropped and replaced by
// one event of type [ResyncType].
func (h *Hub) Subscribe(userID string) (<-chan Event, func()) {
	s := &subscriber{ch: make(chan Event, subscriberBuffer)}
	h.mu.Lock()
	m := h.subs[userID]
	if m == nil {
		m = map[*subscriber]struct{}{}
		h.subs[userID] = m
	}
	m[s] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs[userID], s)
			if len(h.subs[userID]) == 0 {
				delete(h.subs, userID)
			}
			h.mu.Unlock()
			// No delivery is running for s any more: deliveries hold the
			// read lock while they send.
			close(s.ch)
		})
	}
}

// Connections reports the number of open SSE connections.
func (h *Hub) Connections() int { return int(h.conns.Load()) }

// deliver hands ev to userID's subscribers without blocking.
func (h *Hub) deliver(userID string, ev Event) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.subs[userID] {
		s.send(ev)
	}
}

// resyncAll tells every subscriber that events may have been lost.
func (h *Hub) resyncAll() {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, m := range h.subs {
		for s := range m {
			s.send(Event{Type: ResyncType, Data: []byte("{}")})
		}
	}
}

// send queues ev; when the buffer is full it drops the backlog and queues
// a resync event instead.
func (s *subscriber) send(ev Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case s.ch <- ev:
		return
	default:
	}
drain:
	for {
		select {
		case <-s.ch:
		default:
			break drain
		}
	}
	select {
	case s.ch <- Event{Type: ResyncType, Data: []byte("{}")}:
	default:
	}
}
