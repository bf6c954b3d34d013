package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river/rivertype"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// queryTimeout bounds each scrape-time query.
const queryTimeout = time.Second

// jobStates are River's job states, reported as 0 when no job is in them.
var jobStates = func() []string {
	var out []string
	for _, s := range rivertype.JobStates() {
		out = append(out, string(s))
	}
	return out
}()

// outboxStatuses are the mail outbox's statuses, reported as 0 when no
// message has them.
var outboxStatuses = []string{notify.StatusQueued, notify.StatusSent, notify.StatusFailed}

// countCollector reports the rows of one "SELECT label, COUNT(*) … GROUP
// BY label" query as a gauge, read when scraped.
type countCollector struct {
	d      *db.DB
	errors *prometheus.CounterVec
	name   string
	desc   *prometheus.Desc
	query  string
	known  []string
}

func newCountCollector(d *db.DB, errors *prometheus.CounterVec, name string, desc *prometheus.Desc, query string, known []string) *countCollector {
	return &countCollector{d: d, errors: errors, name: name, desc: desc, query: query, known: known}
}

// Describe implements prometheus.Collector.
func (c *countCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector. A failed or slow query counts
// in cairn_metrics_query_errors_total and leaves the family out of this
// scrape, rather than report zeros that are not true.
func (c *countCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	counts, err := c.counts(ctx)
	if err != nil {
		c.errors.WithLabelValues(c.name).Inc()
		return
	}
	for _, k := range c.known {
		if _, ok := counts[k]; !ok {
			counts[k] = 0
		}
	}
	for label, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), label)
	}
}

func (c *countCollector) counts(ctx context.Context) (map[string]int64, error) {
	rows, err := c.d.Query(ctx, c.query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[string]int64{}
	for rows.Next() {
		var label string
		var n int64
		if err := rows.Scan(&label, &n); err != nil {
			return nil, err
		}
		counts[label] = n
	}
	return counts, rows.Err()
}
