package buddies

import (
	"fmt"
	"testing"

	"github.com/cairn-recovery/cairn/internal/testkit"
)

// BenchmarkRunMatcher runs the matcher over a program with 500 waiting
// requests and 150 open offers (capacities 1–3) on SQLite: loading the
// inputs and exclusions, matching, and storing the drafts.
func BenchmarkRunMatcher(b *testing.B) {
	d := testkit.SQLite(b)
	w := newWorld(b, d)
	interests := []string{"hiking", "art", "cooking", "music", "yoga", "reading"}
	for i := range 150 {
		a := w.alum(fmt.Sprintf("B%d", i), 400+i, interests[i%6], interests[(i+2)%6])
		w.offer(a, 1+i%3)
	}
	for i := range 500 {
		a := w.alum(fmt.Sprintf("R%d", i), i%300, interests[i%6], interests[(i+3)%6])
		w.ask(a, RequestInput{Meeting: []string{MeetEither, MeetOnline, MeetInPerson}[i%3]})
	}
	b.ResetTimer()
	var run *Run
	for b.Loop() {
		var err error
		if run, err = RunMatcher(w.ctx, d, w.coord); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(run.Proposals)), "proposals")
}
