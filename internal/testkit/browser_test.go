package testkit

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// strictCSP is the kind of policy Cairn serves: no inline script at all.
const strictCSP = "default-src 'self'"

const accessiblePage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Check-in</title></head>
<body>
<main>
<h1>Daily check-in</h1>
<p>How are you today?</p>
<form method="post" action="/checkin">
<label for="mood">Mood</label>
<input id="mood" name="mood" type="text">
<button type="submit">Save</button>
</form>
<img src="/logo.png" alt="Cairn logo">
</main>
<script>document.title = "inline script ran";</script>
</body>
</html>`

const imageWithoutAlt = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Gallery</title></head>
<body><main><h1>Gallery</h1><img id="photo" src="/logo.png"></main></body>
</html>`

func testSite(t *testing.T) *httptest.Server {
	t.Helper()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", strictCSP)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, body)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /good", page(accessiblePage))
	mux.HandleFunc("GET /noalt", page(imageWithoutAlt))
	mux.HandleFunc("GET /logo.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
	})
	mux.HandleFunc("GET /set", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "who", Value: "first", Path: "/"})
		page(accessiblePage)(w, r)
	})
	mux.HandleFunc("GET /who", func(w http.ResponseWriter, r *http.Request) {
		v := "nobody"
		if c, err := r.Cookie("who"); err == nil {
			v = c.Value
		}
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, v)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate to %s: %v", url, err)
	}
}

func TestAxeUnderStrictCSP(t *testing.T) {
	srv := testSite(t)
	ctx := Browser(t)

	navigate(t, ctx, srv.URL+"/good")
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title != "Check-in" {
		t.Fatalf("title = %q: the page's inline script ran, so the CSP was not enforced", title)
	}
	vs, err := AxeViolations(ctx)
	if err != nil {
		t.Fatalf("AxeViolations on a CSP page: %v", err)
	}
	if len(vs) != 0 {
		t.Fatalf("accessible page has violations: %v", vs)
	}
	Axe(t, ctx) // passes without errors

	navigate(t, ctx, srv.URL+"/noalt")
	vs, err = AxeViolations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var found *AxeViolation
	for i := range vs {
		if vs[i].ID == "image-alt" {
			found = &vs[i]
		}
	}
	if found == nil {
		t.Fatalf("image without alt not reported; got %v", vs)
	}
	if found.Impact != "critical" || len(found.Targets) != 1 || !strings.Contains(found.Targets[0], "photo") {
		t.Errorf("image-alt violation = %+v, want critical impact at #photo", *found)
	}
	if s := found.String(); !strings.Contains(s, "image-alt (critical)") || !strings.Contains(s, "#photo") {
		t.Errorf("String() = %q", s)
	}
	// A second check on the same page reuses the injected script.
	again, err := AxeViolations(ctx)
	if err != nil || len(again) != len(vs) {
		t.Errorf("second run: %v, %d violations, want %d", err, len(again), len(vs))
	}
}

func TestNewContextSeparatesCookies(t *testing.T) {
	srv := testSite(t)
	first := Browser(t)
	second := NewContext(t, first)

	navigate(t, first, srv.URL+"/set")
	navigate(t, first, srv.URL+"/who")
	got, err := chromedp.Run(first, chromedp.Evaluate[string]("document.body.innerText"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(got) != "first" {
		t.Fatalf("first person's cookie = %q, want first", got)
	}

	navigate(t, second, srv.URL+"/who")
	got, err = chromedp.Run(second, chromedp.Evaluate[string]("document.body.innerText"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(got) != "nobody" {
		t.Fatalf("second person sees cookie %q, want none", got)
	}
}

func TestAxeViolationString(t *testing.T) {
	v := AxeViolation{ID: "color-contrast", Impact: "serious", Help: "Contrast", Targets: []string{"a", "b", "c", "d", "e"}}
	want := "color-contrast (serious): Contrast; at a, b, c and 2 more"
	if got := v.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
