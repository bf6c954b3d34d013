package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the migration files rewritten for the engine: one
// schema, with SQLite's names for the two column types that differ, plus
// the few engine-only files.
func (d *DB) migrations() (fs.FS, error) {
	out := fstest.MapFS{}
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		// A name ending in .sqlite.sql or .postgres.sql is for that engine
		// only (triggers and functions, whose syntax differs); the other
		// engine skips it.
		if strings.HasSuffix(e.Name(), ".sqlite.sql") && d.engine != SQLite ||
			strings.HasSuffix(e.Name(), ".postgres.sql") && d.engine != Postgres {
			continue
		}
		b, err := fs.ReadFile(migrationFiles, "migrations/"+e.Name())
		if err != nil {
			return nil, err
		}
		text := string(b)
		if d.engine == SQLite {
			text = strings.NewReplacer("TIMESTAMPTZ", "TIMESTAMP", "BYTEA", "BLOB").Replace(text)
		}
		out[e.Name()] = &fstest.MapFile{Data: []byte(text), Mode: 0o444}
	}
	return out, nil
}

func (d *DB) goose() (*goose.Provider, error) {
	fsys, err := d.migrations()
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	if d.engine == Postgres {
		dialect = goose.DialectPostgres
	}
	return goose.NewProvider(dialect, d.write, fsys)
}

// Migrate applies Cairn's schema migrations and River's job-queue
// migrations. It is safe to run at every start.
func (d *DB) Migrate(ctx context.Context) error {
	p, err := d.goose()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return d.migrateRiver(ctx)
}

func (d *DB) migrateRiver(ctx context.Context) error {
	if d.engine == Postgres {
		pool, err := pgxpool.New(ctx, d.dsn)
		if err != nil {
			return fmt.Errorf("migrate river: %w", err)
		}
		defer pool.Close()
		m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
		if err != nil {
			return fmt.Errorf("migrate river: %w", err)
		}
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		if err != nil {
			return fmt.Errorf("migrate river: %w", err)
		}
		return nil
	}
	m, err := rivermigrate.New(riversqlite.New(d.write), nil)
	if err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	return nil
}

// MigrationsCurrent reports whether every embedded migration has been
// applied, for /readyz.
func (d *DB) MigrationsCurrent(ctx context.Context) (bool, error) {
	p, err := d.goose()
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, err
	}
	return !pending, nil
}

// MigrationFiles returns the embedded migration sources, so that tests can
// tell one schema version from another.
func MigrationFiles() fs.FS { return migrationFiles }
