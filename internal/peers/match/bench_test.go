package match

import "testing"

// BenchmarkMatch2000x600 is the benchmark: 2,000 requests and 600
// offers with capacities 1–3 and realistic attributes.
func BenchmarkMatch2000x600(b *testing.B) {
	g := newGen(7, 3)
	reqs, offers := g.instance(2000, 600)
	b.ReportAllocs()
	var res Result
	for b.Loop() {
		res = Match(reqs, offers, Options{})
	}
	b.ReportMetric(float64(len(res.Proposals)), "matched")
	b.ReportMetric(float64(res.TotalScore), "score")
}
