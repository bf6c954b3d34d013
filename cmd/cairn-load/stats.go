package main

import (
	"slices"
	"time"
)

// Result is what one load run against one target measured.
type Result struct {
	// Name labels the target in the report.
	Name string
	// OK counts answers with the expected status.
	OK int
	// Errors counts transport errors and unexpected statuses.
	Errors int
	// Elapsed is the measured wall-clock time, without the warm-up.
	Elapsed time.Duration
	// Latencies holds the latency of every successful request.
	Latencies []time.Duration
}

// Throughput returns successful requests per second.
func (r *Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

// Percentile returns the p-th percentile (0 < p <= 100) of the latencies by
// the nearest-rank method, or 0 when there are none.
func (r *Result) Percentile(p float64) time.Duration {
	if !slices.IsSorted(r.Latencies) {
		slices.Sort(r.Latencies)
	}
	return percentile(r.Latencies, p)
}

// percentile returns the nearest-rank p-th percentile of sorted: the
// smallest value such that at least p percent of the values are at or below
// it. It returns 0 for an empty slice and clamps p to (0, 100].
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	if p <= 0 {
		return sorted[0]
	}
	if p >= 100 {
		return sorted[n-1]
	}
	// rank = ceil(p/100 * n), 1-based; computed in integers of
	// millionths so that 50% of 10 is exactly rank 5.
	num := int64(p*1e6+0.5) * int64(n)
	rank := num / 100e6
	if num%100e6 != 0 {
		rank++
	}
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}
