// Package testkit gives tests fresh databases on both engines, fixtures
// and (in browser.go) a headless browser.
package testkit

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/cairn-recovery/cairn/internal/db"
)

// DefaultPostgresURL is the PostgreSQL server tests use when
// CAIRN_TEST_DATABASE_URL is unset: the one this project's CI machine runs.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// InCI reports whether the tests run in CI, where PostgreSQL and browser
// tests are mandatory.
func InCI() bool { return os.Getenv("CI") == "true" }

// Engines runs fn as a subtest once per engine: SQLite always, PostgreSQL
// when a server is reachable (mandatory in CI). Each subtest gets a fresh,
// migrated database that is removed afterwards.
func Engines(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a fresh, migrated SQLite database in a temporary folder.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cairn.db")
	ctx := context.Background()
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	return d
}

var (
	pgOnce   sync.Once
	pgAdmin  *sql.DB
	pgBase   *url.URL
	pgTmpl   string
	pgSetErr error
)

// PostgresURL returns the URL of the server tests use, and whether one is
// configured or reachable.
func PostgresURL() string {
	if u := os.Getenv("CAIRN_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// Postgres returns a fresh, migrated PostgreSQL database, cloned from a
// template migrated once per schema version, and dropped when the test ends.
// Without a reachable server the test is skipped, except in CI where it fails.
func Postgres(t testing.TB) *db.DB {
	t.Helper()
	pgOnce.Do(setupPostgres)
	if pgSetErr != nil {
		if InCI() || os.Getenv("CAIRN_TEST_DATABASE_URL") != "" {
			t.Fatalf("PostgreSQL is required here but unavailable: %v", pgSetErr)
		}
		t.Skipf("skipping PostgreSQL: no server at %s (set CAIRN_TEST_DATABASE_URL): %v", redact(PostgresURL()), pgSetErr)
	}
	ctx := context.Background()
	name := "cairn_test_" + randHex(6)
	if _, err := pgAdmin.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, pgTmpl)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	u := *pgBase
	u.Path = "/" + name
	d, err := db.Open(ctx, u.String())
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() {
		d.Close()
		_, _ = pgAdmin.ExecContext(context.Background(), fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
	})
	return d
}

// NewPostgresDatabase creates an empty, unmigrated database and returns its
// URL and a function that drops it. For tests of cairn's own start-up.
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	pgOnce.Do(setupPostgres)
	if pgSetErr != nil {
		if InCI() {
			t.Fatalf("PostgreSQL is required in CI but unavailable: %v", pgSetErr)
		}
		t.Skipf("skipping PostgreSQL: %v", pgSetErr)
	}
	name := "cairn_test_" + randHex(6)
	if _, err := pgAdmin.Exec(fmt.Sprintf("CREATE DATABASE %s", name)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = pgAdmin.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
	})
	u := *pgBase
	u.Path = "/" + name
	return u.String()
}

func setupPostgres() {
	ctx := context.Background()
	u, err := url.Parse(PostgresURL())
	if err != nil {
		pgSetErr = err
		return
	}
	pgBase = u
	pgAdmin, err = sql.Open("pgx", u.String())
	if err == nil {
		err = pgAdmin.PingContext(ctx)
	}
	if err != nil {
		pgSetErr = err
		return
	}
	pgAdmin.SetMaxOpenConns(4)
	// The template's name follows the migrations, so a schema change gets
	// a new template and parallel packages share one that is complete.
	pgTmpl = "cairn_tmpl_" + migrationsHash()
	conn, err := pgAdmin.Conn(ctx)
	if err != nil {
		pgSetErr = err
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7243000002)"); err != nil {
		pgSetErr = err
		return
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock(7243000002)")
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", pgTmpl).Scan(&exists); err != nil {
		pgSetErr = err
		return
	}
	if exists {
		return
	}
	build := pgTmpl + "_build_" + randHex(4)
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+build); err != nil {
		pgSetErr = err
		return
	}
	tu := *u
	tu.Path = "/" + build
	d, err := db.Open(ctx, tu.String())
	if err == nil {
		err = d.Migrate(ctx)
		d.Close()
	}
	if err == nil {
		_, err = conn.ExecContext(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", build, pgTmpl))
	}
	if err != nil {
		_, _ = conn.ExecContext(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", build))
		pgSetErr = fmt.Errorf("prepare template database: %w", err)
	}
}

func migrationsHash() string {
	h := sha256.New()
	_ = fs.WalkDir(db.MigrationFiles(), ".", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(db.MigrationFiles(), path)
		h.Write([]byte(path))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	if p.User != nil {
		p.User = url.User(p.User.Username())
	}
	return strings.TrimSpace(p.String())
}
