package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/db"
)

// selectTargetName names the one-SELECT reference, which the API's figure
// is compared with.
const selectTargetName = "one primary-key SELECT (SQLite, 100k rows)"

// page1K is the minimal handler's answer: 1 KiB of HTML.
var page1K = func() []byte {
	head := "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Minimal</title></head><body><main><p>"
	tail := "</p></main></body></html>\n"
	return []byte(head + strings.Repeat("x", 1024-len(head)-len(tail)) + tail)
}()

// server is a reference server listening on 127.0.0.1.
type server struct {
	URL string
	srv *http.Server
}

// startServer serves h on a random port of 127.0.0.1.
func startServer(h http.Handler) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &server{URL: "http://" + ln.Addr().String(), srv: &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Printf("reference server: %v\n", err)
		}
	}()
	return s, nil
}

// Close stops the server.
func (s *server) Close() { s.srv.Close() }

// minimalHandler answers every request with 1 KiB of HTML and nothing else.
func minimalHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page1K)
	})
}

// openBenchDB opens a SQLite database in dir through internal/db (so with
// Cairn's pragmas and single writer) and fills bench_rows with rows rows in
// one transaction.
func openBenchDB(ctx context.Context, dir string, rows int) (*db.DB, error) {
	d, err := db.Open(ctx, filepath.Join(dir, "bench.db"))
	if err != nil {
		return nil, err
	}
	for _, stmt := range []string{
		"CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT NOT NULL)",
		"CREATE TABLE bench_writes (id TEXT PRIMARY KEY, body TEXT NOT NULL, created_at TIMESTAMP NOT NULL)",
	} {
		if _, err := d.Exec(ctx, stmt); err != nil {
			d.Close()
			return nil, fmt.Errorf("create tables: %w", err)
		}
	}
	err = d.Tx(ctx, func(tx *db.Tx) error {
		const batch = 500
		for start := 1; start <= rows; start += batch {
			n := min(batch, rows-start+1)
			args := make([]any, 0, 3*n)
			q := "INSERT INTO bench_rows (id, name, note) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?, ?),", n), ",")
			for id := start; id < start+n; id++ {
				args = append(args, id, fmt.Sprintf("Person %d", id), strings.Repeat("note ", 20))
			}
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("fill bench_rows: %w", err)
	}
	return d, nil
}

// readHandler does one primary-key SELECT per request on a random row.
func readHandler(d *db.DB, rows int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var name, note string
		id := 1 + rand.IntN(rows)
		err := d.QueryRow(r.Context(), "SELECT name, note FROM bench_rows WHERE id = ?", id).Scan(&name, &note)
		if err != nil {
			http.Error(w, "read failed", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><html lang=\"en\"><title>Row</title><main><h1>%s</h1><p>%s</p></main></html>\n", name, note)
	})
}

// writeHandler does one single-row INSERT per request, on the one writer.
func writeHandler(d *db.DB) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := uuid.Must(uuid.NewV7()).String()
		_, err := d.Exec(r.Context(), "INSERT INTO bench_writes (id, body, created_at) VALUES (?, ?, ?)", id, "checked in", time.Now())
		if err != nil {
			http.Error(w, "write failed", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><html lang=\"en\"><title>Saved</title><main><p>Saved %s</p></main></html>\n", id)
	})
}
