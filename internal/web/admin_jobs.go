package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/jobs"
)

// jobsPageSize is how many failed jobs the dead-letter page lists.
const jobsPageSize = 100

func init() {
	flashes["job-retried"] = "The job will run again shortly."
	flashes["job-discarded"] = "The job has been discarded."
}

// adminJobs lists the failed background jobs of the admin's program and
// of the installation, with their last error.
func (s *Server) adminJobs(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if s.jobs == nil {
		return errNotFound
	}
	list, err := s.jobs.ListFailed(r.Context(), a, jobsPageSize)
	if err != nil {
		return err
	}
	return s.render(w, r, "admin_jobs", s.adminView(r, "Failed jobs", list))
}

// adminJobRetry makes a failed job run again now.
func (s *Server) adminJobRetry(w http.ResponseWriter, r *http.Request) error {
	return s.adminJobAction(w, r, (*jobs.Jobs).Retry, "job-retried")
}

// adminJobDiscard takes a failed job off the list for good.
func (s *Server) adminJobDiscard(w http.ResponseWriter, r *http.Request) error {
	return s.adminJobAction(w, r, (*jobs.Jobs).Discard, "job-discarded")
}

// jobAction is Jobs.Retry or Jobs.Discard.
type jobAction = func(*jobs.Jobs, context.Context, access.Actor, int64) error

func (s *Server) adminJobAction(w http.ResponseWriter, r *http.Request, act jobAction, done string) error {
	a := actor(r)
	if s.jobs == nil {
		return errNotFound
	}
	if err := access.ManageJobs(a, a.ProgramID); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	if err := act(s.jobs, r.Context(), a, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/jobs?done="+done, http.StatusSeeOther)
	return nil
}
