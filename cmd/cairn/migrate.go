package main

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/db"
)

// cmdMigrate applies the schema migrations and exits.
func cmdMigrate(ctx context.Context, e *env, args []string) int {
	cfg, rest, code, ok := parseConfig(e, "migrate", "[flags]", args, nil)
	if !ok {
		return code
	}
	if code, ok := noArgs(e, "migrate", rest); !ok {
		return code
	}
	d, err := db.Open(ctx, cfg.DatabaseTarget())
	if err != nil {
		return e.fail(exitError, "%v", err)
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return e.fail(exitError, "%v", err)
	}
	fmt.Fprintf(e.stdout, "database is up to date: %s\n", d)
	return exitOK
}
