package events

import (
	"errors"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestRSVPBatchIsolatesFailures: answers that share a transaction do not
// share failures. A refused answer is refused alone; an answer that fails
// in the database (here: an account that no longer exists) rolls the batch
// back, and the others are retried one by one and land.
func TestRSVPBatchIsolatesFailures(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		rsClock(t, rsNow)
		w := rsNewWorld(t, d)
		e, o := w.event(t, rsDinner(10))
		ghost := access.Actor{UserID: "no-such-user", ProgramID: w.prog, Role: access.Alumnus}
		job := func(a access.Actor, occ string, adults int) *rsvpJob {
			return &rsvpJob{actor: a, e: e, occ: occ, in: RSVPInput{Status: "yes", Adults: adults}, done: make(chan struct{})}
		}
		jobs := []*rsvpJob{
			job(w.alex, o.ID, 2),
			job(ghost, o.ID, 1),
			job(w.bo, o.ID, 1),
			job(w.pat, "2030-01-05", 1), // not an occurrence
			job(w.family, o.ID, 1),
		}
		batcherFor(d).runBatch(jobs)
		for _, j := range jobs {
			<-j.done
		}
		for _, i := range []int{0, 2, 4} {
			if jobs[i].err != nil || jobs[i].out == nil || jobs[i].out.State != RSVPConfirmed {
				t.Fatalf("job %d: %+v %v", i, jobs[i].out, jobs[i].err)
			}
		}
		if !errors.Is(jobs[1].err, db.ErrConflict) {
			t.Fatalf("ghost: %v", jobs[1].err)
		}
		wantNotFound(t, jobs[3].err, "a date without occurrence")
		if got := w.confirmedPeople(t, e, o); got != 4 {
			t.Fatalf("confirmed people %d, want 4", got)
		}
		// Pat's six fill the dinner, so the family member's bigger party
		// is refused (alone) and the coach waits.
		more := []*rsvpJob{job(w.pat, o.ID, 6), job(w.family, o.ID, 3), job(w.coach, o.ID, 1)}
		more[1].in.Children = 1
		batcherFor(d).runBatch(more)
		if more[0].err != nil || more[0].out.State != RSVPConfirmed {
			t.Fatalf("pat: %+v %v", more[0].out, more[0].err)
		}
		wantField(t, more[1].err, "adults", "Only 0 more places")
		if more[2].err != nil || more[2].out.State != RSVPWaitlisted || more[2].out.Position != 1 {
			t.Fatalf("coach: %+v %v", more[2].out, more[2].err)
		}
		if got := w.confirmedPeople(t, e, o); got != 10 {
			t.Fatalf("confirmed people %d, want 10", got)
		}
	})
}
