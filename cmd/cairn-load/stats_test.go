package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(vs ...int) []time.Duration {
		out := make([]time.Duration, len(vs))
		for i, v := range vs {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	ten := ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value", ms(7), 99, 7 * time.Millisecond},
		{"median of ten", ten, 50, 5 * time.Millisecond},
		{"p51 of ten rounds up", ten, 51, 6 * time.Millisecond},
		{"p90 of ten", ten, 90, 9 * time.Millisecond},
		{"p99 of ten is the maximum", ten, 99, 10 * time.Millisecond},
		{"p100", ten, 100, 10 * time.Millisecond},
		{"p0 is the minimum", ten, 0, 1 * time.Millisecond},
		{"negative clamps", ten, -5, 1 * time.Millisecond},
		{"above 100 clamps", ten, 150, 10 * time.Millisecond},
		{"p99 of hundred", hundred, 99, 99 * time.Millisecond},
		{"p50 of hundred", hundred, 50, 50 * time.Millisecond},
		{"p99.9 of hundred", hundred, 99.9, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

func TestResultSortsAndCounts(t *testing.T) {
	r := Result{OK: 30, Elapsed: 2 * time.Second, Latencies: []time.Duration{3, 1, 2}}
	if got := r.Percentile(50); got != 2 {
		t.Errorf("median of unsorted latencies = %v, want 2", got)
	}
	if got := r.Throughput(); got != 15 {
		t.Errorf("throughput = %v, want 15", got)
	}
	if got := (&Result{OK: 5}).Throughput(); got != 0 {
		t.Errorf("throughput without elapsed time = %v, want 0", got)
	}
}
