package jobs

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// failArgs is a job that always fails with a long error.
type failArgs struct {
	Program string `json:"program,omitempty"`
	N       int    `json:"n"`
}

func (failArgs) Kind() string { return "test_fail" }

func (a failArgs) JobProgramID() string { return a.Program }

func TestDeadLetterList(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		j := newTestJobs(t, d, testOptions())
		Register(j, river.WorkFunc(func(ctx context.Context, job *river.Job[failArgs]) error {
			return errors.New("smtp: connection refused " + strings.Repeat("x", 500))
		}))
		start(t, j)

		const progA, progB = "program-a", "program-b"
		once := &river.InsertOpts{MaxAttempts: 1}
		insert(t, d, failArgs{Program: progA, N: 1}, once)
		insert(t, d, failArgs{Program: progA, N: 2}, once)
		insert(t, d, failArgs{Program: progB, N: 3}, once)
		insert(t, d, failArgs{N: 4}, once) // the installation's
		waitFor(t, "four discarded jobs", func() bool {
			n := 0
			for _, row := range jobsOfKind(t, j, "test_fail") {
				if row.State == rivertype.JobStateDiscarded {
					n++
				}
			}
			return n == 4
		})

		adminA := access.Actor{UserID: "admin-a", ProgramID: progA, Role: access.Admin, RequestID: "req"}
		adminB := access.Actor{UserID: "admin-b", ProgramID: progB, Role: access.Admin}
		coordA := access.Actor{UserID: "coord-a", ProgramID: progA, Role: access.Coordinator}

		list, err := j.ListFailed(ctx, adminA, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 {
			t.Fatalf("admin of A sees %d jobs, want 3 (two of A's, one of the installation)", len(list))
		}
		byProgram := map[string]int{}
		for _, f := range list {
			byProgram[f.ProgramID]++
			if f.Kind != "test_fail" || f.State != "discarded" || f.Attempt != 1 || f.AttemptedAt == nil {
				t.Errorf("job %+v", f)
			}
			if !strings.HasPrefix(f.LastError, "smtp: connection refused") || len([]rune(f.LastError)) != MaxErrorLength {
				t.Errorf("last error %q (%d characters), want it cut to %d", f.LastError[:40], len([]rune(f.LastError)), MaxErrorLength)
			}
		}
		if byProgram[progA] != 2 || byProgram[""] != 1 {
			t.Errorf("admin of A sees %v", byProgram)
		}
		if list[0].ID < list[1].ID {
			t.Error("not newest first")
		}
		if _, err := j.ListFailed(ctx, coordA, 50); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("coordinator lists: %v, want not found", err)
		}

		var ofB int64
		listB, err := j.ListFailed(ctx, adminB, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range listB {
			if f.ProgramID == progB {
				ofB = f.ID
			}
		}
		var ofA int64
		for _, f := range list {
			if f.ProgramID == progA {
				ofA = f.ID
			}
		}

		// Another program's job, a coordinator, or a job that does not exist: not found.
		for name, try := range map[string]func() error{
			"retry B's job as A":     func() error { return j.Retry(ctx, adminA, ofB) },
			"discard B's job as A":   func() error { return j.Discard(ctx, adminA, ofB) },
			"retry as coordinator":   func() error { return j.Retry(ctx, coordA, ofA) },
			"discard as coordinator": func() error { return j.Discard(ctx, coordA, ofA) },
			"retry a missing job":    func() error { return j.Retry(ctx, adminA, 999999) },
		} {
			if err := try(); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s: %v, want not found", name, err)
			}
		}

		// Retry runs it again (one more attempt); it fails again.
		if err := j.Retry(ctx, adminA, ofA); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the retried job to fail again", func() bool {
			row, err := j.admin.JobGet(ctx, ofA)
			return err == nil && row.State == rivertype.JobStateDiscarded && row.Attempt == 2
		})

		// Discard removes it from the list.
		if err := j.Discard(ctx, adminA, ofA); err != nil {
			t.Fatal(err)
		}
		if _, err := j.admin.JobGet(ctx, ofA); !errors.Is(err, rivertype.ErrNotFound) {
			t.Errorf("discarded job still stored: %v", err)
		}
		if err := j.Discard(ctx, adminA, ofA); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("second discard: %v, want not found", err)
		}

		var audited int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action IN ('job.retry', 'job.discard') AND program_id = ? AND actor_id = ?`,
			progA, "admin-a").Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if audited != 2 {
			t.Errorf("%d audit entries, want 2", audited)
		}
	})
}

func TestDiscardCancelsRetryableJob(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		// Not started: a job made retryable by hand stays so.
		j := newTestJobs(t, d, testOptions())
		insert(t, d, failArgs{Program: "p"}, nil)
		id := jobsOfKind(t, j, "test_fail")[0].ID
		if _, err := d.Exec(ctx, `UPDATE river_job SET state = 'retryable', attempt = 1 WHERE id = ?`, id); err != nil {
			t.Fatal(err)
		}
		admin := access.Actor{UserID: "admin", ProgramID: "p", Role: access.Admin}
		list, err := j.ListFailed(ctx, admin, 10)
		if err != nil || len(list) != 1 || !list[0].Retryable() {
			t.Fatalf("list %v, %v; want the retryable job", list, err)
		}
		if err := j.Discard(ctx, admin, id); err != nil {
			t.Fatal(err)
		}
		row, err := j.admin.JobGet(ctx, id)
		if err != nil || row.State != rivertype.JobStateCancelled {
			t.Errorf("after discard: %v, %v; want cancelled", row, err)
		}
	})
}
