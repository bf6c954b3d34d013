package jobs

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// MaxErrorLength is how much of a job's last error the dead-letter list
// shows, in characters.
const MaxErrorLength = 300

// Failed is a job in the dead-letter list: discarded after its last
// attempt, or failed and waiting for its next one.
type Failed struct {
	ID int64
	// Kind is the job's kind, such as "cairn_periodic".
	Kind string
	// State is "discarded" or "retryable".
	State string
	// Attempt is how often the job has run; MaxAttempts how often it may.
	Attempt, MaxAttempts int
	// LastError is the error River recorded for the last attempt,
	// shortened to MaxErrorLength characters. Workers keep personal
	// details out of their errors.
	LastError string
	CreatedAt time.Time
	// AttemptedAt is when the last attempt started (nil if never).
	AttemptedAt *time.Time
	// ProgramID is the program the job belongs to, "" for the
	// installation.
	ProgramID string
}

// Retryable reports whether the job is still waiting for another attempt
// (as opposed to discarded).
func (f *Failed) Retryable() bool { return f.State == string(rivertype.JobStateRetryable) }

// deadStates are the states the dead-letter list shows.
var deadStates = []rivertype.JobState{rivertype.JobStateDiscarded, rivertype.JobStateRetryable}

// ListFailed returns up to limit failed jobs the actor may manage (their
// program's and the installation's), newest first.
func (j *Jobs) ListFailed(ctx context.Context, a access.Actor, limit int) ([]*Failed, error) {
	if err := access.ManageJobs(a, a.ProgramID); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	params := river.NewJobListParams().
		States(deadStates...).
		TagsAny(programTag(a.ProgramID), installationTag).
		OrderBy(river.JobListOrderByID, river.SortOrderDesc).
		First(limit)
	res, err := j.admin.JobList(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("jobs: list failed jobs: %w", err)
	}
	out := make([]*Failed, 0, len(res.Jobs))
	for _, row := range res.Jobs {
		out = append(out, failedFrom(row))
	}
	return out, nil
}

func failedFrom(row *rivertype.JobRow) *Failed {
	f := &Failed{ID: row.ID, Kind: row.Kind, State: string(row.State), Attempt: row.Attempt, MaxAttempts: row.MaxAttempts,
		CreatedAt: row.CreatedAt, AttemptedAt: row.AttemptedAt, ProgramID: programOf(row.Tags)}
	if n := len(row.Errors); n > 0 {
		f.LastError = truncate(row.Errors[n-1].Error, MaxErrorLength)
	}
	return f
}

// truncate shortens s to at most n characters, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Retry makes a failed job run again now (one more attempt if it had used
// them all). A job the actor may not manage, or one not in the dead-letter
// list, is access.ErrNotFound. The action is audited.
func (j *Jobs) Retry(ctx context.Context, a access.Actor, id int64) error {
	return j.act(ctx, a, id, "job.retry", func(tx *db.Tx, row *rivertype.JobRow) error {
		_, err := j.admin.JobRetryTx(ctx, tx.SQL(), id)
		return err
	})
}

// Discard takes a job out of the dead-letter list for good: a discarded
// job is deleted, one waiting for a retry is cancelled. Not allowed or not
// listed is access.ErrNotFound. The action is audited.
func (j *Jobs) Discard(ctx context.Context, a access.Actor, id int64) error {
	return j.act(ctx, a, id, "job.discard", func(tx *db.Tx, row *rivertype.JobRow) error {
		var err error
		if row.State == rivertype.JobStateDiscarded {
			_, err = j.admin.JobDeleteTx(ctx, tx.SQL(), id)
		} else {
			_, err = j.admin.JobCancelTx(ctx, tx.SQL(), id)
		}
		return err
	})
}

// act loads job id in a transaction, checks that it is in the dead-letter
// list and that the actor may manage it, runs do and records action.
func (j *Jobs) act(ctx context.Context, a access.Actor, id int64, action string, do func(*db.Tx, *rivertype.JobRow) error) error {
	if err := access.ManageJobs(a, a.ProgramID); err != nil {
		return err
	}
	return j.d.Tx(ctx, func(tx *db.Tx) error {
		row, err := j.admin.JobGetTx(ctx, tx.SQL(), id)
		if errors.Is(err, rivertype.ErrNotFound) {
			return access.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("jobs: get job: %w", err)
		}
		program := programOf(row.Tags)
		if err := access.ManageJobs(a, program); err != nil {
			return err
		}
		if row.State != rivertype.JobStateDiscarded && row.State != rivertype.JobStateRetryable {
			return access.ErrNotFound
		}
		if err := do(tx, row); err != nil {
			return fmt.Errorf("jobs: %s: %w", action, err)
		}
		if program == "" {
			program = a.ProgramID
		}
		return audit.Record(ctx, tx, a, audit.Event{Action: action, SubjectType: "job", SubjectID: strconv.FormatInt(id, 10),
			ProgramID: program, Detail: map[string]string{"kind": row.Kind}})
	})
}
