package events

import (
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// stored is one stored RSVP, as the concurrency test reads it back.
type stored struct {
	id, userID, state string
	people, ticket    int
	created           time.Time
}

func readRSVPs(t *testing.T, w *rsWorld, e *Event, o *Occurrence) []stored {
	t.Helper()
	rows, err := w.d.Query(w.ctx, `SELECT id, user_id, state, adults + children, COALESCE(waitlist_position, 0), created_at
		FROM event_rsvps WHERE event_id = ? AND occurrence = ?`, e.ID, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []stored
	for rows.Next() {
		var s stored
		if err := rows.Scan(&s.id, &s.userID, &s.state, &s.people, &s.ticket, &s.created); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// waitlistOf returns the waitlisted RSVPs in order.
func waitlistOf(all []stored) []stored {
	var wl []stored
	for _, s := range all {
		if s.state == RSVPWaitlisted {
			wl = append(wl, s)
		}
	}
	sort.Slice(wl, func(i, j int) bool { return wl[i].ticket < wl[j].ticket })
	return wl
}

// checkCapacityRule checks the invariants every change keeps: the stored
// count is the sum of confirmed parties and within capacity, and no
// waitlisted party fits in the seats left.
func checkCapacityRule(t *testing.T, w *rsWorld, e *Event, o *Occurrence, all []stored, capacity int) {
	t.Helper()
	confirmed := 0
	for _, s := range all {
		if s.state == RSVPConfirmed {
			confirmed += s.people
		}
	}
	if got := w.confirmedPeople(t, e, o); got != confirmed {
		t.Fatalf("confirmed_people = %d, but confirmed parties add up to %d", got, confirmed)
	}
	if confirmed > capacity {
		t.Fatalf("overbooked: %d people confirmed for %d places", confirmed, capacity)
	}
	for _, s := range waitlistOf(all) {
		if s.people <= capacity-confirmed {
			t.Fatalf("a waitlisted party of %d would fit in the %d places left", s.people, capacity-confirmed)
		}
	}
}

// TestConcurrentRSVPs is the test: 300 simultaneous RSVPs with
// guests for 50 places. Nobody is lost or counted twice, the occurrence is
// never overbooked and is filled as far as the parties allow (no
// waitlisted party fits in the places left), the waitlist is in the order
// the answers were taken with no gaps, and cancellations promote the first
// waitlisted parties that fit, in order, and tell them.
func TestConcurrentRSVPs(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		rsTickingClock(t, rsNow)
		w := rsNewWorld(t, d)
		const n, capacity = 300, 50
		e, o := w.event(t, rsDinner(capacity))
		people := make([]access.Actor, n)
		err := d.Tx(w.ctx, func(tx *db.Tx) error {
			for i := range people {
				role := access.Alumnus
				if i%5 == 4 {
					role = access.Family
				}
				people[i] = rsUser(t, w.ctx, tx, w.prog, role, rsName(i), "Tester")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		party := func(i int) (adults, children int) { return 1 + i%3, (i / 3) % 3 }

		results := make([]*RSVP, n)
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range people {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				a, c := party(i)
				results[i], errs[i] = SetRSVP(w.ctx, d, people[i], e.ID, o.ID, RSVPInput{Status: "yes", Adults: a, Children: c, ShowMe: true})
			}(i)
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("rsvp %d: %v", i, err)
			}
		}

		all := readRSVPs(t, w, e, o)
		if len(all) != n {
			t.Fatalf("%d RSVPs stored, want %d", len(all), n)
		}
		users := map[string]bool{}
		for _, s := range all {
			users[s.userID] = true
		}
		if len(users) != n {
			t.Fatalf("%d distinct people, want %d", len(users), n)
		}
		checkCapacityRule(t, w, e, o, all, capacity)
		wl := waitlistOf(all)
		nConfirmed := 0
		for _, s := range all {
			if s.state == RSVPConfirmed {
				nConfirmed++
			}
		}
		if nConfirmed == 0 || len(wl) == 0 || nConfirmed+len(wl) != n {
			t.Fatalf("%d confirmed and %d waitlisted of %d", nConfirmed, len(wl), n)
		}
		for i, s := range wl {
			if s.ticket != i+1 {
				t.Fatalf("waitlist positions have a gap: #%d holds position %d", i+1, s.ticket)
			}
			if i > 0 && !wl[i-1].created.Before(s.created) {
				t.Fatalf("waitlist position %d was answered before position %d", s.ticket, wl[i-1].ticket)
			}
		}
		// What each person was told matches what was stored.
		byID := map[string]stored{}
		for _, s := range all {
			byID[s.id] = s
		}
		for i, r := range results {
			s := byID[r.ID]
			if r.State != s.state || (r.State == RSVPWaitlisted && r.Position != s.ticket) {
				t.Fatalf("person %d was told %s #%d, stored %s #%d", i, r.State, r.Position, s.state, s.ticket)
			}
			if r.UserID != people[i].UserID || r.People() != s.people {
				t.Fatalf("person %d: answer %+v does not match stored %+v", i, r, s)
			}
		}

		// Cancellations: each frees a confirmed party's places, which go
		// to the first waitlisted parties that fit, in order.
		actorOf := map[string]access.Actor{}
		for _, a := range people {
			actorOf[a.UserID] = a
		}
		var cancelled []stored
		for _, size := range []int{5, 1, 3, 2, 4} {
			for _, s := range all {
				if s.state == RSVPConfirmed && s.people == size && !contains(cancelled, s) {
					cancelled = append(cancelled, s)
					break
				}
			}
		}
		if len(cancelled) < 3 {
			t.Fatalf("only %d confirmed parties to cancel", len(cancelled))
		}
		for _, c := range cancelled {
			before := readRSVPs(t, w, e, o)
			free := capacity - w.confirmedPeople(t, e, o) + c.people
			var want []string
			for _, s := range waitlistOf(before) {
				if s.people <= free {
					want = append(want, s.userID)
					free -= s.people
				}
			}
			if err := CancelRSVP(w.ctx, d, actorOf[c.userID], e.ID, o.ID); err != nil {
				t.Fatal(err)
			}
			after := readRSVPs(t, w, e, o)
			if len(after) != len(before)-1 {
				t.Fatalf("cancel left %d RSVPs, want %d", len(after), len(before)-1)
			}
			checkCapacityRule(t, w, e, o, after, capacity)
			state := map[string]string{}
			for _, s := range after {
				state[s.userID] = s.state
			}
			for _, u := range want {
				if state[u] != RSVPConfirmed {
					t.Fatalf("the first waitlisted party that fits was not promoted (state %s)", state[u])
				}
				got := w.notices(t, u)
				if len(got) != 1 || !strings.HasPrefix(got[0], "You're in: December Family Dinner /events/"+e.ID+"/"+o.ID) {
					t.Fatalf("promoted person's notices: %q", got)
				}
			}
			promoted := 0
			for _, s := range before {
				if s.state == RSVPWaitlisted && state[s.userID] == RSVPConfirmed {
					promoted++
				}
			}
			if promoted != len(want) {
				t.Fatalf("%d promoted, want %d", promoted, len(want))
			}
			// Those still waiting keep their order and see ranks 1..m.
			for i, s := range waitlistOf(after) {
				r := w.state(t, actorOf[s.userID], e, o)
				if r.State != RSVPWaitlisted || r.Position != i+1 {
					t.Fatalf("waitlisted person sees %s #%d, want #%d", r.State, r.Position, i+1)
				}
				if i > 5 {
					break
				}
			}
		}
		// A new answer after the line moved: its place is the end of the
		// line as it is now.
		late := rsUser(t, w.ctx, d, w.prog, access.Alumnus, "Late", "Comer")
		free := capacity - w.confirmedPeople(t, e, o)
		r := w.rsvp(t, late, e, o, "yes", free+1, 0)
		if wl := waitlistOf(readRSVPs(t, w, e, o)); r.State != RSVPWaitlisted || r.Position != len(wl) || wl[len(wl)-1].userID != late.UserID {
			t.Fatalf("late answer: %s #%d, line of %d", r.State, r.Position, len(wl))
		}
	})
}

func contains(list []stored, s stored) bool {
	for _, x := range list {
		if x.id == s.id {
			return true
		}
	}
	return false
}

// TestPromotionSkipsPartiesThatDoNotFit walks the promotion rule on a
// small dinner: freed places go to the first waitlisted party that fits,
// skipping larger ones, and the skipped party keeps its place in line.
func TestPromotionSkipsPartiesThatDoNotFit(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		rsClock(t, rsNow)
		w := rsNewWorld(t, d)
		e, o := w.event(t, rsDinner(4))
		cora := rsUser(t, w.ctx, d, w.prog, access.Alumnus, "Cy", "Park")
		dee := rsUser(t, w.ctx, d, w.prog, access.Alumnus, "Dee", "Stone")
		ed := rsUser(t, w.ctx, d, w.prog, access.Alumnus, "Ed", "Vale")

		if r := w.rsvp(t, w.alex, e, o, "yes", 1, 1); r.State != RSVPConfirmed {
			t.Fatalf("alex: %s", r.State)
		}
		if r := w.rsvp(t, w.bo, e, o, "yes", 2, 0); r.State != RSVPConfirmed {
			t.Fatalf("bo: %s", r.State)
		}
		for i, c := range []struct {
			who  access.Actor
			a, k int
		}{{cora, 2, 1}, {dee, 1, 0}, {ed, 2, 0}} {
			r := w.rsvp(t, c.who, e, o, "yes", c.a, c.k)
			if r.State != RSVPWaitlisted || r.Position != i+1 {
				t.Fatalf("waitlisted #%d: got %s #%d", i+1, r.State, r.Position)
			}
		}
		// Alex (2 people) cancels: Cy's 3 don't fit, Dee's 1 does, Ed's 2
		// no longer do.
		if err := CancelRSVP(w.ctx, d, w.alex, e.ID, o.ID); err != nil {
			t.Fatal(err)
		}
		if r := w.state(t, w.alex, e, o); r != nil {
			t.Fatalf("cancelled RSVP still there: %+v", r)
		}
		if r := w.state(t, dee, e, o); r.State != RSVPConfirmed {
			t.Fatalf("dee: %s", r.State)
		}
		if r := w.state(t, cora, e, o); r.State != RSVPWaitlisted || r.Position != 1 {
			t.Fatalf("cy: %s #%d", r.State, r.Position)
		}
		if r := w.state(t, ed, e, o); r.State != RSVPWaitlisted || r.Position != 2 {
			t.Fatalf("ed: %s #%d", r.State, r.Position)
		}
		if got := w.notices(t, dee.UserID); len(got) != 1 || !strings.HasPrefix(got[0], "You're in: December Family Dinner") {
			t.Fatalf("dee's notices: %q", got)
		}
		if got := w.notices(t, cora.UserID); len(got) != 0 {
			t.Fatalf("cy was told %q", got)
		}
		// Bo changes to "no": 2 + 1 places free, Cy's 3 fit now.
		if r := w.rsvp(t, w.bo, e, o, "no", 0, 0); r.State != RSVPDeclined {
			t.Fatalf("bo: %s", r.State)
		}
		if r := w.state(t, cora, e, o); r.State != RSVPConfirmed {
			t.Fatalf("cy: %s", r.State)
		}
		if r := w.state(t, ed, e, o); r.State != RSVPWaitlisted || r.Position != 1 {
			t.Fatalf("ed: %s #%d", r.State, r.Position)
		}
		if got := w.confirmedPeople(t, e, o); got != 4 {
			t.Fatalf("confirmed people %d, want 4", got)
		}
		// Ed shrinks his party to one: still no place (4 of 4 taken).
		if r := w.rsvp(t, ed, e, o, "yes", 1, 0); r.State != RSVPWaitlisted || r.Position != 1 {
			t.Fatalf("ed: %s #%d", r.State, r.Position)
		}
		// Dee leaves: Ed (now one person) is promoted.
		if err := CancelRSVP(w.ctx, d, dee, e.ID, o.ID); err != nil {
			t.Fatal(err)
		}
		if r := w.state(t, ed, e, o); r.State != RSVPConfirmed {
			t.Fatalf("ed: %s", r.State)
		}
		// Cancelling without an RSVP is fine.
		if err := CancelRSVP(w.ctx, d, dee, e.ID, o.ID); err != nil {
			t.Fatal(err)
		}
		if got := w.auditActions(t, e); got["events.rsvp"] != 7 || got["events.rsvp_cancel"] != 2 {
			t.Fatalf("audit: %v", got)
		}
	})
}
