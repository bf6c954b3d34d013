package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// BenchmarkSigninPage measures the public sign-in page, the page every
// visitor sees first (figures in BENCHMARKS.md).
func BenchmarkSigninPage(b *testing.B) {
	e := newWebEnv(b, testkit.SQLite(b))
	h := e.srv.Handler()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "http://cairn.test/signin", nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}

// BenchmarkHomePage measures an alumnus' signed-in home page: session
// lookup, program, render.
func BenchmarkHomePage(b *testing.B) {
	e := newWebEnv(b, testkit.SQLite(b))
	cookie := e.signIn(e.users[access.Alumnus])
	h := e.srv.Handler()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", "http://cairn.test/home", nil)
			req.AddCookie(&http.Cookie{Name: e.srv.cookieName(), Value: cookie})
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}
