package main

// Live updates: with -sse N the tool measures server-sent events instead
// of pages. It starts itself again as a child process that serves only
// the live-update hub (internal/live) over net/http on 127.0.0.1 — the
// same code behind Cairn's GET /live, without sign-in — opens N streams,
// one per person, then publishes one event to each of the N people in a
// single transaction, round after round, and records the time from the
// publish to each receipt and to the last one. RSS is the child's.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/live"
)

// sseChildEnv, when set, makes the process the benchmark's server; its
// value is the database to open.
const sseChildEnv = "CAIRN_LOAD_SSE_SERVER"

// sseOptions are the flags of the live-update benchmark.
type sseOptions struct {
	conns       int
	rounds      int
	databaseURL string
}

// sseFlags registers the live-update benchmark's flags.
func sseFlags() *sseOptions {
	o := &sseOptions{}
	flag.IntVar(&o.conns, "sse", 0, "measure live updates with this many concurrent SSE connections instead of pages (e.g. 5000)")
	flag.IntVar(&o.rounds, "sse-rounds", 20, "measured publish rounds of the live-update benchmark")
	flag.StringVar(&o.databaseURL, "sse-database-url", "", "postgres:// URL for the live-update benchmark (LISTEN/NOTIFY); empty uses a temporary SQLite file")
	return o
}

// sseMain runs the live-update benchmark and returns the exit code.
func sseMain(o *sseOptions) int {
	if o.conns < 1 || o.conns > 50_000 || o.rounds < 1 {
		fmt.Fprintln(os.Stderr, "cairn-load: -sse must be between 1 and 50000 and -sse-rounds at least 1")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute+time.Duration(o.rounds)*10*time.Second)
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runSSE(ctx, o); err != nil {
		fmt.Fprintf(os.Stderr, "cairn-load: %v\n", err)
		return 1
	}
	return 0
}

// raiseFileLimit lifts the soft limit on open files to the hard one.
func raiseFileLimit() {
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) == nil && rl.Cur < rl.Max {
		rl.Cur = rl.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
	}
}

// sseChild serves the hub when the process was started as the benchmark's
// server, and reports whether it was.
func sseChild() bool {
	target := os.Getenv(sseChildEnv)
	if target == "" {
		return false
	}
	if err := serveSSEChild(target); err != nil {
		fmt.Fprintf(os.Stderr, "cairn-load (server): %v\n", err)
		os.Exit(1)
	}
	return true
}

// serveSSEChild opens the database, runs a hub and serves it on a free
// 127.0.0.1 port, printing the address, until standard input closes.
func serveSSEChild(target string) error {
	raiseFileLimit()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // the parent going away ends the child
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	d, err := db.Open(ctx, target)
	if err != nil {
		return err
	}
	defer d.Close()
	hub := live.NewHub(d, slog.New(slog.DiscardHandler))
	hubDone := make(chan error, 1)
	go func() { hubDone <- hub.Run(ctx) }()
	select {
	case <-hub.Ready():
	case err := <-hubDone:
		return fmt.Errorf("hub stopped: %v", err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /live", func(w http.ResponseWriter, r *http.Request) {
		if err := hub.ServeSSE(w, r, r.URL.Query().Get("u")); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
		}
	})
	mux.HandleFunc("POST /publish", func(w http.ResponseWriter, r *http.Request) {
		users, err1 := strconv.Atoi(r.URL.Query().Get("users"))
		round, err2 := strconv.Atoi(r.URL.Query().Get("round"))
		if err1 != nil || err2 != nil || users < 1 {
			http.Error(w, "users and round are required", http.StatusBadRequest)
			return
		}
		data := json.RawMessage(fmt.Sprintf(`{"round":%d}`, round))
		err := d.Tx(r.Context(), func(tx *db.Tx) error {
			for i := range users {
				if err := live.Publish(r.Context(), tx, sseUser(i), live.Event{Type: "unread", Data: data}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /conns", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, hub.Connections())
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	// The same timeouts as `cairn serve`.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	fmt.Printf("addr %s\n", ln.Addr())
	<-ctx.Done()
	_ = srv.Close()
	<-hubDone
	return nil
}

// sseUser names the i-th benchmark person.
func sseUser(i int) string { return "user-" + strconv.Itoa(i) }

// sseRun holds the receipts of the measured rounds.
type sseRun struct {
	conns int
	// start[r] is when round r's publish was sent, in UnixNano.
	start []atomic.Int64
	// got[r] counts round r's receipts; lat[r*conns+i] is connection i's.
	got  []atomic.Int64
	lat  []time.Duration
	done []chan struct{}
}

func runSSE(ctx context.Context, o *sseOptions) error {
	raiseFileLimit()
	target := o.databaseURL
	if target == "" {
		tmp, err := os.MkdirTemp("", "cairn-load-sse-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		target = filepath.Join(tmp, "sse.db")
	} else if !db.IsPostgresURL(target) {
		return errors.New("-sse-database-url must be a postgres:// URL")
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}

	// The server.
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), sseChildEnv+"="+target)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		stdin.Close()
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "addr ")
	if err != nil || !ok || !strings.HasPrefix(addr, "127.0.0.1:") {
		return fmt.Errorf("the benchmark server did not start (%q, %v)", line, err)
	}
	base := "http://" + addr
	proc := &cairnProc{cmd: cmd}
	tr := &http.Transport{MaxIdleConnsPerHost: -1, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	var phases []ssePhase
	for _, each := range []bool{true, false} {
		ph, err := measureSSEPhase(ctx, o, client, base, proc, each)
		if err != nil {
			return err
		}
		phases = append(phases, ph)
	}
	peakRSS, err := proc.memory("VmHWM")
	if err != nil {
		return err
	}

	rep := &report{}
	rep.machine()
	w := os.Stdout
	fmt.Fprintf(w, "Live updates: %d concurrent SSE connections to one server process, %s; %d measured rounds per scenario after one warm-up round; %d cores, %s, %s; load average before the run %s.\n\n",
		o.conns, engineName(target), o.rounds, rep.cores, rep.cpu, rep.goVer, rep.loadAvg)
	fmt.Fprintln(w, "| Scenario | publish → receipt p50 | p99 | publish → last receipt p50 | p99 | publish request p50 | open all connections | RSS, connections open |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, ph := range phases {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", ph.name,
			ms(percentile(ph.receipts, 50)), ms(percentile(ph.receipts, 99)),
			ms(percentile(ph.lasts, 50)), ms(percentile(ph.lasts, 99)),
			ms(percentile(ph.publishes, 50)), ms(ph.open), mib(ph.idleRSS))
	}
	fmt.Fprintf(w, "\nPeak RSS of the server process over the whole run (VmHWM): %s.\n", mib(peakRSS))
	return nil
}

// ssePhase is what one scenario measured.
type ssePhase struct {
	name string
	// receipts: publish → each receipt; lasts: publish → the round's last
	// receipt; publishes: the publish request, commit included. Sorted.
	receipts, lasts, publishes []time.Duration
	open                       time.Duration
	idleRSS                    int64
}

// measureSSEPhase opens o.conns streams, publishes the rounds and closes
// the streams again. With each, every stream is a different person and a
// round publishes one event to each of them in one transaction; without,
// every stream is the same person's and a round publishes one event.
func measureSSEPhase(ctx context.Context, o *sseOptions, client *http.Client, base string, proc *cairnProc, each bool) (ssePhase, error) {
	ph := ssePhase{name: fmt.Sprintf("one event to each of %d people (one transaction)", o.conns)}
	users, user := o.conns, sseUser
	if !each {
		ph.name = fmt.Sprintf("one event to one person with %d open pages", o.conns)
		users, user = 1, func(int) string { return sseUser(0) }
	}
	total := o.rounds + 1 // round 0 warms up
	run := &sseRun{conns: o.conns, start: make([]atomic.Int64, total), got: make([]atomic.Int64, total),
		lat: make([]time.Duration, total*o.conns), done: make([]chan struct{}, total)}
	for r := range run.done {
		run.done[r] = make(chan struct{})
	}
	streamCtx, stopStreams := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { stopStreams(); wg.Wait() }()
	fmt.Fprintf(os.Stderr, "%s: opening %d SSE connections...\n", ph.name, o.conns)
	var ready, failed atomic.Int64
	dials := make(chan struct{}, 256) // bounds concurrent connection set-up
	openStart := time.Now()
	for i := range o.conns {
		wg.Go(func() {
			dials <- struct{}{}
			if err := run.stream(streamCtx, client, base, i, user(i), func() { <-dials; ready.Add(1) }); err != nil && streamCtx.Err() == nil {
				failed.Add(1)
			}
		})
	}
	for ready.Load()+failed.Load() < int64(o.conns) {
		if ctx.Err() != nil {
			return ph, ctx.Err()
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := failed.Load(); n > 0 {
		return ph, fmt.Errorf("%d of %d connections failed", n, o.conns)
	}
	ph.open = time.Since(openStart)
	time.Sleep(500 * time.Millisecond)
	var err error
	if ph.idleRSS, err = proc.memory("VmRSS"); err != nil {
		return ph, err
	}

	fmt.Fprintf(os.Stderr, "%s: publishing %d rounds...\n", ph.name, total)
	for r := range total {
		run.start[r].Store(time.Now().UnixNano())
		t0 := time.Now()
		resp, err := client.Post(fmt.Sprintf("%s/publish?users=%d&round=%d", base, users, r), "text/plain", nil)
		if err != nil {
			return ph, err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			return ph, fmt.Errorf("publish: status %d", resp.StatusCode)
		}
		if r > 0 {
			ph.publishes = append(ph.publishes, time.Since(t0))
		}
		select {
		case <-run.done[r]:
		case <-time.After(30 * time.Second):
			return ph, fmt.Errorf("round %d: %d of %d events arrived within 30 s", r, run.got[r].Load(), o.conns)
		case <-ctx.Done():
			return ph, ctx.Err()
		}
		time.Sleep(200 * time.Millisecond)
	}
	ph.receipts = slices.Clone(run.lat[o.conns:])
	for r := 1; r < total; r++ {
		ph.lasts = append(ph.lasts, slices.Max(run.lat[r*o.conns:(r+1)*o.conns]))
	}
	slices.Sort(ph.receipts)
	slices.Sort(ph.lasts)
	slices.Sort(ph.publishes)
	return ph, nil
}

// stream opens connection i as user and records the rounds' receipts until ctx
// ends. It calls opened once the stream has begun.
func (s *sseRun) stream(ctx context.Context, client *http.Client, base string, i int, user string, opened func()) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/live?u="+user, nil)
	if err != nil {
		opened()
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		opened()
		return err
	}
	defer resp.Body.Close()
	br := bufio.NewReaderSize(resp.Body, 512)
	_, err = br.ReadString('\n') // the retry hint: subscribed
	opened()
	if err != nil || resp.StatusCode != http.StatusOK {
		return fmt.Errorf("stream %d: %d, %v", i, resp.StatusCode, err)
	}
	for {
		ev, err := live.ReadEvent(br)
		if err != nil {
			return err
		}
		now := time.Now().UnixNano()
		var d struct{ Round int }
		if ev.Type != "unread" || json.Unmarshal(ev.Data, &d) != nil || d.Round < 0 || d.Round >= len(s.done) {
			return fmt.Errorf("stream %d: unexpected event %s %s", i, ev.Type, ev.Data)
		}
		s.lat[d.Round*s.conns+i] = time.Duration(now - s.start[d.Round].Load())
		if s.got[d.Round].Add(1) == int64(s.conns) {
			close(s.done[d.Round])
		}
	}
}

// engineName describes the database of a benchmark target.
func engineName(target string) string {
	if db.IsPostgresURL(target) {
		return "PostgreSQL LISTEN/NOTIFY"
	}
	return "SQLite (in-process fan-out)"
}
