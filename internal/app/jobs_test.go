package app

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/cairn-recovery/cairn/internal/logging"
)

// TestServeRunsJobs opens a full App: its job runner starts with Serve
// and stops cleanly at shutdown, and the periodic table holds the
// clean-up that used to run in a loop of its own.
func TestServeRunsJobs(t *testing.T) {
	a, err := Open(context.Background(), testConfig(t), logging.New(io.Discard, "error"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Jobs == nil {
		t.Fatal("Open left Jobs unset")
	}
	found := false
	for _, p := range a.periodicWork() {
		if p.Name == "auth.delete_expired" && p.Run != nil && p.Every > 0 {
			found = true
			if err := p.Run(context.Background()); err != nil {
				t.Errorf("%s: %v", p.Name, err)
			}
		}
	}
	if !found {
		t.Error("the periodic table lacks the expired-session clean-up")
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve = %v, want nil after a clean shutdown", err)
	}
	if err := a.Close(); err != nil {
		t.Errorf("Close after Serve: %v", err)
	}
}
