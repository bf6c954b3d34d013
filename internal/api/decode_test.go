package api

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"ids":["a"]}`, `{"all":true}`, `{"x":1}`, `[`, `{"ids":"a"}`, `null`, `{} {}`, "\xff", `{"ids":[1]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/api/v1/notifications/read", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var v markReadRequest
		err := decodeJSON(httptest.NewRecorder(), r, 256, &v)
		if err == nil {
			return
		}
		var p *Problem
		if !errors.As(err, &p) {
			t.Fatalf("%q: error %v is not a problem", body, err)
		}
		switch p.Status {
		case http.StatusBadRequest:
			if len(p.Errors) != 1 || p.Errors[0].Field == "" || p.Errors[0].Message == "" {
				t.Fatalf("%q: 400 without a named field: %+v", body, p)
			}
		case http.StatusRequestEntityTooLarge:
			if len(body) <= 256 {
				t.Fatalf("%q: 413 for %d bytes", body, len(body))
			}
		default:
			t.Fatalf("%q: status %d", body, p.Status)
		}
	})
}

func TestLimiter(t *testing.T) {
	l := newLimiter(2, 3)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		if ok, _ := l.allow("a", now); !ok {
			t.Fatalf("request %d refused within the burst", i+1)
		}
	}
	ok, wait := l.allow("a", now)
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("fourth = %v, wait %v; want refused for 500ms", ok, wait)
	}
	if ok, _ := l.allow("b", now); !ok {
		t.Fatal("another key shares the bucket")
	}
	now = now.Add(500 * time.Millisecond)
	if ok, _ := l.allow("a", now); !ok {
		t.Fatal("refused after refilling one")
	}
	// After a minute every bucket is full again and is forgotten.
	now = now.Add(time.Minute)
	l.allow("c", now)
	if n := l.size(); n != 1 {
		t.Fatalf("%d buckets after the sweep, want 1", n)
	}
}
