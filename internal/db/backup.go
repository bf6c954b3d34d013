package db

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupPostgres is returned by [DB.Backup] on PostgreSQL, whose own
// tools make consistent copies.
var ErrBackupPostgres = errors.New("backup: on PostgreSQL use pg_dump (see README)")

// ErrBackupExists is returned by [DB.Backup] when the target file already
// exists; a backup never overwrites anything.
var ErrBackupExists = errors.New("backup: the target file already exists")

// Backup writes a consistent copy of a SQLite database to path while the
// database stays in use (VACUUM INTO on the writer connection, so the copy
// is one snapshot). The file is created with mode 0600 and must not exist
// yet. On PostgreSQL it returns [ErrBackupPostgres].
func (d *DB) Backup(ctx context.Context, path string) error {
	if d.engine == Postgres {
		return ErrBackupPostgres
	}
	if path == "" {
		return errors.New("backup: no target file given")
	}
	// Creating the file exclusively refuses an existing target atomically
	// and sets its mode; VACUUM INTO accepts an empty file.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%w: %s", ErrBackupExists, path)
		}
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := d.write.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("backup: %w", translate(err))
	}
	return nil
}
