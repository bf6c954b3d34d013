package db

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps prepared statements per query text. SQLite spends much of
// a small query's time parsing it; a prepared statement is parsed once per
// connection. (pgx keeps its own statement cache on PostgreSQL.)
type stmtCache struct {
	pool *sql.DB
	mu   sync.RWMutex
	m    map[string]*sql.Stmt
}

// maxCachedStmts bounds the cache; queries past it run unprepared. Cairn's
// queries are constants, so the bound is only a guard against a caller
// building query text from data.
const maxCachedStmts = 1000

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: map[string]*sql.Stmt{}}
}

// get returns the prepared statement for query, or nil when it cannot be
// cached (the caller then runs the query directly, which reports any error).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	st, ok := c.m[query]
	c.mu.RUnlock()
	if ok {
		return st
	}
	// Prepare without holding the lock: on SQLite's writer, preparing
	// waits for the one connection, which a transaction may hold while it
	// peeks into this cache.
	if c.size() >= maxCachedStmts {
		return nil
	}
	st, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.m[query]; ok {
		_ = st.Close()
		return prev
	}
	c.m[query] = st
	return st
}

func (c *stmtCache) size() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

// peek returns the statement for query if it is already prepared.
func (c *stmtCache) peek(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[query]
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		_ = st.Close()
	}
	c.m = map[string]*sql.Stmt{}
}
