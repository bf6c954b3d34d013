package app

import (
	"bufio"
	"context"
	"flag"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/config"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/logging"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// multiDeadline bounds every wait of the two-instance test; generous on
// purpose, it asserts nothing about speed.
const multiDeadline = 20 * time.Second

// multiInstance is one running App serving on a loopback port.
type multiInstance struct {
	app  *App
	base string
}

// startInstance opens and serves an App on databaseURL with secret, in a
// data folder of its own, until the test ends.
func startInstance(t *testing.T, databaseURL, secret string) *multiInstance {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	env := map[string]string{
		"CAIRN_DATA_DIR":     dir,
		"CAIRN_DATABASE_URL": databaseURL,
		"CAIRN_SECRET_KEY":   secret,
		"CAIRN_ADDR":         ln.Addr().String(),
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	cfg, validate := config.Flags(fs, func(k string) string { return env[k] })
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if err := validate(); err != nil {
		t.Fatal(err)
	}
	a, err := Open(context.Background(), cfg, logging.New(io.Discard, "error"))
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &multiInstance{app: a, base: "http://" + ln.Addr().String()}
}

// TestTwoInstancesShareOnePostgres runs two instances on one PostgreSQL
// database: a session made on A works on B, and a notification sent
// through A reaches a live-update stream open on B.
func TestTwoInstancesShareOnePostgres(t *testing.T) {
	dbURL := testkit.NewPostgresDatabase(t)
	const secret = "two-instances-share-this-secret-key-0123456789"
	a := startInstance(t, dbURL, secret)
	b := startInstance(t, dbURL, secret)
	ctx := context.Background()

	prog, err := programs.Create(ctx, a.app.DB, programs.Settings{Name: "Two Instances", TimeZone: "America/Chicago"})
	if err != nil {
		t.Fatal(err)
	}
	const email, password = "alex@example.test", "a long and unguessable passphrase"
	user, err := a.app.Auth.CreateUser(ctx, access.System(prog.ID), auth.NewUser{ProgramID: prog.ID, Email: email,
		FirstName: "Alex", LastName: "Rivera", Role: access.Alumnus, Password: password})
	if err != nil {
		t.Fatal(err)
	}

	client := &http.Client{
		Timeout:       multiDeadline,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}

	// Sign in on A.
	resp, err := client.PostForm(a.base+"/signin", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "cairn_session" && c.Value != "" {
			session = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("sign in on A: status %d, session cookie %v", resp.StatusCode, session != nil)
	}

	// The cookie works on B.
	req, _ := http.NewRequest(http.MethodGet, b.base+"/home", nil)
	req.AddCookie(session)
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /home on B with A's cookie: %d, want 200", resp.StatusCode)
	}

	// A live-update stream on B.
	select {
	case <-b.app.Live.Ready():
	case <-time.After(multiDeadline):
		t.Fatal("B's live hub never started listening")
	}
	streamCtx, stopStream := context.WithTimeout(ctx, multiDeadline)
	defer stopStream()
	req, _ = http.NewRequestWithContext(streamCtx, http.MethodGet, b.base+"/live", nil)
	req.AddCookie(session)
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	if stream.StatusCode != http.StatusOK || !strings.HasPrefix(stream.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("GET /live on B: %d %q", stream.StatusCode, stream.Header.Get("Content-Type"))
	}
	br := bufio.NewReader(stream.Body)
	if line, err := br.ReadString('\n'); err != nil || !strings.HasPrefix(line, "retry:") {
		t.Fatalf("stream on B began with %q, %v", line, err)
	}

	// A notification sent through A.
	var id string
	if err := a.app.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		id, err = notify.Send(ctx, tx, user.ID, notify.KindMessage, notify.Data{Title: "A new message", Body: "Hello", Link: "/home"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if id == "" {
		t.Fatal("notify.Send stored no in-app notification")
	}

	// … arrives on B (the stream's context bounds the wait).
	for {
		ev, err := live.ReadEvent(br)
		if err != nil {
			t.Fatalf("no notification event on B: %v", err)
		}
		if ev.Type == "notification" {
			if !strings.Contains(string(ev.Data), `"unread":1`) {
				t.Errorf("notification event data %s, want the unread count 1", ev.Data)
			}
			break
		}
	}
}

// TestShutdownEndsLiveStreams: an open live-update stream does not hold up
// shutdown; it ends, and Serve returns nil (not "requests still running").
func TestShutdownEndsLiveStreams(t *testing.T) {
	a, err := Open(context.Background(), testConfig(t), logging.New(io.Discard, "error"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	prog, err := programs.Create(ctx, a.DB, programs.Settings{Name: "Shutdown", TimeZone: "America/Chicago"})
	if err != nil {
		t.Fatal(err)
	}
	const email, password = "sam@example.test", "a long and unguessable passphrase"
	if _, err := a.Auth.CreateUser(ctx, access.System(prog.ID), auth.NewUser{ProgramID: prog.ID, Email: email,
		FirstName: "Sam", LastName: "Rivera", Role: access.Family, Password: password}); err != nil {
		t.Fatal(err)
	}
	token, _, err := a.Auth.SignIn(ctx, email, password, "192.0.2.1", "test", "req")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveCtx, cancel := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- a.Serve(serveCtx, ln) }()

	req, _ := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/live", nil)
	req.AddCookie(&http.Cookie{Name: "cairn_session", Value: token})
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	defer stream.Body.Close()
	br := bufio.NewReader(stream.Body)
	if line, err := br.ReadString('\n'); err != nil || !strings.HasPrefix(line, "retry:") {
		cancel()
		t.Fatalf("stream began with %q, %v", line, err)
	}
	cancel()
	if _, err := io.ReadAll(br); err != nil {
		t.Errorf("stream did not end cleanly at shutdown: %v", err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v, want nil", err)
	}
}
