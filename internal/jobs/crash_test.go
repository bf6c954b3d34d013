package jobs

import (
	"bufio"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// crashArgs is the job testdata/crashworker blocks in.
type crashArgs struct {
	Key string `json:"key"`
}

func (crashArgs) Kind() string { return "test_crash" }

// buildCrashWorker compiles testdata/crashworker into a temporary folder.
func buildCrashWorker(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "crashworker")
	cmd := exec.Command("go", "build", "-o", bin, "./testdata/crashworker")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build crashworker: %v\n%s", err, out)
	}
	return bin
}

// TestKilledMidRunCompletesOnce kills a process with SIGKILL while it runs
// a job, then starts a new Jobs: River's rescuer finds the job stuck in
// "running", retries it, and it completes exactly once.
func TestKilledMidRunCompletesOnce(t *testing.T) {
	bin := buildCrashWorker(t)
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, `CREATE TABLE test_job_done (job_key TEXT PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		insert(t, d, crashArgs{Key: "crash"}, nil)

		cmd := exec.Command(bin, d.DSN())
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "running ") {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("crashworker said %q, %v; want running", line, err)
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		killedAt := time.Now()

		j := newTestJobs(t, d, Options{RetryPolicy: quickRetry{}, FetchPollInterval: 50 * time.Millisecond, TestOnly: true,
			JobTimeout: 500 * time.Millisecond, RescueAfter: time.Second})
		if got := stateOf(t, j, "test_crash"); got != rivertype.JobStateRunning {
			t.Fatalf("after the kill the job is %q, want running", got)
		}
		Register(j, river.WorkFunc(func(ctx context.Context, job *river.Job[crashArgs]) error {
			_, err := d.Exec(ctx, `INSERT INTO test_job_done (job_key) VALUES (?)`, job.Args.Key)
			return err
		}))
		// The killed process was River's leader; its lease would expire
		// after River's leader TTL (15 s). Removing it stands in for that
		// wait, so that the new client leads (and rescues) at once.
		if _, err := d.Exec(ctx, `DELETE FROM river_leader`); err != nil {
			t.Fatal(err)
		}
		// The rescuer runs when the client becomes leader; by then the job
		// must have been running for longer than RescueAfter.
		time.Sleep(time.Until(killedAt.Add(1100 * time.Millisecond)))
		start(t, j)

		waitFor(t, "the rescued job to complete", func() bool { return stateOf(t, j, "test_crash") == rivertype.JobStateCompleted })
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM test_job_done WHERE job_key = ?`, "crash").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("the job completed %d times, want 1", n)
		}
		row := jobsOfKind(t, j, "test_crash")[0]
		if row.Attempt != 2 {
			t.Errorf("completed at attempt %d, want 2 (the killed run and the rescued one)", row.Attempt)
		}
	})
}
