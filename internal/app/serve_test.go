package app

import (
	"context"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/cairn-recovery/cairn/internal/config"
	"github.com/cairn-recovery/cairn/internal/logging"
)

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	dir := t.TempDir()
	cfg, validate := config.Flags(fs, func(k string) string {
		if k == "CAIRN_DATA_DIR" {
			return dir
		}
		return ""
	})
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if err := validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestOpenGeneratesKeyAndMigrates(t *testing.T) {
	cfg := testConfig(t)
	a, err := Open(context.Background(), cfg, logging.New(io.Discard, "error"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Handler == nil || a.Auth == nil {
		t.Fatal("Open left the handler or the account service unset")
	}
	if a.Sender != nil {
		t.Error("a mail sender was started without CAIRN_SMTP_URL")
	}
	st, err := os.Stat(filepath.Join(cfg.DataDir, "secret.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secret.key: %v, %v", st, err)
	}
	ok, err := a.DB.MigrationsCurrent(context.Background())
	if err != nil || !ok {
		t.Errorf("migrations current = %v, %v", ok, err)
	}
	if err := a.Close(); err != nil {
		t.Error(err)
	}
	if err := a.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestServeDrainsRequestsInFlight cancels the context while a request is
// being handled: the request completes, then Serve returns nil and the
// database is closed.
func TestServeDrainsRequestsInFlight(t *testing.T) {
	cfg := testConfig(t)
	a, err := OpenStore(context.Background(), cfg, logging.New(io.Discard, "error"))
	if err != nil {
		t.Fatal(err)
	}
	entered, release := make(chan struct{}), make(chan struct{})
	a.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()

	type reply struct {
		body string
		err  error
	}
	got := make(chan reply, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- reply{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- reply{string(b), err}
	}()
	<-entered
	cancel()
	select {
	case err := <-served:
		t.Fatalf("Serve returned (%v) while a request was in flight", err)
	default:
	}
	close(release)
	if r := <-got; r.err != nil || r.body != "finished" {
		t.Errorf("request in flight: %q, %v", r.body, r.err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v, want nil after a clean shutdown", err)
	}
	if err := a.DB.Ping(context.Background()); err == nil {
		t.Error("the database is still open after Serve returned")
	}
}

func TestServeWithoutHandler(t *testing.T) {
	a, err := OpenStore(context.Background(), testConfig(t), logging.New(io.Discard, "error"))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Serve(context.Background(), ln); err == nil {
		t.Error("Serve without a handler returned nil")
	}
}
