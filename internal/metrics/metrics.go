// Package metrics keeps Cairn's Prometheus metrics in a registry of its
// own: HTTP requests by route pattern and status, request latency, jobs by
// state, outbox messages by status, open live connections, and the Go
// runtime and process figures. Labels are route patterns and fixed words,
// never ids, paths, addresses or anything else about a person.
package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cairn-recovery/cairn/internal/db"
)

// Unmatched is the route label of requests that matched no registered
// pattern (and of those turned away before routing).
const Unmatched = "unmatched"

// anyMethod is the method label of a pattern that names no method.
const anyMethod = "any"

// maxSeries bounds the request series one process keeps; patterns beyond
// it are counted under the route "other", so that a caller passing raw
// paths by mistake cannot exhaust memory.
const maxSeries = 4096

// durationBuckets suit web requests from about 1 ms to 2 s, in seconds.
var durationBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2}

// Metrics holds the registry and the instruments the web server feeds.
// Its methods are safe for concurrent use.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	live     atomic.Pointer[func() int]
	handler  http.Handler

	// series caches the instruments of each (pattern, status), so that
	// observing a request does not hash its labels every time.
	series  sync.Map // seriesKey → *series
	nseries atomic.Int64
}

type seriesKey struct {
	pattern string
	status  int
}

type series struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

// New builds the metrics on a registry of their own (not Prometheus'
// global one). Job and outbox counts are read from d at scrape time.
func New(d *db.DB) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cairn_http_requests_total",
		Help: "HTTP requests served, by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "cairn_http_request_duration_seconds",
		Help:    "Time to serve an HTTP request, by route pattern and method.",
		Buckets: durationBuckets,
	}, []string{"route", "method"})
	liveGauge := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "cairn_live_connections",
		Help: "Open live-update (server-sent events) connections on this instance.",
	}, m.liveConnections)
	queryErrors := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cairn_metrics_query_errors_total",
		Help: "Scrape-time database queries that failed or timed out; the family they feed is left out of that scrape.",
	}, []string{"query"})
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.duration, liveGauge, queryErrors,
		newCountCollector(d, queryErrors, "jobs", prometheus.NewDesc("cairn_jobs",
			"Jobs in the queue, by state.", []string{"state"}, nil),
			`SELECT state, COUNT(*) FROM river_job GROUP BY state`, jobStates),
		newCountCollector(d, queryErrors, "outbox", prometheus.NewDesc("cairn_outbox_messages",
			"Messages in the mail outbox, by status.", []string{"status"}, nil),
			`SELECT status, COUNT(*) FROM mail_outbox GROUP BY status`, outboxStatuses),
	)
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		// A failed database query leaves its family out; the rest is
		// still served.
		ErrorHandling: promhttp.ContinueOnError,
		// Each scrape queries the database; a few at a time is plenty.
		MaxRequestsInFlight: 4,
	})
	return m
}

// ObserveRequest records one served request under its route pattern
// ("GET /admin/people/{id}", or [Unmatched]), never its path. The method
// label is the pattern's method ("any" when the pattern names none).
func (m *Metrics) ObserveRequest(pattern string, status int, d time.Duration) {
	s := m.seriesFor(pattern, status)
	s.requests.Inc()
	s.duration.Observe(d.Seconds())
}

func (m *Metrics) seriesFor(pattern string, status int) *series {
	key := seriesKey{pattern, status}
	if v, ok := m.series.Load(key); ok {
		return v.(*series)
	}
	if m.nseries.Load() >= maxSeries {
		key.pattern = "other"
		if v, ok := m.series.Load(key); ok {
			return v.(*series)
		}
	}
	method := patternMethod(key.pattern)
	s := &series{
		requests: m.requests.WithLabelValues(key.pattern, method, strconv.Itoa(status)),
		duration: m.duration.WithLabelValues(key.pattern, method),
	}
	if v, loaded := m.series.LoadOrStore(key, s); loaded {
		return v.(*series)
	}
	m.nseries.Add(1)
	return s
}

// patternMethod returns the method a ServeMux pattern names, or anyMethod.
func patternMethod(pattern string) string {
	method, rest, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || strings.ContainsAny(method, "/{") || rest == "" {
		return anyMethod
	}
	return method
}

// SetLiveConnections sets the function that reports the open live
// connections (the live hub's Connections); until it is set, or when f is
// nil, the gauge reads 0.
func (m *Metrics) SetLiveConnections(f func() int) {
	if f == nil {
		m.live.Store(nil)
		return
	}
	m.live.Store(&f)
}

func (m *Metrics) liveConnections() float64 {
	if f := m.live.Load(); f != nil {
		return float64((*f)())
	}
	return 0
}

// Handler serves the metrics in the Prometheus text format. Job counts by
// state and outbox counts by status are read from the database at scrape
// time, each query bounded by a one-second timeout. Who may reach it is
// for the caller to decide.
func (m *Metrics) Handler() http.Handler { return m.handler }

// Registry returns the metrics' own registry, for tests and for adding
// collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }
