// Command cairn-load measures Cairn's speed against reference servers on
// the same machine and prints a Markdown report.
//
// In one run it starts three reference servers on 127.0.0.1 (a minimal
// handler, one primary-key SELECT per request on a 100,000-row SQLite table,
// one single-row INSERT per request), drives each with the same number of
// keep-alive connections for the same time, drives the JSON API's
// GET /api/v1/me with a token in-process the same way, then starts `cairn serve --demo`
// as a subprocess, measures its start-up, memory and binary size, and drives
// its sign-in page and a signed-in home page the same way. With -sse it
// measures live updates instead (sse.go), with -events the events feature
// (events.go). It only talks to 127.0.0.1 and stops by itself. See
// BENCHMARKS.md.
//
// Usage, from the repository root:
//
//	go run ./cmd/cairn-load -duration 10s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

// options are the command's flags.
type options struct {
	load       Load
	rows       int
	cairn      string
	skipCairn  bool
	skipAPI    bool
	signinPath string
	homePath   string
	email      string
}

func main() {
	if sseChild() { // the live-update benchmark's server (sse.go)
		return
	}
	var o options
	sse := sseFlags()
	ev := eventsFlags()
	flag.DurationVar(&o.load.Duration, "duration", 10*time.Second, "measured time per target")
	flag.DurationVar(&o.load.Warmup, "warmup", time.Second, "unmeasured warm-up per target")
	flag.IntVar(&o.load.Conns, "conns", 64, "concurrent keep-alive connections")
	flag.IntVar(&o.rows, "rows", 100_000, "rows in the reference read table")
	flag.StringVar(&o.cairn, "cairn", "", "path of a built cairn binary; empty builds ./cmd/cairn")
	flag.BoolVar(&o.skipCairn, "skip-cairn", false, "measure the reference servers only")
	flag.BoolVar(&o.skipAPI, "skip-api", false, "leave out the JSON API target (GET /api/v1/me in-process)")
	flag.StringVar(&o.signinPath, "signin-path", "/signin", "path of the sign-in page")
	flag.StringVar(&o.homePath, "home-path", "/home", "path of the signed-in home page")
	flag.StringVar(&o.email, "email", "alex@demo.cairn.test", "demo account to sign in as")
	flag.Parse()
	if sse.conns > 0 { // the live-update benchmark (sse.go)
		os.Exit(sseMain(sse))
	}
	if err := o.validate(); err != nil {
		fmt.Fprintf(os.Stderr, "cairn-load: %v\n", err)
		os.Exit(2)
	}
	if ev.engine != "" { // the events benchmark (events.go)
		os.Exit(eventsMain(o.load, ev))
	}
	if msgOpts.engine != "" { // the messages benchmark (messages.go)
		os.Exit(messagesMain(o.load, msgOpts))
	}
	if circOpts.engine != "" { // the circles benchmark (circles.go)
		os.Exit(circlesMain(o.load, circOpts))
	}

	// Bound the whole run: five targets, two starts and slack.
	budget := 7*(o.load.Duration+o.load.Warmup+15*time.Second) + 2*readyTimeout + 5*time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := run(ctx, o); err != nil {
		fmt.Fprintf(os.Stderr, "cairn-load: %v\n", err)
		os.Exit(1)
	}
}

// validate checks the flags, naming the bad one.
func (o *options) validate() error {
	switch {
	case o.load.Duration <= 0:
		return errors.New("-duration must be positive")
	case o.load.Warmup < 0:
		return errors.New("-warmup must not be negative")
	case o.load.Conns < 1 || o.load.Conns > 4096:
		return errors.New("-conns must be between 1 and 4096")
	case o.rows < 1:
		return errors.New("-rows must be at least 1")
	}
	return nil
}

func run(ctx context.Context, o options) error {
	tmp, err := os.MkdirTemp("", "cairn-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	rep := &report{load: o.load}
	rep.machine()

	fmt.Fprintf(os.Stderr, "preparing the reference database (%d rows)...\n", o.rows)
	bench, err := openBenchDB(ctx, tmp, o.rows)
	if err != nil {
		return fmt.Errorf("reference database: %w", err)
	}
	defer bench.Close()

	refs := []struct {
		name string
		h    http.Handler
	}{
		{"minimal net/http handler, 1 KiB HTML", minimalHandler()},
		{selectTargetName, readHandler(bench, o.rows)},
		{"one single-row INSERT (SQLite, one writer)", writeHandler(bench)},
	}
	for _, ref := range refs {
		srv, err := startServer(ref.h)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "driving %s...\n", ref.name)
		res := o.load.Run(ctx, ref.name, newClient(o.load.Conns), get(srv.URL+"/", nil))
		srv.Close()
		rep.results = append(rep.results, res)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}

	if !o.skipAPI {
		if err := measureAPI(ctx, o, tmp, rep); err != nil {
			rep.print(os.Stdout)
			return fmt.Errorf("measuring the API: %w", err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if !o.skipCairn {
		if err := measureCairn(ctx, o, tmp, rep); err != nil {
			rep.print(os.Stdout)
			return fmt.Errorf("measuring Cairn: %w", err)
		}
	}
	rep.print(os.Stdout)
	return nil
}

// measureCairn starts Cairn twice (new, then existing database), records
// memory and size, and drives its sign-in and home pages.
func measureCairn(ctx context.Context, o options, tmp string, rep *report) error {
	bin := o.cairn
	if bin == "" {
		fmt.Fprintln(os.Stderr, "building ./cmd/cairn...")
		var err error
		if bin, err = buildCairn(ctx, tmp); err != nil {
			return err
		}
	}
	info, err := os.Stat(bin)
	if err != nil {
		return fmt.Errorf("cairn binary: %w", err)
	}
	rep.cairn = &cairnFigures{binarySize: info.Size()}

	dataDir := filepath.Join(tmp, "cairn-data")
	password := randomPassword()
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "starting Cairn on a new database...")
	p, took, err := startCairn(ctx, bin, dataDir, addr, password)
	if err != nil {
		return err
	}
	rep.cairn.firstReady = took
	p.Stop()

	fmt.Fprintln(os.Stderr, "starting Cairn on the existing database...")
	if addr, err = freeAddr(); err != nil {
		return err
	}
	p, took, err = startCairn(ctx, bin, dataDir, addr, password)
	if err != nil {
		return err
	}
	defer p.Stop()
	rep.cairn.ready = took
	time.Sleep(500 * time.Millisecond) // let start-up work settle
	if rep.cairn.idleRSS, err = p.memory("VmRSS"); err != nil {
		return err
	}

	cookie, err := p.signIn(ctx, o.signinPath, o.homePath, o.email, password)
	if err != nil {
		return fmt.Errorf("sign in as the demo account: %w", err)
	}

	targets := []struct {
		name, path string
		header     http.Header
	}{
		{"Cairn: sign-in page (GET " + o.signinPath + ")", o.signinPath, nil},
		{"Cairn: signed-in home (GET " + o.homePath + ")", o.homePath, http.Header{"Cookie": {cookie}}},
	}
	for _, tg := range targets {
		fmt.Fprintf(os.Stderr, "driving %s...\n", tg.name)
		res := o.load.Run(ctx, tg.name, newClient(o.load.Conns), get(p.base+tg.path, tg.header))
		rep.results = append(rep.results, res)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if rep.cairn.peakRSS, err = p.memory("VmHWM"); err != nil {
		return err
	}
	return nil
}
