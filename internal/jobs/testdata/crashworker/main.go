// Command crashworker is a helper of the jobs tests: it starts a Jobs on
// the database named by its argument and works "test_crash" jobs by
// printing "running <id>" and then blocking forever, so that the test can
// kill it with SIGKILL in the middle of a job.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/riverqueue/river"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/jobs"
)

// crashArgs matches the test's crashArgs.
type crashArgs struct {
	Key string `json:"key"`
}

func (crashArgs) Kind() string { return "test_crash" }

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: crashworker DATABASE")
		os.Exit(2)
	}
	ctx := context.Background()
	d, err := db.Open(ctx, os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	j, err := jobs.NewWithOptions(d, slog.New(slog.DiscardHandler), jobs.Options{FetchPollInterval: 50 * time.Millisecond, TestOnly: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	jobs.Register(j, river.WorkFunc(func(ctx context.Context, job *river.Job[crashArgs]) error {
		fmt.Printf("running %d\n", job.ID)
		select {} // until killed
	}))
	if err := j.Start(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	select {}
}
