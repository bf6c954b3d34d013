package main

// Circles: with -circles sqlite|postgres|both the tool measures the
// circles feature on a fresh migrated database per engine, with Cairn's
// web server and JSON API in this process:
//
//   - the minimal net/http handler (the reference the other page
//     benchmarks compare with) and a circle's page, GET /circles/{id}:
//     20 posts of -circles-posts, each with its comment and reaction
//     counts from one query, rendered as HTML; and the same list as JSON
//     (GET /api/v1/circles/{id}/posts), -conns connections each;
//   - the fan-out of a new post to -circles-members members who each hold
//     an open GET /live stream (server-sent events) on this one server:
//     a member posts through the API, and the time from sending the POST
//     to each stream's circle_post event is recorded, round after round.

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/api"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/config"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/peers/circles"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/web"
	"github.com/google/uuid"
)

// circlesOptions are the flags of the circles benchmark.
type circlesOptions struct {
	engine      string
	databaseURL string
	posts       int
	members     int
	rounds      int
	profile     string
	fanOut      bool
}

// circOpts holds the circles benchmark's flags, registered at start-up.
var circOpts = func() *circlesOptions {
	o := &circlesOptions{}
	flag.StringVar(&o.engine, "circles", "", "measure circles (post list, live fan-out of a post) on sqlite, postgres or both, instead of pages")
	flag.StringVar(&o.databaseURL, "circles-database-url", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		"PostgreSQL server for -circles postgres: a database is created on it for the run and dropped after")
	flag.IntVar(&o.posts, "circles-posts", 1000, "posts in the measured circle (each with comments and reactions)")
	flag.IntVar(&o.members, "circles-members", 1000, "members of the circle who hold a live stream open during the fan-out")
	flag.IntVar(&o.rounds, "circles-rounds", 20, "measured posts of the fan-out")
	flag.StringVar(&o.profile, "circles-profile", "", "write a CPU profile of each target to PREFIX-ENGINE-N.pprof")
	flag.BoolVar(&o.fanOut, "circles-fanout", true, "measure the live fan-out too (false: the lists only)")
	return o
}()

// circlesMain runs the circles benchmark and returns the exit code.
func circlesMain(load Load, o *circlesOptions) int {
	var engines []string
	switch o.engine {
	case "sqlite", "postgres":
		engines = []string{o.engine}
	case "both":
		engines = []string{"sqlite", "postgres"}
	default:
		fmt.Fprintln(os.Stderr, "cairn-load: -circles must be sqlite, postgres or both")
		return 2
	}
	if o.posts < 21 || o.members < 1 || o.members > 20_000 || o.rounds < 1 {
		fmt.Fprintln(os.Stderr, "cairn-load: -circles-posts must be at least 21, -circles-members from 1 to 20000, -circles-rounds at least 1")
		return 2
	}
	raiseFileLimit()
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(len(engines))*(10*time.Minute+3*(load.Duration+load.Warmup+15*time.Second)))
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	for _, engine := range engines {
		if err := benchCircles(ctx, load, engine, o, os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "cairn-load: circles on %s: %v\n", engine, err)
			return 1
		}
	}
	return 0
}

// circlesWorld is the benchmark's program, circle and members.
type circlesWorld struct {
	d       *db.DB
	a       *auth.Service
	cfg     *config.Config
	circle  string
	cookies []string // one web session per member; [0] is the poster's
	token   string   // the poster's API token
	setup   time.Duration
}

// benchCircles measures one engine and prints its report to w.
func benchCircles(ctx context.Context, load Load, engine string, o *circlesOptions, w io.Writer) error {
	tmp, err := os.MkdirTemp("", "cairn-load-circles-")
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
	fmt.Fprintf(os.Stderr, "circles on %s: preparing %d members, %d posts...\n", engine, o.members+1, o.posts)
	cw, err := newCirclesWorld(ctx, d, tmp, o)
	if err != nil {
		return fmt.Errorf("set-up: %w", err)
	}
	logger := slog.New(slog.DiscardHandler)
	hub := live.NewHub(d, logger)
	hubCtx, stopHub := context.WithCancel(ctx)
	defer stopHub()
	go func() { _ = hub.Run(hubCtx) }()
	select {
	case <-hub.Ready():
	case <-ctx.Done():
		return ctx.Err()
	}
	h := api.New(api.Deps{DB: d, Auth: cw.a, Logger: logger, CookieName: web.SessionCookieName(cw.cfg), Rate: 1e9, Burst: 1e9})
	srv, err := web.New(web.Deps{Config: cw.cfg, DB: d, Auth: cw.a, Logger: logger, Version: "load", API: h, Live: hub})
	if err != nil {
		return err
	}
	app, err := startServer(srv.Handler())
	if err != nil {
		return err
	}
	defer app.Close()
	ref, err := startServer(minimalHandler())
	if err != nil {
		return err
	}
	defer ref.Close()

	targets := []struct {
		name      string
		forWorker func(int) func(context.Context) (*http.Request, error)
	}{
		{"minimal net/http handler, 1 KiB HTML", each(get(ref.URL+"/", nil))},
		{fmt.Sprintf("circle page, 20 of %d posts with counts (GET /circles/{id})", o.posts),
			each(get(app.URL+"/circles/"+cw.circle, http.Header{"Cookie": {cw.cookies[0]}}))},
		{"post list as JSON (GET /api/v1/circles/{id}/posts)",
			each(get(app.URL+"/api/v1/circles/"+cw.circle+"/posts", http.Header{"Authorization": {"Bearer " + cw.token}}))},
	}
	var results []Result
	var perReq []time.Duration // process CPU (server and load generator) per request
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
		res := load.RunEach(ctx, tg.name, newClient(load.Conns), tg.forWorker)
		cpu := processCPU() - cpu0
		stopProfile()
		results = append(results, res)
		// The warm-up's share of the CPU is taken off in proportion to time.
		share := float64(load.Duration) / float64(load.Duration+load.Warmup)
		perReq = append(perReq, 0)
		if res.OK > 0 {
			perReq[i] = time.Duration(float64(cpu) * share / float64(res.OK))
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	var fan *fanResult
	if o.fanOut {
		fmt.Fprintf(os.Stderr, "fan-out to %d live members, %d rounds...\n", o.members, o.rounds)
		if fan, err = cw.fanOut(ctx, app.URL, o); err != nil {
			return fmt.Errorf("fan-out: %w", err)
		}
	}

	rep := &report{load: load}
	rep.machine()
	fmt.Fprintf(w, "Circles on %s. Machine: %d cores, %s, %s, load average before the report %s. Load: %d keep-alive connections, %v measured after %v warm-up, client in the same process.\n",
		engine, rep.cores, rep.cpu, rep.goVer, rep.loadAvg, load.Conns, load.Duration, load.Warmup)
	fmt.Fprintf(w, "Dataset: one circle of %d members with %d posts (3 comments and 4 reactions each, 2 pinned); set-up %s.\n\n",
		o.members+1, o.posts, cw.setup.Round(time.Second))
	fmt.Fprintln(w, "| Target | Requests/s | p50 | p99 | Errors | vs minimal handler | CPU per request | vs minimal, by CPU |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|")
	base := results[0].Throughput()
	for i, res := range results {
		ratio, cpuRatio := "–", "–"
		if base > 0 {
			ratio = fmt.Sprintf("%.0f%%", 100*res.Throughput()/base)
		}
		if perReq[i] > 0 {
			cpuRatio = fmt.Sprintf("%.0f%%", 100*float64(perReq[0])/float64(perReq[i]))
		}
		fmt.Fprintf(w, "| %s | %.0f | %s | %s | %d | %s | %s | %s |\n", res.Name, res.Throughput(), ms(res.Percentile(50)), ms(res.Percentile(99)), res.Errors,
			ratio, ms(perReq[i]), cpuRatio)
	}
	fmt.Fprintln(w, "\nCPU per request is this process's user and system time (server and load generator; not PostgreSQL's) during the target, divided by its measured requests; \"by CPU\" compares it with the minimal handler's, which is what the throughputs would compare on a machine the run has to itself.")
	if fan == nil {
		return nil
	}
	fmt.Fprintf(w, "\nFan-out of a new post to %d members, each with an open GET /live stream on this one server (%s), %d measured posts after one warm-up post:\n\n",
		o.members, engineName(d.DSN()), o.rounds)
	fmt.Fprintln(w, "| POST → each receipt p50 | p99 | POST → last receipt p50 | p99 | POST answered p50 | open all streams | missed |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|")
	fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %d |\n\n", ms(percentile(fan.receipts, 50)), ms(percentile(fan.receipts, 99)),
		ms(percentile(fan.lasts, 50)), ms(percentile(fan.lasts, 99)), ms(percentile(fan.posts, 50)), ms(fan.open), fan.missed)
	return nil
}

// newCirclesWorld creates the program, members (each with a web session,
// the poster with an API token too), the circle and its posts.
func newCirclesWorld(ctx context.Context, d *db.DB, tmp string, o *circlesOptions) (*circlesWorld, error) {
	start := time.Now()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: tmp, SecretKey: []byte("cairn-load secret key, 32 bytes or more"),
		StaffIdle: 30 * time.Minute, MemberIdle: 12 * time.Hour, SessionLifetime: 30 * 24 * time.Hour,
		MaxBodyBytes: 1 << 20, LogLevel: "error"}
	cw := &circlesWorld{d: d, cfg: cfg, a: auth.New(d, auth.Options{SecretKey: cfg.SecretKey, StaffIdle: cfg.StaffIdle,
		MemberIdle: cfg.MemberIdle, Lifetime: cfg.SessionLifetime, Argon: auth.CheapArgon2ParamsForTests()})}
	prog, err := programs.Create(ctx, d, programs.Settings{Name: "Load Test Alumni", TimeZone: "America/Chicago"})
	if err != nil {
		return nil, err
	}
	password := randomPassword()
	coord, err := cw.a.CreateUser(ctx, access.System(prog.ID), auth.NewUser{ProgramID: prog.ID, Email: "coordinator@example.test",
		FirstName: "Load", LastName: "Coordinator", Role: access.Coordinator, Password: password})
	if err != nil {
		return nil, err
	}
	c, err := circles.Create(ctx, d, coord.Actor("cairn-load"), circles.Input{Kind: circles.KindInterest, Name: "Hiking",
		Interest: "Hiking", JoinPolicy: circles.JoinOpen, Description: "Trails, together."})
	if err != nil {
		return nil, err
	}
	cw.circle = c.ID
	cookie := web.SessionCookieName(cfg) + "="
	var ids []string
	for i := 0; i <= o.members; i++ {
		u, err := cw.a.CreateUser(ctx, access.System(prog.ID), auth.NewUser{ProgramID: prog.ID, Email: fmt.Sprintf("member-%d@example.test", i),
			FirstName: "Member", LastName: fmt.Sprintf("Person %d", i), Role: access.Alumnus, Password: password})
		if err != nil {
			return nil, err
		}
		raw, _, err := cw.a.SignIn(ctx, u.Email, password, fmt.Sprintf("127.0.%d.%d", i/250, i%250+1), "cairn-load", "load")
		if err != nil {
			return nil, err
		}
		cw.cookies = append(cw.cookies, cookie+raw)
		ids = append(ids, u.ID)
		if i == 0 {
			if cw.token, _, err = cw.a.CreateToken(ctx, u.Actor("cairn-load"), "cairn-load"); err != nil {
				return nil, err
			}
		}
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	err = d.Tx(ctx, func(tx *db.Tx) error {
		var rows [][]any
		for _, id := range ids {
			rows = append(rows, []any{c.ID, id, prog.ID, "member", false, now})
			if len(rows) == 200 {
				if err := tx.InsertRows(ctx, "INSERT INTO circle_members (circle_id, user_id, program_id, state, moderator, joined_at) VALUES ", rows); err != nil {
					return err
				}
				rows = rows[:0]
			}
		}
		if err := tx.InsertRows(ctx, "INSERT INTO circle_members (circle_id, user_id, program_id, state, moderator, joined_at) VALUES ", rows); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE circles SET member_count = ? WHERE id = ?", len(ids), c.ID); err != nil {
			return err
		}
		var posts, comments, reacts [][]any
		flush := func(force bool) error {
			if force || len(posts) >= 100 {
				if err := tx.InsertRows(ctx, "INSERT INTO circle_posts (id, circle_id, program_id, author_id, body, pinned, created_at, comment_count, heart_count, thanks_count, strength_count, celebrate_count) VALUES ", posts); err != nil {
					return err
				}
				if err := tx.InsertRows(ctx, "INSERT INTO circle_comments (id, post_id, circle_id, program_id, author_id, body, created_at) VALUES ", comments); err != nil {
					return err
				}
				if err := tx.InsertRows(ctx, "INSERT INTO circle_reactions (post_id, user_id, kind, created_at) VALUES ", reacts); err != nil {
					return err
				}
				posts, comments, reacts = posts[:0], comments[:0], reacts[:0]
			}
			return nil
		}
		kinds := []string{"heart", "thanks", "strength", "celebrate"}
		for i := range o.posts {
			id := uuid.Must(uuid.NewV7()).String()
			at := now.Add(-time.Duration(o.posts-i) * time.Minute)
			posts = append(posts, []any{id, c.ID, prog.ID, ids[i%len(ids)], fmt.Sprintf("Post %d: Saturday 8 AM at the Barton Creek trailhead, about 3 miles, bring water. https://example.org/trail/%d", i, i), i < 2, at, 3, 1, 1, 1, 1})
			for k := range 3 {
				comments = append(comments, []any{uuid.Must(uuid.NewV7()).String(), id, c.ID, prog.ID, ids[(i+k+1)%len(ids)], "Count me in!", at.Add(time.Duration(k+1) * time.Second)})
			}
			for k := range 4 {
				reacts = append(reacts, []any{id, ids[(i+k+1)%len(ids)], kinds[k], at})
			}
			if err := flush(false); err != nil {
				return err
			}
		}
		return flush(true)
	})
	if err != nil {
		return nil, err
	}
	if d.Engine() == db.Postgres {
		if _, err := d.Exec(ctx, "ANALYZE"); err != nil {
			return nil, err
		}
	}
	cw.setup = time.Since(start)
	return cw, nil
}

// fanResult is what the fan-out measured (sorted).
type fanResult struct {
	receipts, lasts, posts []time.Duration
	open                   time.Duration
	missed                 int
}

// fanOut opens one GET /live stream per member (the poster aside), then
// posts o.rounds+1 times through the API, one at a time, and records when
// each stream receives each post's circle_post event.
func (cw *circlesWorld) fanOut(ctx context.Context, base string, o *circlesOptions) (*fanResult, error) {
	n := len(cw.cookies) - 1
	rounds := o.rounds + 1
	sent := make([]atomic.Int64, rounds)
	lat := make([]time.Duration, rounds*n)
	got := make([]atomic.Int64, rounds)
	done := make([]chan struct{}, rounds)
	for i := range done {
		done[i] = make(chan struct{})
	}
	var postRound sync.Map // post id → round
	tr := &http.Transport{MaxIdleConnsPerHost: -1, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	var opened sync.WaitGroup
	var streams sync.WaitGroup
	begin := time.Now()
	errs := make(chan error, n)
	for i := range n {
		opened.Add(1)
		streams.Add(1)
		go func() {
			defer streams.Done()
			once := sync.OnceFunc(opened.Done)
			defer once()
			req, err := http.NewRequestWithContext(sctx, http.MethodGet, base+"/live", nil)
			if err != nil {
				errs <- err
				return
			}
			req.Header.Set("Cookie", cw.cookies[i+1])
			resp, err := client.Do(req)
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				errs <- fmt.Errorf("stream %d: status %d", i, resp.StatusCode)
				return
			}
			br := bufio.NewReaderSize(resp.Body, 1024)
			if _, err := br.ReadString('\n'); err != nil { // the retry hint: subscribed
				errs <- err
				return
			}
			once()
			for {
				ev, err := live.ReadEvent(br)
				if err != nil {
					return
				}
				at := time.Now().UnixNano()
				if ev.Type != "circle_post" {
					continue
				}
				var data struct {
					PostID string `json:"post_id"`
				}
				if json.Unmarshal(ev.Data, &data) != nil {
					continue
				}
				var r int
				for {
					v, ok := postRound.Load(data.PostID)
					if ok {
						r = v.(int)
						break
					}
					time.Sleep(100 * time.Microsecond) // the POST's answer is still on its way
				}
				lat[r*n+i] = time.Duration(at - sent[r].Load())
				if got[r].Add(1) == int64(n) {
					close(done[r])
				}
			}
		}()
	}
	opened.Wait()
	select {
	case err := <-errs:
		return nil, err
	default:
	}
	res := &fanResult{open: time.Since(begin)}
	api := newClient(1)
	for r := range rounds {
		sent[r].Store(time.Now().UnixNano())
		t0 := time.Now()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/circles/"+cw.circle+"/posts",
			strings.NewReader(fmt.Sprintf(`{"body":"Round %d: who is coming on Saturday?"}`, r)))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+cw.token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := api.Do(req)
		if err != nil {
			return nil, err
		}
		var out struct {
			ID string `json:"id"`
		}
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusCreated {
			return nil, fmt.Errorf("post: status %d, %v", resp.StatusCode, err)
		}
		if r > 0 {
			res.posts = append(res.posts, time.Since(t0))
		}
		postRound.Store(out.ID, r)
		select {
		case <-done[r]:
		case <-time.After(30 * time.Second):
			res.missed += n - int(got[r].Load())
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		time.Sleep(100 * time.Millisecond)
	}
	for r := 1; r < rounds; r++ {
		round := lat[r*n : (r+1)*n]
		var last time.Duration
		for _, l := range round {
			if l > 0 {
				res.receipts = append(res.receipts, l)
				last = max(last, l)
			}
		}
		res.lasts = append(res.lasts, last)
	}
	slices.Sort(res.receipts)
	slices.Sort(res.lasts)
	slices.Sort(res.posts)
	stop()
	streams.Wait()
	return res, nil
}
