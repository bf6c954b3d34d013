package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/jobs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// webFailArgs is a job of the web tests that always fails.
type webFailArgs struct {
	Program string `json:"program"`
	N       int    `json:"n"`
}

func (webFailArgs) Kind() string { return "web_test_fail" }

// JobProgramID implements jobs.ProgramScoped.
func (a webFailArgs) JobProgramID() string { return a.Program }

// webFailError is what the failing job reports.
const webFailError = "mail server refused the connection"

// startWebJobs gives e's server a running Jobs and queues n jobs of e's
// program that fail once and are discarded; it returns their ids, oldest
// first, once all are in the dead-letter list.
func startWebJobs(t *testing.T, e *webEnv, n int) (*jobs.Jobs, []int64) {
	t.Helper()
	ctx := context.Background()
	j, err := jobs.NewWithOptions(e.db, slog.New(slog.DiscardHandler), jobs.Options{FetchPollInterval: 50 * time.Millisecond, TestOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = j.Stop(ctx)
	})
	jobs.Register(j, river.WorkFunc(func(ctx context.Context, job *river.Job[webFailArgs]) error {
		return errors.New(webFailError)
	}))
	if err := j.Start(ctx); err != nil {
		t.Fatal(err)
	}
	e.srv.jobs = j
	for i := range n {
		err := e.db.Tx(ctx, func(tx *db.Tx) error {
			return jobs.Insert(ctx, tx, webFailArgs{Program: e.program.ID, N: i}, &river.InsertOpts{MaxAttempts: 1})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	admin := e.users[access.Admin].Actor("jobs")
	deadline := time.Now().Add(30 * time.Second)
	for {
		list, err := j.ListFailed(ctx, admin, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == n {
			ids := make([]int64, n)
			for i, f := range list {
				ids[n-1-i] = f.ID
			}
			return j, ids
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d jobs discarded", len(list), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestAdminJobsPage(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := admEnv(t, d)
		j, ids := startWebJobs(t, e, 2)
		admin, _ := admSession(t, e, e.users[access.Admin])
		outsider, _ := admSession(t, e, e.outsider)

		rec := admRequest(t, e, http.MethodGet, "/admin/jobs", nil, admin, "")
		admCheck{status: http.StatusOK, contains: []string{"Failed jobs", "web_test_fail", webFailError, "1 of 1", "discarded",
			fmt.Sprintf("/admin/jobs/%d/retry", ids[0]), fmt.Sprintf("/admin/jobs/%d/discard", ids[1])}}.verify(t, "admin", rec, rec.Body.String())

		// Another program's admin sees none of them, and cannot act on them.
		rec = admRequest(t, e, http.MethodGet, "/admin/jobs", nil, outsider, "")
		admCheck{status: http.StatusOK, contains: []string{"No failed jobs."}, lacks: []string{webFailError}}.verify(t, "outsider", rec, rec.Body.String())
		rec = admRequest(t, e, http.MethodPost, fmt.Sprintf("/admin/jobs/%d/discard", ids[1]), nil, outsider, "")
		admCheck{status: http.StatusNotFound}.verify(t, "outsider discards", rec, rec.Body.String())

		// Bad ids are not found.
		for _, id := range []string{"abc", "0", "-4", "99999999"} {
			rec = admRequest(t, e, http.MethodPost, "/admin/jobs/"+id+"/retry", nil, admin, "")
			admCheck{status: http.StatusNotFound}.verify(t, "retry "+id, rec, rec.Body.String())
		}

		// Discard removes the job; the flash confirms it.
		rec = admRequest(t, e, http.MethodPost, fmt.Sprintf("/admin/jobs/%d/discard", ids[1]), nil, admin, "")
		admCheck{status: http.StatusSeeOther, location: "/admin/jobs?done=job-discarded"}.verify(t, "discard", rec, rec.Body.String())
		rec = admRequest(t, e, http.MethodGet, "/admin/jobs?done=job-discarded", nil, admin, "")
		admCheck{status: http.StatusOK, contains: []string{"The job has been discarded."},
			lacks: []string{fmt.Sprintf("/admin/jobs/%d/retry", ids[1])}}.verify(t, "after discard", rec, rec.Body.String())

		// Retry runs it again: it fails a second time and is back, with
		// one more attempt used.
		rec = admRequest(t, e, http.MethodPost, fmt.Sprintf("/admin/jobs/%d/retry", ids[0]), nil, admin, "")
		admCheck{status: http.StatusSeeOther, location: "/admin/jobs?done=job-retried"}.verify(t, "retry", rec, rec.Body.String())
		deadline := time.Now().Add(30 * time.Second)
		for {
			list, err := j.ListFailed(context.Background(), e.users[access.Admin].Actor("t"), 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) == 1 && list[0].Attempt == 2 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the retried job did not run again")
			}
			time.Sleep(20 * time.Millisecond)
		}
		if got := len(admAudit(t, e, "job.retry")) + len(admAudit(t, e, "job.discard")); got != 2 {
			t.Errorf("%d audit entries for job actions, want 2", got)
		}

		// The admin index links to the page for admins only.
		rec = admRequest(t, e, http.MethodGet, "/admin", nil, admin, "")
		if !strings.Contains(rec.Body.String(), `href="/admin/jobs"`) {
			t.Error("admin index lacks the failed jobs link")
		}
		coord, _ := admSession(t, e, e.users[access.Coordinator])
		rec = admRequest(t, e, http.MethodGet, "/admin", nil, coord, "")
		if strings.Contains(rec.Body.String(), `href="/admin/jobs"`) {
			t.Error("coordinator's admin index links to failed jobs")
		}
	})
}

func TestAdminJobsWithoutRunner(t *testing.T) {
	d := testkit.SQLite(t)
	e := admEnv(t, d)
	admin, _ := admSession(t, e, e.users[access.Admin])
	rec := admRequest(t, e, http.MethodGet, "/admin/jobs", nil, admin, "")
	admCheck{status: http.StatusNotFound}.verify(t, "no runner", rec, rec.Body.String())
}
