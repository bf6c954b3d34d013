package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// OpenExtraSQLite opens a second writer pool of one connection to the same
// SQLite file, with the same pragmas as the DB's own writer, for a library
// (River) that needs a *sql.DB of its own so that its polling never waits
// behind the application's transactions on the DB's writer. The caller
// closes it. It fails on PostgreSQL.
func (d *DB) OpenExtraSQLite(ctx context.Context) (*sql.DB, error) {
	if d.engine != SQLite {
		return nil, errors.New("db: OpenExtraSQLite needs a SQLite database")
	}
	extra, err := sql.Open("sqlite", sqliteDSN(d.dsn, false))
	if err != nil {
		return nil, err
	}
	extra.SetMaxOpenConns(1)
	extra.SetMaxIdleConns(1)
	extra.SetConnMaxLifetime(0)
	if err := extra.PingContext(ctx); err != nil {
		extra.Close()
		return nil, fmt.Errorf("db: open extra SQLite connection: %w", err)
	}
	return extra, nil
}
