package main

// Events: with -events sqlite|postgres|both the tool measures the events
// feature instead of pages, on a fresh migrated database per engine
// (a temporary SQLite file, or a PostgreSQL database created for the run
// and dropped after it), with Cairn's whole web handler and the JSON API
// in this process like the API target (api.go):
//
//   - the single-row INSERT reference on the same database;
//   - RSVPs through PUT /api/v1/events/{id}/occurrences/{occ}/rsvp, one
//     member and token per connection, each connection alternating yes and
//     no so that every request is a write: all on one popular occurrence,
//     then spread over 1,000 occurrences;
//   - GET /events (the upcoming list, three months) as a signed-in alumnus
//     of a program with -events-count events;
//   - the member's private calendar feed GET /calendar/{token}.ics with
//     -events-feed RSVP'd occurrences.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/api"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/config"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/web"
)

// eventsOptions are the flags of the events benchmark.
type eventsOptions struct {
	engine      string
	databaseURL string
	count       int
	feed        int
	spread      int
	profile     string
}

// eventsFlags registers the events benchmark's flags.
func eventsFlags() *eventsOptions {
	o := &eventsOptions{}
	flag.StringVar(&o.engine, "events", "", "measure events (RSVPs, the events page, the calendar feed) on sqlite, postgres or both, instead of pages")
	flag.StringVar(&o.databaseURL, "events-database-url", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		"PostgreSQL server for -events postgres: a database is created on it for the run and dropped after")
	flag.IntVar(&o.count, "events-count", 10_000, "events in the program for the events page")
	flag.IntVar(&o.feed, "events-feed", 500, "occurrences in the member's calendar feed")
	flag.IntVar(&o.spread, "events-spread", 1000, "occurrences the spread RSVP target uses")
	flag.StringVar(&o.profile, "events-cpuprofile", "", "write a CPU profile per target to PREFIX-ENGINE-N.pprof")
	return o
}

// eventsMain runs the events benchmark and returns the exit code.
func eventsMain(load Load, o *eventsOptions) int {
	var engines []string
	switch o.engine {
	case "sqlite", "postgres":
		engines = []string{o.engine}
	case "both":
		engines = []string{"sqlite", "postgres"}
	default:
		fmt.Fprintln(os.Stderr, "cairn-load: -events must be sqlite, postgres or both")
		return 2
	}
	if o.count < 10 || o.feed < 1 || o.spread < 2 || o.feed > o.count/2 {
		fmt.Fprintln(os.Stderr, "cairn-load: -events-count must be at least 10, -events-feed between 1 and half of it, -events-spread at least 2")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(len(engines))*(10*time.Minute+5*(load.Duration+load.Warmup+15*time.Second)))
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	for _, engine := range engines {
		if err := benchEvents(ctx, load, engine, o, os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "cairn-load: events on %s: %v\n", engine, err)
			return 1
		}
	}
	return 0
}

// occRef names one occurrence.
type occRef struct{ event, occ string }

// eventsWorld is the benchmark's program and people.
type eventsWorld struct {
	d       *db.DB
	a       *auth.Service
	cfg     *config.Config
	prog    *programs.Program
	coord   access.Actor
	member  access.Actor
	tokens  []string // one API token per connection
	popular occRef
	spread  []occRef
	cookie  string // the member's session, for GET /events
	feed    string // the member's calendar feed token
	setup   time.Duration
	rows    int // occurrence rows in the program
}

// benchEvents measures one engine and prints its report to w.
func benchEvents(ctx context.Context, load Load, engine string, o *eventsOptions, w io.Writer) error {
	tmp, err := os.MkdirTemp("", "cairn-load-events-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	d, drop, err := openEventsDB(ctx, engine, o.databaseURL, tmp)
	if err != nil {
		return err
	}
	defer drop()
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	if _, err := d.Exec(ctx, "CREATE TABLE bench_writes (id TEXT PRIMARY KEY, body TEXT NOT NULL, created_at TIMESTAMP NOT NULL)"); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "events on %s: preparing %d events, %d members...\n", engine, o.count, load.Conns+1)
	wd, err := newEventsWorld(ctx, d, tmp, load.Conns, o)
	if err != nil {
		return fmt.Errorf("set-up: %w", err)
	}
	logger := slog.New(slog.DiscardHandler)
	h := api.New(api.Deps{DB: d, Auth: wd.a, Logger: logger, CookieName: web.SessionCookieName(wd.cfg), Rate: 1e9, Burst: 1e9})
	srv, err := web.New(web.Deps{Config: wd.cfg, DB: d, Auth: wd.a, Logger: logger, Version: "load", API: h})
	if err != nil {
		return err
	}
	app, err := startServer(srv.Handler())
	if err != nil {
		return err
	}
	defer app.Close()
	ref, err := startServer(writeHandler(d))
	if err != nil {
		return err
	}
	defer ref.Close()

	page := get(app.URL+"/events", http.Header{"Cookie": {wd.cookie}})
	feed := get(app.URL+"/calendar/"+wd.feed+".ics", nil)
	single := load
	single.Conns = 1
	targets := []struct {
		name      string
		load      Load
		forWorker func(int) func(context.Context) (*http.Request, error)
	}{
		{"single-row INSERT reference (" + engine + ")", load, each(get(ref.URL+"/", nil))},
		{"RSVP, one popular occurrence (PUT …/rsvp)", load, wd.rsvps(app.URL, []occRef{wd.popular}, 0)},
		{fmt.Sprintf("RSVP, %d occurrences (PUT …/rsvp)", len(wd.spread)), load, wd.rsvps(app.URL, wd.spread, max(1, len(wd.spread)/load.Conns))},
		{fmt.Sprintf("events page, %d events (GET /events)", o.count), load, each(page)},
		{fmt.Sprintf("calendar feed, %d occurrences (GET /calendar/….ics)", o.feed), load, each(feed)},
		{fmt.Sprintf("calendar feed, %d occurrences, 1 connection", o.feed), single, each(feed)},
	}
	var results []Result
	var perReq []time.Duration // process CPU (server and client) per request
	for i, tg := range targets {
		if err := checkOnce(ctx, tg.forWorker(0)); err != nil {
			return fmt.Errorf("%s: %w", tg.name, err)
		}
		stopProfile, err := startProfile(o.profile, engine, i)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "driving %s...\n", tg.name)
		cpu0 := processCPU()
		res := tg.load.RunEach(ctx, tg.name, newClient(tg.load.Conns), tg.forWorker)
		cpu := processCPU() - cpu0
		stopProfile()
		results = append(results, res)
		// The CPU of the measured part: the warm-up's share is taken off
		// in proportion to time.
		share := float64(tg.load.Duration) / float64(tg.load.Duration+tg.load.Warmup)
		if res.OK > 0 {
			perReq = append(perReq, time.Duration(float64(cpu)*share/float64(res.OK)))
		} else {
			perReq = append(perReq, 0)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if err := wd.check(ctx); err != nil {
		return err
	}
	rep := &report{load: load}
	rep.machine()
	printEvents(w, rep, engine, wd, o, results, perReq)
	return nil
}

// each gives every worker the same request maker.
func each(newReq func(context.Context) (*http.Request, error)) func(int) func(context.Context) (*http.Request, error) {
	return func(int) func(context.Context) (*http.Request, error) { return newReq }
}

// checkOnce sends one request and fails unless it answers 200, so that a
// broken set-up is an error and not a table of failures.
func checkOnce(ctx context.Context, newReq func(context.Context) (*http.Request, error)) error {
	req, err := newReq(ctx)
	if err != nil {
		return err
	}
	resp, err := newClient(1).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s answered %d, want 200: %s", req.Method, req.URL.Path, resp.StatusCode, body)
	}
	return nil
}

// startProfile starts a CPU profile of the process for target i when
// prefix is set, and returns the function that stops it.
func startProfile(prefix, engine string, i int) (func(), error) {
	if prefix == "" {
		return func() {}, nil
	}
	f, err := os.Create(fmt.Sprintf("%s-%s-%d.pprof", prefix, engine, i))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// openEventsDB opens a fresh database: a SQLite file in tmp, or a new
// PostgreSQL database on the server of adminURL. drop removes the latter
// (after the database was closed).
func openEventsDB(ctx context.Context, engine, adminURL, tmp string) (d *db.DB, drop func(), err error) {
	if engine == "sqlite" {
		d, err = db.Open(ctx, filepath.Join(tmp, "events.db"))
		return d, func() {}, err
	}
	admin, err := db.Open(ctx, adminURL)
	if err != nil {
		return nil, nil, fmt.Errorf("PostgreSQL at %s: %w", redactURL(adminURL), err)
	}
	name := "cairn_load_" + strings.TrimPrefix(randomPassword(), "load-")[:12]
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return nil, nil, fmt.Errorf("create database: %w", err)
	}
	drop = func() {
		if _, err := admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "cairn-load: drop database %s: %v\n", name, err)
		}
		admin.Close()
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		drop()
		return nil, nil, err
	}
	u.Path = "/" + name
	if d, err = db.Open(ctx, u.String()); err != nil {
		drop()
		return nil, nil, err
	}
	return d, drop, nil
}

// redactURL hides a URL's password.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(bad URL)"
	}
	return u.Redacted()
}

// newEventsWorld creates the program, a coordinator, conns members with
// API tokens and one more member (signed in, with a calendar feed), the
// popular occurrence, the spread occurrences and the rest of the count
// events, and the member's feed RSVPs.
func newEventsWorld(ctx context.Context, d *db.DB, tmp string, conns int, o *eventsOptions) (*eventsWorld, error) {
	start := time.Now()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: tmp, SecretKey: []byte("cairn-load secret key, 32 bytes or more"),
		StaffIdle: 30 * time.Minute, MemberIdle: 12 * time.Hour, SessionLifetime: 30 * 24 * time.Hour,
		MaxBodyBytes: 1 << 20, LogLevel: "error"}
	wd := &eventsWorld{d: d, cfg: cfg, a: auth.New(d, auth.Options{SecretKey: cfg.SecretKey, StaffIdle: cfg.StaffIdle,
		MemberIdle: cfg.MemberIdle, Lifetime: cfg.SessionLifetime, Argon: auth.CheapArgon2ParamsForTests()})}
	var err error
	if wd.prog, err = programs.Create(ctx, d, programs.Settings{Name: "Load Test Alumni", TimeZone: "America/Chicago"}); err != nil {
		return nil, err
	}
	password := randomPassword()
	newUser := func(i int, role access.Role) (*auth.User, error) {
		return wd.a.CreateUser(ctx, access.System(wd.prog.ID), auth.NewUser{ProgramID: wd.prog.ID,
			Email: fmt.Sprintf("%s-%d@example.test", role, i), FirstName: "Load", LastName: fmt.Sprintf("Person %d", i),
			Role: role, Password: password})
	}
	c, err := newUser(0, access.Coordinator)
	if err != nil {
		return nil, err
	}
	wd.coord = c.Actor("cairn-load")
	for i := range conns {
		u, err := newUser(i, access.Alumnus)
		if err != nil {
			return nil, err
		}
		raw, _, err := wd.a.CreateToken(ctx, u.Actor("cairn-load"), "cairn-load")
		if err != nil {
			return nil, err
		}
		wd.tokens = append(wd.tokens, raw)
	}
	m, err := newUser(conns, access.Alumnus)
	if err != nil {
		return nil, err
	}
	wd.member = m.Actor("cairn-load")
	raw, _, err := wd.a.SignIn(ctx, m.Email, password, "127.0.0.1", "cairn-load", "load")
	if err != nil {
		return nil, err
	}
	wd.cookie = web.SessionCookieName(cfg) + "=" + raw

	today := members.Today(wd.prog.Location(), time.Now())
	tomorrow := today.AddDays(1)
	// The RSVP targets: a huge capacity, so that a yes is confirmed (the
	// capacity check, the write of the counter) as it is for most RSVPs.
	pop, err := events.Create(ctx, d, wd.coord, events.Input{Kind: events.Activity, Title: "Popular outing",
		Start: tomorrow.String() + "T18:00", DurationMinutes: 120, Capacity: 100_000, Audience: events.Alumni})
	if err != nil {
		return nil, err
	}
	wd.popular = occRef{pop.ID, pop.FirstDate.String()}
	created := 1
	for len(wd.spread) < o.spread {
		e, err := events.Create(ctx, d, wd.coord, events.Input{Kind: events.WeeklyMeeting, Title: "Daily check-in",
			Start: tomorrow.String() + "T12:00", DurationMinutes: 60, RRule: "FREQ=DAILY", Capacity: 100_000, Audience: events.Alumni})
		if err != nil {
			return nil, err
		}
		created++
		for k := 0; k < 500 && len(wd.spread) < o.spread; k++ {
			wd.spread = append(wd.spread, occRef{e.ID, e.FirstDate.AddDays(k).String()})
		}
	}
	feedTargets, err := wd.fill(ctx, today, o.count-created)
	if err != nil {
		return nil, err
	}
	// The member's feed: RSVPs to the first feed/2 occurrences of the
	// spread, and to one-off events for the rest.
	var mine []occRef
	mine = append(mine, wd.spread[:min(o.feed/2, len(wd.spread))]...)
	if o.feed-len(mine) > len(feedTargets) {
		return nil, fmt.Errorf("only %d one-off events for a feed of %d occurrences; raise -events-count", len(feedTargets), o.feed)
	}
	mine = append(mine, feedTargets[:o.feed-len(mine)]...)
	for _, t := range mine {
		if _, err := events.SetRSVP(ctx, d, wd.member, t.event, t.occ, events.RSVPInput{Status: "yes", Adults: 1}); err != nil {
			return nil, fmt.Errorf("feed RSVP: %w", err)
		}
	}
	if wd.feed, err = events.FeedURLToken(ctx, d, wd.member, false); err != nil {
		return nil, err
	}
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM event_occurrences WHERE program_id = ?`, wd.prog.ID).Scan(&wd.rows); err != nil {
		return nil, err
	}
	if d.Engine() == db.Postgres {
		// Autovacuum keeps PostgreSQL's statistics in a running
		// installation; Cairn never runs ANALYZE on SQLite (with
		// statistics, SQLite re-prepares range queries on every run).
		if _, err := d.Exec(ctx, "ANALYZE"); err != nil {
			return nil, err
		}
	}
	wd.setup = time.Since(start)
	return wd, nil
}

// fill creates n more events, two workers at a time: one in ten a weekly
// series, the others one-off gatherings spread over the coming year, of
// every audience. It returns the one-off occurrences in the coming weeks.
func (wd *eventsWorld) fill(ctx context.Context, today members.Date, n int) ([]occRef, error) {
	kinds := []events.Kind{events.Activity, events.Workshop, events.FamilyDinner, events.MilestoneDinner}
	auds := []events.Audience{events.Alumni, events.AlumniFamily, events.Public, events.Alumni, events.StaffOnly}
	var (
		mu    sync.Mutex
		soon  []occRef
		first error
		wg    sync.WaitGroup
	)
	work := make(chan int)
	for range 2 {
		wg.Go(func() {
			for i := range work {
				in := events.Input{Kind: kinds[i%len(kinds)], Title: fmt.Sprintf("Gathering %d", i),
					Description: "A gathering of the load test program.", LocationName: "Community room",
					Address: "1200 Barton Springs Rd, Austin, TX 78704", DurationMinutes: 90,
					Start:    fmt.Sprintf("%sT%02d:%02d", today.AddDays(1+i%365), 8+i%12, 15*(i%4)),
					Audience: auds[i%len(auds)], Capacity: 40}
				if i%10 == 0 {
					in.Kind, in.RRule = events.WeeklyMeeting, "FREQ=WEEKLY"
				}
				e, err := events.Create(ctx, wd.d, wd.coord, in)
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				if err == nil && in.RRule == "" && in.Audience == events.Alumni {
					soon = append(soon, occRef{e.ID, e.FirstDate.String()})
				}
				mu.Unlock()
			}
		})
	}
	for i := range n {
		if ctx.Err() != nil || first != nil {
			break
		}
		if i%1000 == 0 && i > 0 {
			fmt.Fprintf(os.Stderr, "  %d events...\n", i)
		}
		work <- i
	}
	close(work)
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return soon, ctx.Err()
}

// rsvps gives each worker its own member and token, alternating yes and
// no: on targets[0] when there is one, otherwise each worker starting at
// its own occurrence (worker*stride) and moving on after each yes-no pair.
func (wd *eventsWorld) rsvps(base string, targets []occRef, stride int) func(int) func(context.Context) (*http.Request, error) {
	return func(worker int) func(context.Context) (*http.Request, error) {
		bearer := "Bearer " + wd.tokens[worker%len(wd.tokens)]
		n := 0
		return func(ctx context.Context) (*http.Request, error) {
			t := targets[(worker*stride+n/2)%len(targets)]
			body := `{"status":"yes"}`
			if n%2 == 1 {
				body = `{"status":"no"}`
			}
			n++
			req, err := http.NewRequestWithContext(ctx, http.MethodPut,
				base+"/api/v1/events/"+t.event+"/occurrences/"+t.occ+"/rsvp", strings.NewReader(body))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Authorization", bearer)
			req.Header.Set("Content-Type", "application/json")
			return req, nil
		}
	}
}

// check verifies after the run that the RSVP counters agree with the
// RSVPs: each occurrence's confirmed people are its confirmed RSVPs.
func (wd *eventsWorld) check(ctx context.Context) error {
	var bad int
	err := wd.d.QueryRow(ctx, `SELECT COUNT(*) FROM event_occurrences o WHERE o.program_id = ? AND o.confirmed_people <>
		(SELECT COALESCE(SUM(r.adults + r.children), 0) FROM event_rsvps r
		 WHERE r.event_id = o.event_id AND r.occurrence = o.occurrence AND r.state = 'confirmed')`, wd.prog.ID).Scan(&bad)
	if err != nil {
		return err
	}
	if bad > 0 {
		return errors.New("after the run, the confirmed count of some occurrences disagrees with their RSVPs")
	}
	return nil
}

// printEvents writes one engine's report as Markdown.
func printEvents(w io.Writer, rep *report, engine string, wd *eventsWorld, o *eventsOptions, results []Result, perReq []time.Duration) {
	fmt.Fprintf(w, "Events on %s. Machine: %d cores, %s, %s, load average before the report %s. Load: %d keep-alive connections, %v measured after %v warm-up, client in the same process.\n",
		engine, rep.cores, rep.cpu, rep.goVer, rep.loadAvg, rep.load.Conns, rep.load.Duration, rep.load.Warmup)
	fmt.Fprintf(w, "Dataset: %d events (%d occurrence rows), %d members with tokens, a feed of %d occurrences; set-up %s.\n\n",
		o.count, wd.rows, len(wd.tokens), o.feed, wd.setup.Round(time.Second))
	fmt.Fprintln(w, "| Target | Requests/s | p50 | p99 | Errors | vs INSERT reference | CPU per request |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	base := results[0].Throughput()
	for i, res := range results {
		ratio := "–"
		if base > 0 {
			ratio = fmt.Sprintf("%.0f%%", 100*res.Throughput()/base)
		}
		fmt.Fprintf(w, "| %s | %.0f | %s | %s | %d | %s | %s |\n",
			res.Name, res.Throughput(), ms(res.Percentile(50)), ms(res.Percentile(99)), res.Errors, ratio, ms(perReq[i]))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "CPU per request is the process's user and system time (server and load generator) during the target, divided by its measured requests.")
	fmt.Fprintln(w)
}

// processCPU is the user and system time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
