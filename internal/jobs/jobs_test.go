package jobs

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// markerArgs is a second kind of job, queued after the one under test.
type markerArgs struct{}

func (markerArgs) Kind() string { return "test_marker" }

func TestRolledBackInsertNeverRuns(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		createRunsTable(t, d)
		j := newTestJobs(t, d, testOptions())
		Register(j, countWorker(d))
		var marker atomic.Int32
		Register(j, river.WorkFunc(func(ctx context.Context, job *river.Job[markerArgs]) error {
			marker.Add(1)
			return nil
		}))
		start(t, j)

		err := d.Tx(ctx, func(tx *db.Tx) error {
			if err := Insert(ctx, tx, countArgs{Key: "rolled-back"}, nil); err != nil {
				return err
			}
			return errPlanned
		})
		if err != errPlanned {
			t.Fatalf("tx: %v, want the planned error", err)
		}
		insert(t, d, markerArgs{}, nil)
		waitFor(t, "the marker job", func() bool { return marker.Load() == 1 })

		if n := len(jobsOfKind(t, j, countArgs{}.Kind())); n != 0 {
			t.Errorf("%d jobs stored from a rolled-back transaction, want 0", n)
		}
		if n := runs(t, d, "rolled-back"); n != 0 {
			t.Errorf("the rolled-back job ran %d times", n)
		}
	})
}

func TestFailsTwiceThenCompletes(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		createRunsTable(t, d)
		j := newTestJobs(t, d, testOptions())
		Register(j, countWorker(d))
		start(t, j)

		insert(t, d, countArgs{Key: "flaky", FailTimes: 2}, nil)
		waitFor(t, "the job to complete", func() bool { return stateOf(t, j, "test_count") == rivertype.JobStateCompleted })

		if n := runs(t, d, "flaky"); n != 3 {
			t.Errorf("ran %d times, want 3", n)
		}
		row := jobsOfKind(t, j, "test_count")[0]
		if row.Attempt != 3 || len(row.Errors) != 2 {
			t.Errorf("attempt %d with %d errors, want 3 and 2", row.Attempt, len(row.Errors))
		}
		if row.MaxAttempts != DefaultMaxAttempts {
			t.Errorf("max attempts %d, want %d", row.MaxAttempts, DefaultMaxAttempts)
		}
	})
}

func TestPeriodicJobRuns(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		j := newTestJobs(t, d, testOptions())
		var ticks atomic.Int32
		j.Periodic(PeriodicJob{Name: "tick", Every: time.Second, Run: func(context.Context) error {
			ticks.Add(1)
			return nil
		}})
		start(t, j)
		waitFor(t, "two periodic runs", func() bool { return ticks.Load() >= 2 })

		for _, row := range jobsOfKind(t, j, periodicKind) {
			if programOf(row.Tags) != "" || row.MaxAttempts != periodicMaxAttempts {
				t.Errorf("periodic job tags %v, max attempts %d", row.Tags, row.MaxAttempts)
			}
		}
	})
}

func TestPeriodicTableErrors(t *testing.T) {
	d := testkit.SQLite(t)
	run := func(context.Context) error { return nil }
	for name, p := range map[string][]PeriodicJob{
		"no name":     {{Every: time.Minute, Run: run}},
		"no function": {{Name: "x", Every: time.Minute}},
		"bad name":    {{Name: "two words", Every: time.Minute, Run: run}},
		"too often":   {{Name: "x", Every: time.Millisecond, Run: run}},
		"duplicate":   {{Name: "x", Every: time.Minute, Run: run}, {Name: "x", Every: time.Hour, Run: run}},
	} {
		j := newTestJobs(t, d, testOptions())
		j.Periodic(p...)
		if err := j.Start(context.Background()); err == nil {
			t.Errorf("%s: Start succeeded", name)
		}
	}
}

func TestUniqueJobRunsOnceAcrossTwoInstances(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		createRunsTable(t, d)
		a := newTestJobs(t, d, testOptions())
		b := newTestJobs(t, d, testOptions())
		Register(a, countWorker(d))
		Register(b, countWorker(d))
		start(t, a)
		start(t, b)

		ctx := context.Background()
		opts := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for i := range 200 {
			wg.Go(func() {
				if i%10 == 0 {
					time.Sleep(time.Duration(i) * time.Millisecond) // some inserts come after the run
				}
				errs <- d.Tx(ctx, func(tx *db.Tx) error { return Insert(ctx, tx, countArgs{Key: "once"}, opts) })
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, "the job to complete", func() bool { return stateOf(t, a, "test_count") == rivertype.JobStateCompleted })
		if n := runs(t, d, "once"); n != 1 {
			t.Errorf("ran %d times, want 1", n)
		}
	})
}

func TestStopWaitsThenCancels(t *testing.T) {
	d := testkit.SQLite(t)
	j := newTestJobs(t, d, testOptions())
	started := make(chan struct{})
	var cancelled atomic.Bool
	Register(j, river.WorkFunc(func(ctx context.Context, job *river.Job[markerArgs]) error {
		close(started)
		<-ctx.Done()
		cancelled.Store(true)
		return ctx.Err()
	}))
	start(t, j)
	insert(t, d, markerArgs{}, nil)
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := j.Stop(ctx); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if !cancelled.Load() {
		t.Error("the running job was not cancelled at the deadline")
	}
}
