package members

import (
	"testing"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// BenchmarkRosterImport10k imports a roster of 10,000 new people (each
// with a coach) into a fresh program per iteration, on both engines.
func BenchmarkRosterImport10k(b *testing.B) {
	data := rosterCSV(10000, "casey@harbor.test")
	for _, eng := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", testkit.SQLite}, {"postgres", testkit.Postgres}} {
		b.Run(eng.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				d := eng.open(b)
				f := newRosterFixture(b, d)
				b.StartTimer()
				plan, err := ImportRoster(f.ctx, d, f.auth, f.actor(), data, rosterNow)
				if err != nil || plan.New != 10000 {
					b.Fatalf("import: %v", err)
				}
			}
		})
	}
}
