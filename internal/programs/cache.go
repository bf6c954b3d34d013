package programs

import (
	"context"
	"sync"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
)

// locations caches loaded time zones: time.LoadLocation reads the zone
// database from disk on every call.
var locations sync.Map // name → *time.Location

func loadLocation(name string) (*time.Location, error) {
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, l)
	return l, nil
}

// Cache keeps programs in memory for a short time, because every page
// shows its program (name, phone for the crisis footer, time zone). A
// change made through Update on this instance is seen at once; one made by
// another instance within TTL.
type Cache struct {
	db  *db.DB
	ttl time.Duration

	mu      sync.Mutex
	byID    map[string]cached
	first   cached
	hasList bool
}

type cached struct {
	p  *Program
	at time.Time
}

// NewCache returns a cache over d whose entries live for ttl.
func NewCache(d *db.DB, ttl time.Duration) *Cache {
	return &Cache{db: d, ttl: ttl, byID: map[string]cached{}}
}

// Get returns the program with id.
func (c *Cache) Get(ctx context.Context, id string) (*Program, error) {
	now := time.Now()
	c.mu.Lock()
	e, ok := c.byID[id]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl {
		return e.p, nil
	}
	p, err := Get(ctx, c.db, id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.byID[id] = cached{p, now}
	c.mu.Unlock()
	return p, nil
}

// Default returns the oldest program (the one the public pages describe),
// or nil when the installation has none yet.
func (c *Cache) Default(ctx context.Context) (*Program, error) {
	now := time.Now()
	c.mu.Lock()
	e, ok := c.first, c.hasList
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl {
		return e.p, nil
	}
	list, err := List(ctx, c.db)
	if err != nil {
		return nil, err
	}
	var p *Program
	if len(list) > 0 {
		p = list[0]
	}
	c.mu.Lock()
	c.first, c.hasList = cached{p, now}, true
	c.mu.Unlock()
	return p, nil
}

// Forget drops every entry, after a change on this instance.
func (c *Cache) Forget() {
	c.mu.Lock()
	c.byID = map[string]cached{}
	c.hasList = false
	c.mu.Unlock()
}
