package notify

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// BenchmarkFanOut notifies 1,000 people of one event in one transaction
// (stored in-app plus one queued email each), then delivers every email to
// an in-process SMTP server. Run it with
//
//	go test ./internal/notify -run '^$' -bench FanOut -benchtime 1x
//
// It reports the time until all are stored, until all are delivered, and
// messages (emails) per second end to end.
func BenchmarkFanOut(b *testing.B) {
	const recipients = 1000
	engines := []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", testkit.SQLite}, {"postgres", testkit.Postgres}}
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				d := e.open(b)
				f := newFixture(b, d)
				users := make([]string, recipients)
				for i := range users {
					users[i] = f.person(b, fmt.Sprintf("alum%04d@example.org", i)).UserID
				}
				ts := newTestServer(b)
				s := newSender(b, d, ts)
				ctx := context.Background()
				b.StartTimer()

				start := time.Now()
				err := d.Tx(ctx, func(tx *db.Tx) error {
					for _, u := range users {
						if _, err := Send(ctx, tx, u, KindEventReminder, Data{Title: "Alumni picnic on Saturday",
							Body: "Join us at noon in the park.", Link: "/events/picnic"}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				stored := time.Since(start)
				sent := 0
				for sent < recipients {
					n, err := s.DeliverOnce(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if n == 0 {
						b.Fatalf("delivery stalled at %d", sent)
					}
					sent += n
				}
				total := time.Since(start)
				b.StopTimer()
				if got := len(ts.messages()); got != recipients {
					b.Fatalf("server received %d messages", got)
				}
				if n := count(b, d, `SELECT COUNT(*) FROM notifications`); n != recipients {
					b.Fatalf("%d notifications stored", n)
				}
				b.ReportMetric(float64(stored.Milliseconds()), "ms-stored")
				b.ReportMetric(float64(total.Milliseconds()), "ms-delivered")
				b.ReportMetric(recipients/total.Seconds(), "msgs/s")
				b.StartTimer()
			}
		})
	}
}
