package live

import (
	"sync"

	"github.com/cairn-recovery/cairn/internal/db"
)

// registry holds, per SQLite database, the running hubs of this process.
// (A SQLite database is served by one process, so this is all the fan-out
// it needs.)
var registry = struct {
	sync.RWMutex
	hubs map[*db.DB]map[*Hub]struct{}
}{hubs: map[*db.DB]map[*Hub]struct{}{}}

func register(d *db.DB, h *Hub) {
	registry.Lock()
	defer registry.Unlock()
	m := registry.hubs[d]
	if m == nil {
		m = map[*Hub]struct{}{}
		registry.hubs[d] = m
	}
	m[h] = struct{}{}
}

func unregister(d *db.DB, h *Hub) {
	registry.Lock()
	defer registry.Unlock()
	delete(registry.hubs[d], h)
	if len(registry.hubs[d]) == 0 {
		delete(registry.hubs, d)
	}
}

// localDeliver hands ev to every running hub of d in this process.
func localDeliver(d *db.DB, userID string, ev Event) {
	registry.RLock()
	defer registry.RUnlock()
	for h := range registry.hubs[d] {
		h.deliver(userID, ev)
	}
}
