package live

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// sseServer serves h's stream for the user named in the "u" query
// parameter.
func sseServer(t *testing.T, h *Hub, readTimeout time.Duration) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h.ServeSSE(w, r, r.URL.Query().Get("u")); err != nil {
			t.Errorf("ServeSSE: %v", err)
		}
	}))
	srv.Config.ReadTimeout = readTimeout
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// openStream connects to srv as userID; cancel ends the request.
func openStream(t *testing.T, srv *httptest.Server, userID string) (*http.Response, *bufio.Reader, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/?u="+userID, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	return resp, bufio.NewReader(resp.Body), cancel
}

// readLine reads one line of the stream, without its line break.
func readLine(t *testing.T, br *bufio.Reader) string {
	t.Helper()
	line, err := br.ReadString('\n')
	if err != nil {
		t.Fatalf("read stream: %v", err)
	}
	return strings.TrimSuffix(line, "\n")
}

// waitFor polls cond until it holds, failing after the deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	stop := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(stop) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestServeSSEFormat(t *testing.T) {
	d := testkit.SQLite(t)
	h := NewHub(d, nil)
	h.heartbeat = 20 * time.Millisecond
	h = startRunning(t, h)
	srv := sseServer(t, h, 0)

	resp, br, cancel := openStream(t, srv, "alice")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for k, want := range map[string]string{"Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no"} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if line := readLine(t, br); line != "retry: 5000" {
		t.Fatalf("first line %q, want the retry hint", line)
	}
	if line := readLine(t, br); line != "" {
		t.Fatalf("retry hint not followed by a blank line: %q", line)
	}
	// Heartbeats are comments.
	if line := readLine(t, br); line != ": ping" {
		t.Fatalf("idle stream sent %q, want a heartbeat comment", line)
	}
	waitFor(t, "the subscription", func() bool { return h.Connections() == 1 })

	publish(t, d, "bob", Event{Type: "notification", Data: json.RawMessage(`{"id":"not-alices"}`)}, false)
	publish(t, d, "alice", Event{Type: "notification", Data: json.RawMessage(`{"id":"n1"}`)}, false)
	for {
		line := readLine(t, br)
		if line == ": ping" || line == "" {
			continue
		}
		if line != "event: notification" {
			t.Fatalf("got %q, want alice's event", line)
		}
		break
	}
	if line := readLine(t, br); line != `data: {"id":"n1"}` {
		t.Fatalf("data line %q", line)
	}
	if line := readLine(t, br); line != "" {
		t.Fatalf("event not ended by a blank line: %q", line)
	}

	// The client leaving ends the stream.
	cancel()
	waitFor(t, "the stream to end", func() bool { return h.Connections() == 0 })
}

// startRunning runs h until the test ends and waits until it is ready.
func startRunning(t *testing.T, h *Hub) *Hub {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = h.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	<-h.Ready()
	return h
}

func TestServeSSEEndsWhenHubStops(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		h := NewHub(d, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- h.Run(ctx) }()
		<-h.Ready()
		srv := sseServer(t, h, 0)
		_, br, _ := openStream(t, srv, "alice")
		readLine(t, br)
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run: %v", err)
		}
		if _, err := io.ReadAll(br); err != nil {
			t.Fatalf("stream did not end cleanly: %v", err)
		}
		waitFor(t, "the stream to end", func() bool { return h.Connections() == 0 })
	})
}

// The server's ReadTimeout is for reading requests; it must not end a
// stream that outlives it.
func TestServeSSEOutlivesReadTimeout(t *testing.T) {
	d := testkit.SQLite(t)
	h := startRunning(t, NewHub(d, nil))
	const readTimeout = 100 * time.Millisecond
	srv := sseServer(t, h, readTimeout)
	_, br, _ := openStream(t, srv, "alice")
	readLine(t, br)
	time.Sleep(4 * readTimeout)
	publish(t, d, "alice", Event{Type: "unread", Data: json.RawMessage(`{"count":1}`)}, false)
	ev, err := ReadEvent(br)
	if err != nil {
		t.Fatalf("stream ended after the read timeout: %v", err)
	}
	if ev.Type != "unread" || string(ev.Data) != `{"count":1}` {
		t.Fatalf("got %s %s", ev.Type, ev.Data)
	}
}

func TestServeSSERequiresUser(t *testing.T) {
	h := NewHub(testkit.SQLite(t), nil)
	rec := httptest.NewRecorder()
	if err := h.ServeSSE(rec, httptest.NewRequest(http.MethodGet, "/live", nil), ""); err == nil {
		t.Fatal("ServeSSE without a user: no error")
	}
}
