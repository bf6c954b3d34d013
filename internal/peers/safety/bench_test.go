package safety

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// BenchmarkBlocked measures the checks other features make on every
// message, match and directory search, in a program of 2,000 people with
// 5,000 blocks.
func BenchmarkBlocked(b *testing.B) {
	for _, eng := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", testkit.SQLite}, {"postgres", testkit.Postgres}} {
		b.Run(eng.name, func(b *testing.B) {
			d := eng.open(b)
			ctx := context.Background()
			p, err := programs.Create(ctx, d, programs.Settings{Name: "Bench", TimeZone: "UTC"})
			if err != nil {
				b.Fatal(err)
			}
			now := time.Now().UTC()
			ids := make([]string, 2000)
			err = d.Tx(ctx, func(tx *db.Tx) error {
				var users, blocks [][]any
				for i := range ids {
					ids[i] = uuid.Must(uuid.NewV7()).String()
					users = append(users, []any{ids[i], p.ID, fmt.Sprintf("u%d@example.test", i), "alumnus", now, now})
				}
				for i := 0; i < 5000; i++ {
					a, c := ids[(i*7)%len(ids)], ids[(i*13+1)%len(ids)]
					if a != c {
						blocks = append(blocks, []any{a, c, p.ID, now})
					}
				}
				if err := tx.InsertRows(ctx, `INSERT INTO users (id, program_id, email, role, created_at, updated_at) VALUES `, users); err != nil {
					return err
				}
				for _, r := range blocks {
					if _, err := tx.Exec(ctx, `INSERT INTO blocks (blocker_id, blocked_id, program_id, created_at) VALUES (?, ?, ?, ?)
						ON CONFLICT (blocker_id, blocked_id) DO NOTHING`, r...); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.Run("Blocked", func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					if _, err := Blocked(ctx, d, ids[i%len(ids)], ids[(i*31)%len(ids)]); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("BlockedIDs", func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					if _, err := BlockedIDs(ctx, d, ids[i%len(ids)]); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
