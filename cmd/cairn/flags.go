package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/cairn-recovery/cairn/internal/app"
	"github.com/cairn-recovery/cairn/internal/config"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/logging"
)

// parseConfig parses args with the settings of config.Flags plus the
// command's own flags (declared by own), and validates them. On failure it
// has already reported the problem and returns the exit code to use.
func parseConfig(e *env, name, synopsis string, args []string, own func(fs *flag.FlagSet)) (*config.Config, []string, int, bool) {
	fs := flag.NewFlagSet("cairn "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg, validate := config.Flags(fs, e.getenv)
	if own != nil {
		own(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: cairn %s %s\n\nflags (each has a CAIRN_* environment twin):\n", name, synopsis)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, exitOK, false
		}
		return nil, nil, exitUsage, false
	}
	if err := validate(); err != nil {
		return nil, nil, e.fail(exitUsage, "%v", err), false
	}
	return cfg, fs.Args(), exitOK, true
}

// configError reports an error from opening the application: configuration
// problems (which name their setting) exit with the usage code.
func configError(e *env, err error) int {
	var ce *config.Error
	if errors.As(err, &ce) {
		return e.fail(exitUsage, "%v", err)
	}
	return e.fail(exitError, "%v", err)
}

// newLogger returns the process logger, writing to stderr.
func newLogger(e *env, cfg *config.Config) *slog.Logger {
	return logging.New(e.stderr, cfg.LogLevel)
}

// openStore opens the store the command-line tools work on.
func openStore(ctx context.Context, e *env, cfg *config.Config) (*app.App, int, bool) {
	a, err := app.OpenStore(ctx, cfg, newLogger(e, cfg))
	if err != nil {
		return nil, configError(e, err), false
	}
	return a, exitOK, true
}

// openExisting opens the database without creating or migrating it, for
// tools that only read (audit verify, backup).
func openExisting(ctx context.Context, e *env, cfg *config.Config) (*db.DB, int, bool) {
	if cfg.DatabaseURL == "" {
		if _, err := os.Stat(cfg.SQLitePath()); err != nil {
			return nil, e.fail(exitError, "no database at %s (check CAIRN_DATA_DIR)", cfg.SQLitePath()), false
		}
	}
	d, err := db.Open(ctx, cfg.DatabaseTarget())
	if err != nil {
		return nil, e.fail(exitError, "%v", err), false
	}
	return d, exitOK, true
}

// noArgs reports extra positional arguments as a usage error.
func noArgs(e *env, name string, rest []string) (int, bool) {
	if len(rest) > 0 {
		return e.fail(exitUsage, "%s: unexpected argument %q", name, rest[0]), false
	}
	return exitOK, true
}
