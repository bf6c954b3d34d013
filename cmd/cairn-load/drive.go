package main

import (
	"context"
	"io"
	"net/http"
	"sync"
	"time"
)

// Load describes one load run: conns workers, each with one keep-alive
// connection, send requests back to back for the duration after a warm-up
// whose requests are not counted.
type Load struct {
	Conns    int
	Duration time.Duration
	Warmup   time.Duration
}

// newClient returns a keep-alive client with one idle connection per
// worker that does not follow redirects, so a redirect to the sign-in page
// counts as an error rather than as a fast success.
func newClient(conns int) *http.Client {
	tr := &http.Transport{
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
		Proxy:               nil, // 127.0.0.1 only, never through a proxy
	}
	return &http.Client{
		Transport: tr,
		Timeout:   10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// Run drives newReq's requests against a target and measures them. A
// request counts as successful when it answers 200.
func (l Load) Run(ctx context.Context, name string, client *http.Client, newReq func(ctx context.Context) (*http.Request, error)) Result {
	return l.RunEach(ctx, name, client, func(int) func(ctx context.Context) (*http.Request, error) { return newReq })
}

// RunEach is Run with a request maker per worker: forWorker(i) gives the
// i-th worker's (from 0 to Conns-1), so that each worker can act as its
// own client.
func (l Load) RunEach(ctx context.Context, name string, client *http.Client, forWorker func(worker int) func(ctx context.Context) (*http.Request, error)) Result {
	type worker struct {
		ok, errs int
		lat      []time.Duration
	}
	ws := make([]worker, l.Conns)
	warmEnd := time.Now().Add(l.Warmup)
	end := warmEnd.Add(l.Duration)
	ctx, cancel := context.WithDeadline(ctx, end.Add(15*time.Second))
	defer cancel()

	var wg sync.WaitGroup
	for i := range ws {
		newReq := forWorker(i)
		wg.Go(func() {
			w := &ws[i]
			w.lat = make([]time.Duration, 0, 4096)
			for ctx.Err() == nil {
				start := time.Now()
				if !start.Before(end) {
					return
				}
				ok := do(ctx, client, newReq)
				took := time.Since(start)
				if start.Before(warmEnd) {
					continue
				}
				if ok {
					w.ok++
					w.lat = append(w.lat, took)
				} else {
					w.errs++
				}
			}
		})
	}
	wg.Wait()
	client.CloseIdleConnections()

	// Requests that start before the end may finish after it, so the
	// rate is taken over the time until the last one finished.
	r := Result{Name: name, Elapsed: time.Since(warmEnd)}
	for _, w := range ws {
		r.OK += w.ok
		r.Errors += w.errs
		r.Latencies = append(r.Latencies, w.lat...)
	}
	return r
}

// do sends one request and reads the whole body, so the connection is
// reused. It reports whether the answer was 200 OK.
func do(ctx context.Context, client *http.Client, newReq func(ctx context.Context) (*http.Request, error)) bool {
	req, err := newReq(ctx)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return err == nil && resp.StatusCode == http.StatusOK
}

// get returns a request maker for GET url with optional extra headers.
func get(url string, header http.Header) func(ctx context.Context) (*http.Request, error) {
	return func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		for k, vs := range header {
			req.Header[k] = vs
		}
		return req, nil
	}
}
