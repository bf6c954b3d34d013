package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

// report collects the figures of one run.
type report struct {
	load    Load
	cores   int
	cpu     string
	goVer   string
	loadAvg string
	results []Result
	cairn   *cairnFigures
	// notes are lines printed under the table, such as the API's share
	// of the SELECT reference.
	notes []string
}

// cairnFigures are the measurements of the Cairn process itself.
type cairnFigures struct {
	binarySize int64
	firstReady time.Duration // new database: migrations and demo seed
	ready      time.Duration // existing database
	idleRSS    int64
	peakRSS    int64
}

// machine records the cores, CPU model and Go version.
func (r *report) machine() {
	r.cores = runtime.NumCPU()
	r.goVer = runtime.Version()
	r.cpu = "unknown"
	r.loadAvg = "unknown"
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			r.loadAvg = strings.Join(f[:3], " ")
		}
	}
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			r.cpu = strings.TrimSpace(v)
			return
		}
	}
}

// print writes the report as Markdown.
func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "Machine: %d cores, %s, %s, %s/%s, load average before the run %s. Load: %d keep-alive connections, %v measured after %v warm-up, client on the same machine.\n\n",
		r.cores, r.cpu, r.goVer, runtime.GOOS, runtime.GOARCH, r.loadAvg, r.load.Conns, r.load.Duration, r.load.Warmup)
	fmt.Fprintln(w, "| Target | Requests/s | p50 | p99 | Errors | vs minimal |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	var base float64
	for i, res := range r.results {
		if i == 0 {
			base = res.Throughput()
		}
		ratio := "–"
		if base > 0 {
			ratio = fmt.Sprintf("%.0f%%", 100*res.Throughput()/base)
		}
		fmt.Fprintf(w, "| %s | %.0f | %s | %s | %d | %s |\n",
			res.Name, res.Throughput(), ms(res.Percentile(50)), ms(res.Percentile(99)), res.Errors, ratio)
	}
	if len(r.notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range r.notes {
			fmt.Fprintln(w, n)
		}
	}
	if c := r.cairn; c != nil {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| Cairn | Value |")
		fmt.Fprintln(w, "|---|---:|")
		fmt.Fprintf(w, "| Binary size | %s |\n", mib(c.binarySize))
		if c.firstReady > 0 {
			fmt.Fprintf(w, "| Ready on a new database (migrate + demo seed) | %s |\n", ms(c.firstReady))
		}
		if c.ready > 0 {
			fmt.Fprintf(w, "| Ready on an existing database | %s |\n", ms(c.ready))
		}
		if c.idleRSS > 0 {
			fmt.Fprintf(w, "| Idle RSS (after start, before load) | %s |\n", mib(c.idleRSS))
		}
		if c.peakRSS > 0 {
			fmt.Fprintf(w, "| Peak RSS (VmHWM, after load) | %s |\n", mib(c.peakRSS))
		}
	}
}

// ms formats a duration in milliseconds with two decimals.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

// mib formats bytes in MiB with one decimal.
func mib(b int64) string {
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}
