package members

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// BenchmarkDirectory searches the directory of a 50,000-member program by
// free text, 64 searches at a time (b.SetParallelism), as an alumnus
// would; it reports the 99th percentile besides the time per search.
func BenchmarkDirectory(b *testing.B) {
	for _, eng := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", testkit.SQLite}, {"postgres", testkit.Postgres}} {
		b.Run(eng.name, func(b *testing.B) {
			d := eng.open(b)
			coord, _ := seedBenchProgram(b, d, benchMembers)
			var viewer string
			if err := d.QueryRow(context.Background(), `SELECT id FROM users WHERE program_id = ? AND role = 'alumnus' LIMIT 1`,
				coord.ProgramID).Scan(&viewer); err != nil {
				b.Fatal(err)
			}
			alum := access.Actor{UserID: viewer, ProgramID: coord.ProgramID, Role: access.Alumnus}
			var mu sync.Mutex
			var times []time.Duration
			b.SetParallelism(32) // 64 concurrent searches on two cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				var local []time.Duration
				for pb.Next() {
					t0 := time.Now()
					if _, err := Directory(ctx, d, alum, DirectoryFilter{Query: "First123"}); err != nil {
						b.Error(err)
						return
					}
					local = append(local, time.Since(t0))
				}
				mu.Lock()
				times = append(times, local...)
				mu.Unlock()
			})
			b.StopTimer()
			if len(times) > 0 {
				sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
				b.ReportMetric(float64(times[(len(times)*99)/100].Nanoseconds()), "p99-ns")
			}
		})
	}
}
