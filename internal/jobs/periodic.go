package jobs

import (
	"context"

	"github.com/riverqueue/river"
)

// periodicKind is the one job kind every periodic job runs as; the
// worker dispatches on the name in the arguments.
const periodicKind = "cairn_periodic"

// periodicMaxAttempts is low: the next period runs the work again anyway.
const periodicMaxAttempts = 3

// periodicArgs names the row of the periodic table to run.
type periodicArgs struct {
	Name string `json:"name"`
}

// Kind implements river.JobArgs.
func (periodicArgs) Kind() string { return periodicKind }

// periodicRiverJob turns a row of the table into a River periodic job.
// River enqueues periodic jobs on the elected leader only, and each run is
// unique for its period, so several instances never run it twice.
func periodicRiverJob(p PeriodicJob) *river.PeriodicJob {
	every := p.Every
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return periodicArgs{Name: p.Name}, &river.InsertOpts{
			MaxAttempts: periodicMaxAttempts,
			Tags:        []string{installationTag},
			UniqueOpts:  river.UniqueOpts{ByArgs: true, ByPeriod: every},
		}
	}, &river.PeriodicJobOpts{ID: p.Name})
}

// periodicWorker runs the rows of the periodic table by name. Its copy of
// the table is fixed at Start, so running needs no lock.
type periodicWorker struct {
	river.WorkerDefaults[periodicArgs]
	table map[string]PeriodicJob
}

// Work runs the named row. A name this instance does not know (an older
// or newer version enqueued it) cancels the job rather than retrying it.
func (w *periodicWorker) Work(ctx context.Context, job *river.Job[periodicArgs]) error {
	p, ok := w.table[job.Args.Name]
	if !ok {
		return river.JobCancel(errUnknownPeriodic(job.Args.Name))
	}
	return p.Run(ctx)
}

// errUnknownPeriodic is the error of a periodic job no row matches.
type errUnknownPeriodic string

func (e errUnknownPeriodic) Error() string { return "unknown periodic job " + string(e) }
