package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"runtime/debug"
	"strconv"

	"github.com/cairn-recovery/cairn/internal/app"
)

// cmdServe runs the web server until SIGINT or SIGTERM, then drains.
func cmdServe(ctx context.Context, e *env, args []string) int {
	demoDefault := false
	if v := e.getenv("CAIRN_DEMO"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return e.fail(exitUsage, "CAIRN_DEMO: must be true or false")
		}
		demoDefault = b
	}
	var demoMode bool
	cfg, rest, code, ok := parseConfig(e, "serve", "[--demo] [flags]", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&demoMode, "demo", demoDefault, "seed the demo program and let staff skip second-factor enrolment; never with real data (CAIRN_DEMO)")
	})
	if !ok {
		return code
	}
	if code, ok := noArgs(e, "serve", rest); !ok {
		return code
	}
	cfg.Demo = demoMode
	tuneGC(e.getenv)
	logger := newLogger(e, cfg)
	a, err := app.Open(ctx, cfg, logger)
	if err != nil {
		return configError(e, err)
	}
	if cfg.Demo {
		if code, ok := seedDemo(ctx, e, a); !ok {
			a.Close()
			return code
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		a.Close()
		return e.fail(exitError, "CAIRN_ADDR: cannot listen on %s: %v", cfg.Addr, err)
	}
	// The address goes to stdout: the log redacts IP addresses.
	fmt.Fprintf(e.stdout, "Cairn is listening on %s; open %s\n", ln.Addr(), cfg.BaseURL)
	if err := a.Serve(ctx, ln); err != nil {
		return e.fail(exitError, "%v", err)
	}
	return exitOK
}

// tuneGC trades a little memory for CPU unless GOGC or GOMEMLIMIT say
// otherwise: Cairn's live heap is a few MiB, so the default GOGC=100 would
// collect many times a second under load. GOGC=400 with a 256 MiB soft
// limit keeps collections rare and the heap bounded (argon2id's 19 MiB per
// password check is bounded separately in internal/auth).
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(256 << 20)
	}
}
