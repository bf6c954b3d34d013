package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/cairn-recovery/cairn/internal/db"
)

// ProgramScoped is implemented by job arguments that belong to one
// program, so that the program's admins see the job in the dead-letter
// list. Jobs without it belong to the installation and every admin sees
// them.
type ProgramScoped interface {
	JobProgramID() string
}

// Tags that record whose a job is: "program_<id>" or installationTag.
const (
	programTagPrefix = "program_"
	installationTag  = "installation"
)

// programTag is the tag of a program's jobs.
func programTag(programID string) string { return programTagPrefix + programID }

// programOf returns the program a job's tags name, or "" for an
// installation job.
func programOf(tags []string) string {
	for _, t := range tags {
		if len(t) > len(programTagPrefix) && t[:len(programTagPrefix)] == programTagPrefix {
			return t[len(programTagPrefix):]
		}
	}
	return ""
}

// Insert queues a job as part of tx: the job exists only if tx commits,
// so a rolled-back change never runs its job. opts may be nil; the job is
// tagged with its program when args implement [ProgramScoped]. On
// PostgreSQL the commit wakes every instance's workers at once; on SQLite
// they find it at their next poll.
func Insert(ctx context.Context, tx *db.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if tx == nil || args == nil {
		return errors.New("jobs: Insert needs a transaction and job arguments")
	}
	c, err := inserter(tx.Engine())
	if err != nil {
		return err
	}
	o := river.InsertOpts{}
	if opts != nil {
		o = *opts
	}
	o.Tags = append(append([]string(nil), o.Tags...), tagFor(args))
	if _, err := c.InsertTx(ctx, tx.SQL(), args, &o); err != nil {
		return fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return nil
}

// tagFor is the ownership tag of a job with args.
func tagFor(args river.JobArgs) string {
	if p, ok := args.(ProgramScoped); ok && p.JobProgramID() != "" {
		return programTag(p.JobProgramID())
	}
	return installationTag
}

// insertConfig is the configuration of insert-only clients. MaxAttempts
// is applied at insertion, so it must match the working client's.
func insertConfig() *river.Config {
	return &river.Config{
		Logger:              slog.New(slog.DiscardHandler),
		MaxAttempts:         DefaultMaxAttempts,
		SkipUnknownJobCheck: true,
	}
}

// Insert-only clients without a pool: they only ever use the caller's
// transaction. PostgreSQL inserts go through the database/sql driver,
// whose transaction type is the *sql.Tx of internal/db.
var (
	sqliteInserter = sync.OnceValues(func() (*river.Client[*sql.Tx], error) {
		return river.NewClient(riversqlite.New(nil), insertConfig())
	})
	postgresInserter = sync.OnceValues(func() (*river.Client[*sql.Tx], error) {
		return river.NewClient(riverdatabasesql.New(nil), insertConfig())
	})
)

func inserter(e db.Engine) (*river.Client[*sql.Tx], error) {
	var (
		c   *river.Client[*sql.Tx]
		err error
	)
	if e == db.Postgres {
		c, err = postgresInserter()
	} else {
		c, err = sqliteInserter()
	}
	if err != nil {
		return nil, fmt.Errorf("jobs: River insert client: %w", err)
	}
	return c, nil
}
