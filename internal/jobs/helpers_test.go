package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/cairn-recovery/cairn/internal/db"
)

// quickRetry retries failed jobs after 50 ms instead of River's backoff.
type quickRetry struct{}

func (quickRetry) NextRetry(*rivertype.JobRow) time.Time {
	return time.Now().Add(50 * time.Millisecond)
}

// testOptions are fast options for tests.
func testOptions() Options {
	return Options{RetryPolicy: quickRetry{}, FetchPollInterval: 50 * time.Millisecond, TestOnly: true}
}

// newTestJobs builds a Jobs that is stopped when the test ends.
func newTestJobs(t *testing.T, d *db.DB, opts Options) *Jobs {
	t.Helper()
	j, err := NewWithOptions(d, slog.New(slog.DiscardHandler), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := j.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return j
}

// start starts j with a context that ends with the test.
func start(t *testing.T, j *Jobs) {
	t.Helper()
	if err := j.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// createRunsTable creates the table test workers record their runs in.
func createRunsTable(t *testing.T, d *db.DB) {
	t.Helper()
	if _, err := d.Exec(context.Background(), `CREATE TABLE test_job_runs (id TEXT PRIMARY KEY, job_key TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
}

// recordRun stores one run of the job with key, committed on its own.
func recordRun(ctx context.Context, d *db.DB, key string) error {
	_, err := d.Exec(ctx, `INSERT INTO test_job_runs (id, job_key) VALUES (?, ?)`, uuid.Must(uuid.NewV7()).String(), key)
	return err
}

// runs counts the recorded runs of key.
func runs(t *testing.T, d *db.DB, key string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM test_job_runs WHERE job_key = ?`, key).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// countArgs is a job that records each run and fails its first FailTimes
// runs.
type countArgs struct {
	Key       string `json:"key"`
	FailTimes int    `json:"fail_times"`
	Program   string `json:"program,omitempty"`
}

func (countArgs) Kind() string { return "test_count" }

// JobProgramID implements ProgramScoped.
func (a countArgs) JobProgramID() string { return a.Program }

// countWorker returns the worker of countArgs on d.
func countWorker(d *db.DB) river.Worker[countArgs] {
	return river.WorkFunc(func(ctx context.Context, job *river.Job[countArgs]) error {
		if err := recordRun(ctx, d, job.Args.Key); err != nil {
			return err
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM test_job_runs WHERE job_key = ?`, job.Args.Key).Scan(&n); err != nil {
			return err
		}
		if n <= job.Args.FailTimes {
			return fmt.Errorf("planned failure %d of %d", n, job.Args.FailTimes)
		}
		return nil
	})
}

// insert queues args in a committed transaction.
func insert(t *testing.T, d *db.DB, args river.JobArgs, opts *river.InsertOpts) {
	t.Helper()
	if err := d.Tx(context.Background(), func(tx *db.Tx) error { return Insert(context.Background(), tx, args, opts) }); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond until it holds, failing the test after a generous
// deadline (a hang guard, not a timing assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// jobsOfKind lists every job of kind in any state.
func jobsOfKind(t *testing.T, j *Jobs, kind string) []*rivertype.JobRow {
	t.Helper()
	res, err := j.admin.JobList(context.Background(), river.NewJobListParams().Kinds(kind).First(1000))
	if err != nil {
		t.Fatal(err)
	}
	return res.Jobs
}

// stateOf returns the state of the only job of kind, or "" when there is
// none.
func stateOf(t *testing.T, j *Jobs, kind string) rivertype.JobState {
	t.Helper()
	list := jobsOfKind(t, j, kind)
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0].State
	}
	t.Fatalf("%d jobs of kind %s, want at most 1", len(list), kind)
	return ""
}

var errPlanned = errors.New("planned")
