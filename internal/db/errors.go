package db

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Shared errors that feature packages test for with errors.Is, whatever the
// engine said.
var (
	// ErrNotFound means the row does not exist (or the query matched none).
	ErrNotFound = errors.New("not found")
	// ErrConflict means a uniqueness or foreign-key constraint refused the change.
	ErrConflict = errors.New("conflict")
)

// Err translates a driver error (including sql.ErrNoRows from a Scan) into
// one of the shared errors, keeping the original text for logs.
func Err(err error) error { return translate(err) }

func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505", "23503", "23514":
			return &wrapped{kind: ErrConflict, err: err}
		}
		return err
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY,
			sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_CHECK:
			return &wrapped{kind: ErrConflict, err: err}
		}
		if strings.Contains(sqErr.Error(), "UNIQUE constraint failed") {
			return &wrapped{kind: ErrConflict, err: err}
		}
	}
	return err
}

type wrapped struct {
	kind error
	err  error
}

func (w *wrapped) Error() string { return w.kind.Error() + ": " + w.err.Error() }
func (w *wrapped) Unwrap() []error {
	return []error{w.kind, w.err}
}
