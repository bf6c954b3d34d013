// Package jobs runs Cairn's background work on River, on both engines:
// queued jobs inserted in the same transaction as the change that causes
// them, retries with backoff, periodic jobs declared as a table, and the
// dead-letter list admins read at /admin/jobs.
//
// On SQLite River gets its own one-connection pool to the database file
// (riversqlite); on PostgreSQL it uses a pgx pool (riverpgxv5) and LISTEN,
// so that any number of instances share one queue and every job runs once.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/cairn-recovery/cairn/internal/db"
)

// Defaults of a Jobs; see [Options].
const (
	// DefaultMaxAttempts is how often a job runs before it is discarded
	// into the dead-letter list. With River's backoff (attempt⁴ seconds,
	// with jitter) twelve attempts span about seventeen hours.
	DefaultMaxAttempts = 12
	// DefaultJobTimeout bounds one run of a job.
	DefaultJobTimeout = 2 * time.Minute
	// DefaultRescueAfter is how long a job may stay running before it is
	// taken for the victim of a crash and run again.
	DefaultRescueAfter = 10 * time.Minute
	// DefaultWorkers is how many jobs one instance runs at once.
	DefaultWorkers = 8
	// stopCancelGrace bounds the wait for jobs to return after their
	// contexts are cancelled at Stop's deadline.
	stopCancelGrace = 5 * time.Second
)

// Options tune a Jobs. The zero value gives the defaults; tests shorten the
// delays.
type Options struct {
	// RetryPolicy decides when a failed job runs again; nil means River's
	// default exponential backoff.
	RetryPolicy river.ClientRetryPolicy
	// JobTimeout bounds one run of a job (DefaultJobTimeout when zero).
	JobTimeout time.Duration
	// RescueAfter is how long a job may be running before it is rescued
	// and retried (DefaultRescueAfter when zero). It must not be shorter
	// than JobTimeout.
	RescueAfter time.Duration
	// FetchPollInterval is how often the queue is polled for new jobs
	// (River's default when zero). On PostgreSQL new jobs are also
	// announced with NOTIFY.
	FetchPollInterval time.Duration
	// Workers is how many jobs run at once (DefaultWorkers when zero).
	Workers int
	// TestOnly skips River's randomised start-up delays of its
	// maintenance services, so that tests need not wait for them.
	TestOnly bool
}

// PeriodicJob is one row of the periodic work table: Run is called every
// Every, once across all instances sharing the database.
type PeriodicJob struct {
	// Name identifies the work, such as "auth.delete_expired": unique,
	// of letters, digits and "_-.:", at least two characters. Admins see it
	// on failed runs.
	Name string
	// Every is the interval between runs; at least one second.
	Every time.Duration
	// Run does the work. An error is retried with backoff like any job.
	Run func(ctx context.Context) error
}

// periodicNameRE is what a periodic job's name may be: a subset of what
// River accepts as a periodic job id.
var periodicNameRE = regexp.MustCompile(`\A[A-Za-z0-9_][A-Za-z0-9_\-.:]+\z`)

// Jobs is the background-job runner of one instance. Register workers and
// periodic jobs, then Start; Stop at shutdown.
type Jobs struct {
	d    *db.DB
	log  *slog.Logger
	opts Options

	// extra is River's own SQLite connection; pool its PostgreSQL pool.
	extra *sql.DB
	pool  *pgxpool.Pool
	// admin is an insert-only client on the same database for the
	// dead-letter list and its actions (it works without Start).
	admin *river.Client[*sql.Tx]

	mu       sync.Mutex
	workers  *river.Workers
	periodic map[string]PeriodicJob
	order    []string
	setupErr error
	runner   runner
	stopped  bool
}

// runner is what Jobs needs of a started River client, whatever its
// driver's transaction type.
type runner interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
}

// New builds the job runner for d with the default options. It connects
// River but runs nothing until Start.
func New(d *db.DB, logger *slog.Logger) (*Jobs, error) {
	return NewWithOptions(d, logger, Options{})
}

// NewWithOptions is New with tuned options.
func NewWithOptions(d *db.DB, logger *slog.Logger, opts Options) (*Jobs, error) {
	if d == nil {
		return nil, errors.New("jobs: a database is required")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.JobTimeout <= 0 {
		opts.JobTimeout = DefaultJobTimeout
	}
	if opts.RescueAfter <= 0 {
		opts.RescueAfter = max(DefaultRescueAfter, opts.JobTimeout)
	}
	if opts.RescueAfter < opts.JobTimeout {
		return nil, fmt.Errorf("jobs: RescueAfter (%s) is shorter than JobTimeout (%s)", opts.RescueAfter, opts.JobTimeout)
	}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	j := &Jobs{d: d, log: logger, opts: opts, workers: river.NewWorkers(), periodic: map[string]PeriodicJob{}}
	cfg := insertConfig()
	var err error
	switch d.Engine() {
	case db.Postgres:
		if j.pool, err = pgxpool.New(context.Background(), d.DSN()); err != nil {
			return nil, fmt.Errorf("jobs: PostgreSQL pool: %w", err)
		}
		j.admin, err = river.NewClient(riverdatabasesql.New(d.SQL()), cfg)
	default:
		if j.extra, err = d.OpenExtraSQLite(context.Background()); err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		j.admin, err = river.NewClient(riversqlite.New(j.extra), cfg)
	}
	if err != nil {
		j.closeConns()
		return nil, fmt.Errorf("jobs: River client: %w", err)
	}
	return j, nil
}

// Register adds the worker for one kind of job. Call it before Start; a
// second worker for the same kind makes Start fail.
func Register[T river.JobArgs](j *Jobs, w river.Worker[T]) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := river.AddWorkerSafely(j.workers, w); err != nil && j.setupErr == nil {
		j.setupErr = fmt.Errorf("jobs: register %q: %w", (*new(T)).Kind(), err)
	}
}

// Periodic adds rows to the periodic work table. Call it before Start; a
// row without a name or function, with a duplicate name or an interval
// under a second makes Start fail.
func (j *Jobs) Periodic(p ...PeriodicJob) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, pj := range p {
		var err error
		switch {
		case !periodicNameRE.MatchString(pj.Name):
			err = fmt.Errorf("jobs: periodic job name %q: use letters, digits and _-.: only", pj.Name)
		case pj.Run == nil:
			err = fmt.Errorf("jobs: periodic job %q has no function", pj.Name)
		case pj.Every < time.Second:
			err = fmt.Errorf("jobs: periodic job %q: interval %s is under a second", pj.Name, pj.Every)
		case j.periodic[pj.Name].Run != nil:
			err = fmt.Errorf("jobs: two periodic jobs named %q", pj.Name)
		}
		if err != nil {
			if j.setupErr == nil {
				j.setupErr = err
			}
			continue
		}
		j.periodic[pj.Name] = pj
		j.order = append(j.order, pj.Name)
	}
}

// Start starts working jobs and enqueueing periodic ones. Jobs run with
// contexts derived from ctx; to stop, call Stop rather than cancelling ctx,
// so that running jobs may finish.
func (j *Jobs) Start(ctx context.Context) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.setupErr != nil {
		return j.setupErr
	}
	if j.runner != nil || j.stopped {
		return errors.New("jobs: Start called twice or after Stop")
	}
	if err := river.AddWorkerSafely(j.workers, &periodicWorker{table: maps.Clone(j.periodic)}); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	cfg := j.config()
	var (
		r   runner
		err error
	)
	if j.pool != nil {
		r, err = river.NewClient(riverpgxv5.New(j.pool), cfg)
	} else {
		r, err = river.NewClient(riversqlite.New(j.extra), cfg)
	}
	if err != nil {
		return fmt.Errorf("jobs: River client: %w", err)
	}
	if err := r.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	j.runner = r
	return nil
}

// Stop stops fetching jobs and waits for running ones until ctx's
// deadline; then it cancels them and waits a few seconds more for them to
// return. A job cut short is retried later, by this or another instance.
// Stop also closes River's connections, so call it even without Start.
func (j *Jobs) Stop(ctx context.Context) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.stopped {
		return nil
	}
	j.stopped = true
	var err error
	if j.runner != nil {
		if err = j.runner.Stop(ctx); err != nil && ctx.Err() != nil {
			j.log.Warn("jobs still running at the shutdown deadline; cancelling them")
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopCancelGrace)
			err = j.runner.StopAndCancel(cctx)
			cancel()
		}
		if err != nil {
			err = fmt.Errorf("jobs: stop: %w", err)
		}
	}
	j.closeConns()
	return err
}

func (j *Jobs) closeConns() {
	if j.pool != nil {
		j.pool.Close()
	}
	if j.extra != nil {
		j.extra.Close()
	}
}

// config is the River configuration of the working client.
func (j *Jobs) config() *river.Config {
	cfg := &river.Config{
		ErrorHandler:         &errorLogger{log: j.log},
		FetchPollInterval:    j.opts.FetchPollInterval,
		JobTimeout:           j.opts.JobTimeout,
		Logger:               riverLogger(j.log),
		MaxAttempts:          DefaultMaxAttempts,
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: j.opts.Workers}},
		RescueStuckJobsAfter: j.opts.RescueAfter,
		RetryPolicy:          j.opts.RetryPolicy,
		TestOnly:             j.opts.TestOnly,
		Workers:              j.workers,
	}
	if cfg.FetchPollInterval > 0 && cfg.FetchPollInterval < river.FetchCooldownDefault {
		cfg.FetchCooldown = cfg.FetchPollInterval
	}
	for _, name := range j.order {
		cfg.PeriodicJobs = append(cfg.PeriodicJobs, periodicRiverJob(j.periodic[name]))
	}
	return cfg
}

// errorLogger logs failed attempts by kind and id. Job errors must not
// carry personal details; workers return errors that name what failed,
// not whom it concerned.
type errorLogger struct{ log *slog.Logger }

func (e *errorLogger) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	e.log.Warn("job failed", "kind", job.Kind, "job_id", job.ID, "attempt", job.Attempt, "max_attempts", job.MaxAttempts, "err", err)
	return nil
}

func (e *errorLogger) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	e.log.Error("job panicked", "kind", job.Kind, "job_id", job.ID, "attempt", job.Attempt)
	return nil
}
