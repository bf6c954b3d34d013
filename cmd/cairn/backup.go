package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/cairn-recovery/cairn/internal/db"
)

// cmdBackup writes a consistent copy of the SQLite database while the
// server may be running.
func cmdBackup(ctx context.Context, e *env, args []string) int {
	var to string
	cfg, rest, code, ok := parseConfig(e, "backup", "--to FILE [flags]", args, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "file to write the copy to; must not exist")
	})
	if !ok {
		return code
	}
	if code, ok := noArgs(e, "backup", rest); !ok {
		return code
	}
	if cfg.DatabaseURL != "" {
		return e.fail(exitError, "%v", db.ErrBackupPostgres)
	}
	if to == "" {
		return e.fail(exitUsage, "backup: --to: name the file to write, e.g. --to cairn-backup.db")
	}
	d, code, ok := openExisting(ctx, e, cfg)
	if !ok {
		return code
	}
	defer d.Close()
	if err := d.Backup(ctx, to); err != nil {
		if errors.Is(err, db.ErrBackupExists) {
			return e.fail(exitError, "backup: %s already exists; choose a new file", to)
		}
		return e.fail(exitError, "%v", err)
	}
	abs, _ := filepath.Abs(to)
	fmt.Fprintf(e.stdout, "wrote a consistent copy of %s to %s\n", cfg.SQLitePath(), abs)
	fmt.Fprintln(e.stdout, "To restore: stop cairn, put the file in an empty folder as cairn.db together with a copy of")
	fmt.Fprintln(e.stdout, "secret.key from the current data folder (or keep the same CAIRN_SECRET_KEY), and point")
	fmt.Fprintln(e.stdout, "CAIRN_DATA_DIR at that folder. Keep backups as private as the database: they hold member data.")
	return exitOK
}
