// Package db opens Cairn's store on SQLite or PostgreSQL and keeps every
// difference between the two engines inside this package: placeholders,
// column types in migrations, locking, error codes and backups.
//
// Queries are written once with `?` placeholders; the DB rebinds them to
// `$1, $2, …` for PostgreSQL. Instants passed as arguments are converted to
// UTC so that stored timestamps compare correctly on both engines.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Engine names a supported database engine.
type Engine string

// The supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is an open Cairn database. Reads go to a pool of readers; writes and
// transactions go to the writer (on SQLite a single connection, so writes
// never contend for the database lock).
type DB struct {
	engine Engine
	dsn    string
	read   *sql.DB
	write  *sql.DB

	mu     sync.RWMutex
	rebind map[string]string

	// Prepared statements, on SQLite only (nil on PostgreSQL).
	readStmts, writeStmts *stmtCache
}

// Querier is what both a DB and a Tx offer, so that store functions can run
// inside or outside a transaction.
type Querier interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
	Engine() Engine
}

// Open opens the database named by url: a postgres:// or postgresql:// URL
// selects PostgreSQL; anything else is taken as the path of a SQLite file
// (":memory:" is not supported; use a temporary file).
func Open(ctx context.Context, url string) (*DB, error) {
	if IsPostgresURL(url) {
		return openPostgres(ctx, url)
	}
	return openSQLite(ctx, url)
}

// IsPostgresURL reports whether url selects PostgreSQL.
func IsPostgresURL(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// Engine reports which engine this database runs on.
func (d *DB) Engine() Engine { return d.engine }

// ConcurrentWriters reports whether several write transactions run at
// once (PostgreSQL); SQLite has one writer, and its writes queue.
func (d *DB) ConcurrentWriters() bool { return d.engine == Postgres }

// SQL returns the writer pool, for libraries (River, goose) that need a
// *sql.DB of their own. Feature code uses the DB's methods instead.
func (d *DB) SQL() *sql.DB { return d.write }

// ReadSQL returns the reader pool.
func (d *DB) ReadSQL() *sql.DB { return d.read }

// DSN returns the data source the database was opened with.
func (d *DB) DSN() string { return d.dsn }

// Close closes both pools.
func (d *DB) Close() error {
	d.readStmts.close()
	d.writeStmts.close()
	var errs []error
	if d.read != d.write {
		errs = append(errs, d.read.Close())
	}
	errs = append(errs, d.write.Close())
	return errors.Join(errs...)
}

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	return d.read.PingContext(ctx)
}

// Exec runs a statement on the writer.
func (d *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := d.writeStmts.get(ctx, query); st != nil {
		res, err := st.ExecContext(ctx, fixArgs(args)...)
		return res, translate(err)
	}
	res, err := d.write.ExecContext(ctx, d.Rebind(query), fixArgs(args)...)
	return res, translate(err)
}

// Query runs a query on a reader.
func (d *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := d.readStmts.get(ctx, query); st != nil {
		rows, err := st.QueryContext(ctx, fixArgs(args)...)
		return rows, translate(err)
	}
	rows, err := d.read.QueryContext(ctx, d.Rebind(query), fixArgs(args)...)
	return rows, translate(err)
}

// QueryRow runs a query expected to return at most one row on a reader.
// Scan errors should be passed through [Err] to become [ErrNotFound].
func (d *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := d.readStmts.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, fixArgs(args)...)
	}
	return d.read.QueryRowContext(ctx, d.Rebind(query), fixArgs(args)...)
}

// Tx runs fn inside one write transaction, committing when fn returns nil
// and rolling back otherwise.
func (d *DB) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	stx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	tx := &Tx{db: d, tx: stx}
	if err := fn(tx); err != nil {
		_ = stx.Rollback()
		return err
	}
	for _, f := range tx.beforeCommit {
		if err := f(ctx); err != nil {
			_ = stx.Rollback()
			return err
		}
	}
	if err := stx.Commit(); err != nil {
		return translate(err)
	}
	tx.prepareMissed(ctx)
	for _, f := range tx.afterCommit {
		f()
	}
	return nil
}

// Tx is a write transaction.
type Tx struct {
	db           *DB
	tx           *sql.Tx
	beforeCommit []func(context.Context) error
	afterCommit  []func()
	stash        map[any]any
	missed       []string
}

// maxCachedParams is the most parameters a statement noted for the cache
// may have.
const maxCachedParams = 32

// prepareMissed prepares, once the transaction has committed and released
// the writer, the statements it ran unprepared, so that later transactions
// find them in the cache (on SQLite, where parsing is much of a small
// statement's cost).
func (t *Tx) prepareMissed(ctx context.Context) {
	for _, q := range t.missed {
		t.db.writeStmts.get(context.WithoutCancel(ctx), q)
	}
}

// BeforeCommit runs f inside the transaction just before it commits, after
// fn has returned; an error rolls the transaction back. For work batched
// over a whole transaction (many live events in one statement).
func (t *Tx) BeforeCommit(f func(ctx context.Context) error) {
	t.beforeCommit = append(t.beforeCommit, f)
}

// Stash returns the value kept with the transaction under key, creating it
// with mk (and reporting created) the first time: state that lives exactly
// as long as the transaction.
func (t *Tx) Stash(key any, mk func() any) (v any, created bool) {
	if v, ok := t.stash[key]; ok {
		return v, false
	}
	if t.stash == nil {
		t.stash = map[any]any{}
	}
	v = mk()
	t.stash[key] = v
	return v, true
}

// AfterCommit runs f once the transaction has committed (never if it rolls
// back), for effects outside the database such as waking a live page.
func (t *Tx) AfterCommit(f func()) { t.afterCommit = append(t.afterCommit, f) }

// DB returns the database the transaction belongs to.
func (t *Tx) DB() *DB { return t.db }

// Engine reports which engine the transaction runs on.
func (t *Tx) Engine() Engine { return t.db.engine }

// SQL returns the underlying *sql.Tx, for libraries (River) that insert in
// the same transaction.
func (t *Tx) SQL() *sql.Tx { return t.tx }

// Exec runs a statement in the transaction.
func (t *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		res, err := st.ExecContext(ctx, fixArgs(args)...)
		return res, translate(err)
	}
	res, err := t.tx.ExecContext(ctx, t.db.Rebind(query), fixArgs(args)...)
	return res, translate(err)
}

// Query runs a query in the transaction.
func (t *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		rows, err := st.QueryContext(ctx, fixArgs(args)...)
		return rows, translate(err)
	}
	rows, err := t.tx.QueryContext(ctx, t.db.Rebind(query), fixArgs(args)...)
	return rows, translate(err)
}

// QueryRow runs a single-row query in the transaction.
func (t *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, fixArgs(args)...)
	}
	return t.tx.QueryRowContext(ctx, t.db.Rebind(query), fixArgs(args)...)
}

// stmt returns the writer's prepared statement for query bound to the
// transaction, when one was prepared before, or nil. It never prepares: the
// transaction holds SQLite's only writer connection, so preparing on the
// pool would wait for itself. It notes the query instead, and Tx prepares
// it after the commit.
func (t *Tx) stmt(ctx context.Context, query string) *sql.Stmt {
	st := t.db.writeStmts.peek(query)
	if st == nil {
		// Statements built for a number of rows or ids (multi-row inserts,
		// IN lists) come in many shapes; caching each would fill the cache
		// with one-offs, so only statements with few parameters are kept.
		if t.db.writeStmts != nil && len(t.missed) < 64 && strings.Count(query, "?") <= maxCachedParams {
			t.missed = append(t.missed, query)
		}
		return nil
	}
	return t.tx.StmtContext(ctx, st)
}

// Rebind rewrites `?` placeholders for the engine. Question marks inside
// single-quoted string literals are left alone.
func (d *DB) Rebind(query string) string {
	if d.engine != Postgres {
		return query
	}
	d.mu.RLock()
	q, ok := d.rebind[query]
	d.mu.RUnlock()
	if ok {
		return q
	}
	var b strings.Builder
	n, quoted := 0, false
	for _, r := range query {
		switch {
		case r == '\'':
			quoted = !quoted
			b.WriteRune(r)
		case r == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteRune(r)
		}
	}
	q = b.String()
	d.mu.Lock()
	if len(d.rebind) < 10000 {
		d.rebind[query] = q
	}
	d.mu.Unlock()
	return q
}

// fixArgs stores instants in UTC, so that text timestamps on SQLite sort and
// compare as instants.
func fixArgs(args []any) []any {
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			args[i] = v.UTC()
		case *time.Time:
			if v != nil {
				args[i] = v.UTC()
			} else {
				args[i] = nil
			}
		}
	}
	return args
}

// Placeholders returns n comma-separated `?` placeholders, for IN lists.
func Placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// LockAuditChain takes the lock that serialises appends to the audit chain
// for the rest of the transaction. SQLite transactions are already serial
// (one writer, BEGIN IMMEDIATE); PostgreSQL takes a transaction-scoped
// advisory lock.
func (t *Tx) LockAuditChain(ctx context.Context) error {
	if t.db.engine != Postgres {
		return nil
	}
	_, err := t.tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7243000001)")
	return translate(err)
}

// String describes the database without secrets, for start-up messages.
func (d *DB) String() string {
	if d.engine == Postgres {
		return "PostgreSQL"
	}
	return fmt.Sprintf("SQLite (%s)", d.dsn)
}
