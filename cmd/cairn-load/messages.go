package main

// Messages: with -messages sqlite|postgres|both the tool measures sending
// messages instead of pages, on a fresh migrated database per engine (like
// -events, events.go), with the JSON API in this process:
//
//   - the single-row INSERT reference on the same database;
//   - POST /api/v1/conversations/{id}/messages from -conns senders (one
//     member and token each) into -messages-conversations direct
//     conversations between them, each sender going round the
//     conversations it is in. Every message is encrypted, audited,
//     checked for crisis language and fanned out (live events, unread
//     counts, at most one notification per conversation and hour).
//
// The API answers a sent message with 201 Created; the shared driver
// counts 200 as success, so the API handler is wrapped to report 201 as
// 200 (nothing else changes).

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/api"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/config"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/web"
)

// messagesOptions are the flags of the messages benchmark.
type messagesOptions struct {
	engine        string
	databaseURL   string
	conversations int
	profile       string
}

// msgOpts holds the messages benchmark's flags, registered at start-up.
var msgOpts = func() *messagesOptions {
	o := &messagesOptions{}
	flag.StringVar(&o.engine, "messages", "", "measure sending messages through the JSON API on sqlite, postgres or both, instead of pages")
	flag.StringVar(&o.databaseURL, "messages-database-url", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		"PostgreSQL server for -messages postgres: a database is created on it for the run and dropped after")
	flag.IntVar(&o.conversations, "messages-conversations", 1000, "direct conversations the senders write into")
	flag.StringVar(&o.profile, "messages-cpuprofile", "", "write a CPU profile per target to PREFIX-ENGINE-N.pprof")
	return o
}()

// messagesMain runs the messages benchmark and returns the exit code.
func messagesMain(load Load, o *messagesOptions) int {
	var engines []string
	switch o.engine {
	case "sqlite", "postgres":
		engines = []string{o.engine}
	case "both":
		engines = []string{"sqlite", "postgres"}
	default:
		fmt.Fprintln(os.Stderr, "cairn-load: -messages must be sqlite, postgres or both")
		return 2
	}
	if load.Conns < 2 || o.conversations < 1 || o.conversations > load.Conns*(load.Conns-1)/2 {
		fmt.Fprintln(os.Stderr, "cairn-load: -messages needs -conns of at least 2 and -messages-conversations from 1 to conns×(conns−1)/2")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(len(engines))*(5*time.Minute+2*(load.Duration+load.Warmup+15*time.Second)))
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	for _, engine := range engines {
		if err := benchMessages(ctx, load, engine, o, os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "cairn-load: messages on %s: %v\n", engine, err)
			return 1
		}
	}
	return 0
}

// messagesWorld is the benchmark's program, senders and conversations.
type messagesWorld struct {
	d      *db.DB
	a      *auth.Service
	cfg    *config.Config
	prog   *programs.Program
	actors []access.Actor
	tokens []string   // one API token per sender
	convs  [][]string // the conversations each sender is in
	setup  time.Duration
}

// benchMessages measures one engine and prints its report to w.
func benchMessages(ctx context.Context, load Load, engine string, o *messagesOptions, w io.Writer) error {
	tmp, err := os.MkdirTemp("", "cairn-load-messages-")
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
	fmt.Fprintf(os.Stderr, "messages on %s: preparing %d senders, %d conversations...\n", engine, load.Conns, o.conversations)
	mw, err := newMessagesWorld(ctx, d, tmp, load.Conns, o.conversations)
	if err != nil {
		return fmt.Errorf("set-up: %w", err)
	}
	logger := slog.New(slog.DiscardHandler)
	h := api.New(api.Deps{DB: d, Auth: mw.a, Logger: logger, CookieName: web.SessionCookieName(mw.cfg), Rate: 1e9, Burst: 1e9})
	app, err := startServer(createdAsOK(h))
	if err != nil {
		return err
	}
	defer app.Close()
	ref, err := startServer(writeHandler(d))
	if err != nil {
		return err
	}
	defer ref.Close()

	targets := []struct {
		name      string
		forWorker func(int) func(context.Context) (*http.Request, error)
	}{
		{"single-row INSERT reference (" + engine + ")", each(get(ref.URL+"/", nil))},
		{fmt.Sprintf("send a message, %d conversations (POST …/messages)", o.conversations), mw.senders(app.URL)},
	}
	var results []Result
	var perReq []time.Duration
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
		share := float64(load.Duration) / float64(load.Duration+load.Warmup)
		if res.OK > 0 {
			perReq = append(perReq, time.Duration(float64(cpu)*share/float64(res.OK)))
		} else {
			perReq = append(perReq, 0)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if err := mw.check(ctx); err != nil {
		return err
	}
	rep := &report{load: load}
	rep.machine()
	fmt.Fprintf(w, "Messages on %s. Machine: %d cores, %s, %s, load average before the report %s. Load: %d keep-alive connections (one sender each), %v measured after %v warm-up, client in the same process.\n",
		engine, rep.cores, rep.cpu, rep.goVer, rep.loadAvg, load.Conns, load.Duration, load.Warmup)
	fmt.Fprintf(w, "Dataset: %d senders with tokens, %d direct conversations; set-up %s.\n\n", len(mw.tokens), o.conversations, mw.setup.Round(time.Second))
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
	return nil
}

// createdAsOK reports 201 Created as 200 OK, for the shared driver.
func createdAsOK(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(statusMapper{w}, r)
	})
}

type statusMapper struct{ http.ResponseWriter }

func (s statusMapper) WriteHeader(code int) {
	if code == http.StatusCreated {
		code = http.StatusOK
	}
	s.ResponseWriter.WriteHeader(code)
}

// newMessagesWorld creates the program, conns alumni with API tokens and n
// direct conversations between them: sender a with sender a+k (mod
// conns) for k = 1, 2, …, so that every sender is in about the same
// number of conversations.
func newMessagesWorld(ctx context.Context, d *db.DB, tmp string, conns, n int) (*messagesWorld, error) {
	start := time.Now()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: tmp, SecretKey: []byte("cairn-load secret key, 32 bytes or more"),
		StaffIdle: 30 * time.Minute, MemberIdle: 12 * time.Hour, SessionLifetime: 30 * 24 * time.Hour,
		MaxBodyBytes: 1 << 20, LogLevel: "error"}
	conversations.SetKey(cfg.SecretKey)
	mw := &messagesWorld{d: d, cfg: cfg, a: auth.New(d, auth.Options{SecretKey: cfg.SecretKey, StaffIdle: cfg.StaffIdle,
		MemberIdle: cfg.MemberIdle, Lifetime: cfg.SessionLifetime, Argon: auth.CheapArgon2ParamsForTests()}),
		convs: make([][]string, conns)}
	var err error
	if mw.prog, err = programs.Create(ctx, d, programs.Settings{Name: "Load Test Alumni", TimeZone: "America/Chicago"}); err != nil {
		return nil, err
	}
	password := randomPassword()
	for i := range conns {
		u, err := mw.a.CreateUser(ctx, access.System(mw.prog.ID), auth.NewUser{ProgramID: mw.prog.ID,
			Email: fmt.Sprintf("sender-%d@example.test", i), FirstName: "Sender", LastName: fmt.Sprintf("Person %d", i),
			Role: access.Alumnus, Password: password})
		if err != nil {
			return nil, err
		}
		raw, _, err := mw.a.CreateToken(ctx, u.Actor("cairn-load"), "cairn-load")
		if err != nil {
			return nil, err
		}
		mw.actors = append(mw.actors, u.Actor("cairn-load"))
		mw.tokens = append(mw.tokens, raw)
	}
	for k := range n {
		a := k % conns
		b := (a + 1 + k/conns) % conns
		c, _, err := conversations.Start(ctx, d, mw.actors[a], conversations.NewConversation{MemberIDs: []string{mw.actors[b].UserID}})
		if err != nil {
			return nil, err
		}
		mw.convs[a] = append(mw.convs[a], c.ID)
		mw.convs[b] = append(mw.convs[b], c.ID)
	}
	if d.Engine() == db.Postgres {
		if _, err := d.Exec(ctx, "ANALYZE"); err != nil {
			return nil, err
		}
	}
	mw.setup = time.Since(start)
	return mw, nil
}

// senders gives each worker its own member and token; it goes round the
// conversations the member is in.
func (mw *messagesWorld) senders(base string) func(int) func(context.Context) (*http.Request, error) {
	return func(worker int) func(context.Context) (*http.Request, error) {
		bearer := "Bearer " + mw.tokens[worker%len(mw.tokens)]
		convs := mw.convs[worker%len(mw.convs)]
		n := 0
		return func(ctx context.Context) (*http.Request, error) {
			id := convs[n%len(convs)]
			n++
			body := fmt.Sprintf(`{"body":"Message %d from sender %d. How is your week going? See you on Tuesday."}`, n, worker)
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/conversations/"+id+"/messages", strings.NewReader(body))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Authorization", bearer)
			req.Header.Set("Content-Type", "application/json")
			return req, nil
		}
	}
}

// check verifies after the run that messages were stored, encrypted, and
// read back.
func (mw *messagesWorld) check(ctx context.Context) error {
	var n int
	if err := mw.d.QueryRow(ctx, `SELECT COUNT(*) FROM conversation_messages`).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("no message was stored")
	}
	for i, convs := range mw.convs {
		if len(convs) == 0 {
			continue
		}
		msgs, err := conversations.Messages(ctx, mw.d, mw.actors[i], convs[0], conversations.Page{Limit: 5})
		if err != nil {
			return fmt.Errorf("read back: %w", err)
		}
		for _, m := range msgs {
			if !strings.HasPrefix(m.Body, "Message ") {
				return fmt.Errorf("read back a message that was not sent")
			}
		}
		break
	}
	return nil
}
