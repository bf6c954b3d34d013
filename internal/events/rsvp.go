package events

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// The states of an RSVP. A yes is confirmed when its people fit in the
// occurrence's capacity and waitlisted otherwise; a maybe is tentative and
// a no is declined.
const (
	RSVPConfirmed  = "confirmed"
	RSVPWaitlisted = "waitlisted"
	RSVPTentative  = "tentative"
	RSVPDeclined   = "declined"
)

// Limits on an RSVP.
const (
	// MaxPartyAdults and MaxPartyChildren bound the adults (the member
	// included) and the children one RSVP brings.
	MaxPartyAdults   = 20
	MaxPartyChildren = 20
	// MaxDietary bounds the dietary notes, in characters.
	MaxDietary = 500
)

// RSVPInput is a member's answer for one occurrence.
type RSVPInput struct {
	// Status is yes, maybe or no.
	Status string
	// Adults counts the member and the adults they bring (at least 1 for a
	// yes); Children the children. Only family and milestone dinners take
	// guests: for other kinds they are 1 and 0 whatever is sent.
	Adults, Children int
	// Dietary notes, for kinds with guests (at most 500 characters).
	Dietary string
	// ShowMe lists the member on the attendee list that other members see.
	ShowMe bool
}

// RSVP is a member's answer for one occurrence and where it stands.
type RSVP struct {
	ID, EventID, Occurrence, UserID string
	// Status is what the member answered: yes, maybe or no.
	Status string
	// State is where the answer stands: confirmed, waitlisted, tentative
	// or declined.
	State            string
	Adults, Children int
	Dietary          string
	// Position is the place on the waitlist (1 is next in line) while the
	// RSVP is waitlisted, 0 otherwise. It moves up as people ahead are
	// promoted or leave.
	Position  int
	ShowMe    bool
	UpdatedAt time.Time
}

// People is how many seats the RSVP takes when confirmed: the member, the
// adults and the children they bring.
func (r *RSVP) People() int { return r.Adults + r.Children }

// validateRSVP checks in for an event of kind k and normalises it: the
// status, party sizes within their bounds (negative ones refused), at
// least one adult (the member) for a yes, dietary notes within bounds.
// Kinds without guests get one adult, no children and no dietary notes;
// a no brings nobody.
func validateRSVP(k Kind, in *RSVPInput) error {
	var v members.ValidationError
	in.Status = strings.ToLower(strings.TrimSpace(in.Status))
	in.Dietary = strings.TrimSpace(in.Dietary)
	switch in.Status {
	case "yes", "maybe", "no":
	default:
		v = append(v, members.FieldError{Field: "status", Message: "must be yes, maybe or no"})
	}
	switch {
	case in.Adults < 0:
		v = append(v, members.FieldError{Field: "adults", Message: "can't be negative"})
	case in.Adults > MaxPartyAdults:
		v = append(v, members.FieldError{Field: "adults", Message: fmt.Sprintf("can be at most %d; for a larger group please talk to the coordinator", MaxPartyAdults)})
	case in.Adults == 0 && in.Status == "yes" && k.Guests():
		v = append(v, members.FieldError{Field: "adults", Message: "must be at least 1 (you count as one adult)"})
	}
	switch {
	case in.Children < 0:
		v = append(v, members.FieldError{Field: "children", Message: "can't be negative"})
	case in.Children > MaxPartyChildren:
		v = append(v, members.FieldError{Field: "children", Message: fmt.Sprintf("can be at most %d; for a larger group please talk to the coordinator", MaxPartyChildren)})
	}
	switch {
	case !utf8.ValidString(in.Dietary):
		v = append(v, members.FieldError{Field: "dietary", Message: "is not valid text"})
	case utf8.RuneCountInString(in.Dietary) > MaxDietary:
		v = append(v, members.FieldError{Field: "dietary", Message: fmt.Sprintf("can be at most %d characters", MaxDietary)})
	}
	if len(v) > 0 {
		return v
	}
	if !k.Guests() {
		in.Adults, in.Children, in.Dietary = 1, 0, ""
	}
	if in.Adults == 0 {
		in.Adults = 1 // a maybe or a no sent without a party size
	}
	if in.Status == "no" {
		in.Adults, in.Children = 1, 0
	}
	return nil
}

// rsvpField is a validation error on one field.
func rsvpField(field, msg string) error {
	return members.ValidationError{{Field: field, Message: msg}}
}

// lockOccurrence takes the occurrence's row as the lock of its capacity for
// the rest of tx: on PostgreSQL the UPDATE takes the row lock; SQLite's
// write transactions are serialised already. It reports whether the row
// exists.
func lockOccurrence(ctx context.Context, tx *db.Tx, eventID, occ string) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE event_occurrences SET confirmed_people = confirmed_people
		WHERE event_id = ? AND occurrence = ?`, eventID, occ)
	if err != nil {
		return false, fmt.Errorf("events: lock occurrence: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// lockMaterialized locks the occurrence, first materialising it when the
// date lies beyond the event's horizon. A date that is not an occurrence
// is db.ErrNotFound.
func lockMaterialized(ctx context.Context, tx *db.Tx, e *Event, occ string) error {
	ok, err := lockOccurrence(ctx, tx, e.ID, occ)
	if err != nil || ok {
		return err
	}
	date, perr := members.ParseDate(occ)
	if perr != nil || e.Cancelled() || date.Before(e.FirstDate) || (!e.LastDate.IsZero() && e.LastDate.Before(date)) {
		return db.ErrNotFound
	}
	if err := ensureHorizon(ctx, tx, e, date); err != nil {
		return err
	}
	if ok, err = lockOccurrence(ctx, tx, e.ID, occ); err != nil {
		return err
	}
	if !ok {
		return db.ErrNotFound
	}
	return nil
}

// slot is what an RSVP change reads under the occurrence's lock: the
// occurrence, the event's current capacity and cancellation, and the
// member's RSVP if any.
type slot struct {
	occ             Occurrence
	capacity        int // 0: no limit
	eventCancelled  bool
	confirmedPeople int
	waitlistNext    int
	waitlistLeft    int
	cur             *rsvpRow
}

// rsvpRow is a stored RSVP; position is the stored waitlist order key.
type rsvpRow struct {
	id, status, state string
	adults, children  int
	dietary           string
	position          int
	showMe            bool
	createdAt         time.Time
}

func (r *rsvpRow) people() int { return r.adults + r.children }

// readSlot reads the slot of userID at the locked occurrence.
func readSlot(ctx context.Context, tx *db.Tx, eventID, occ, userID string) (*slot, error) {
	s := &slot{occ: Occurrence{EventID: eventID, ID: occ}}
	var (
		capacity                    sql.NullInt64
		eventCancelled              sql.NullTime
		rid, status, state, dietary sql.NullString
		adults, children, pos       sql.NullInt64
		showMe                      sql.NullBool
		created                     sql.NullTime
	)
	err := tx.QueryRow(ctx, `SELECT o.starts_at, o.ends_at, o.cancelled, o.confirmed_people, o.waitlist_next, o.waitlist_left,
		e.capacity, e.cancelled_at,
		r.id, r.status, r.state, r.adults, r.children, r.dietary, r.waitlist_position, r.show_me, r.created_at
		FROM event_occurrences o JOIN events e ON e.id = o.event_id
		LEFT JOIN event_rsvps r ON r.event_id = o.event_id AND r.occurrence = o.occurrence AND r.user_id = ?
		WHERE o.event_id = ? AND o.occurrence = ?`, userID, eventID, occ).Scan(
		&s.occ.Start, &s.occ.End, &s.occ.Cancelled, &s.confirmedPeople, &s.waitlistNext, &s.waitlistLeft,
		&capacity, &eventCancelled,
		&rid, &status, &state, &adults, &children, &dietary, &pos, &showMe, &created)
	if err != nil {
		return nil, db.Err(err)
	}
	s.occ.ConfirmedPeople = s.confirmedPeople
	s.capacity = int(capacity.Int64)
	s.eventCancelled = eventCancelled.Valid
	if rid.Valid {
		s.cur = &rsvpRow{id: rid.String, status: status.String, state: state.String,
			adults: int(adults.Int64), children: int(children.Int64), dietary: dietary.String,
			position: int(pos.Int64), showMe: showMe.Bool, createdAt: created.Time}
	}
	return s, nil
}

// fits reports whether n more people fit.
func (s *slot) fits(n int) bool {
	return s.capacity == 0 || s.confirmedPeople+n <= s.capacity
}

// SetRSVP records the actor's answer for one occurrence and returns where
// it stands.
//
// A yes whose people fit in the remaining capacity is confirmed; otherwise
// it joins the end of the waitlist. A yes that fits is confirmed even when
// larger parties are waiting, because seats always go to the first
// waitlisted party that fits (so no waitlisted party ever fits in the seats
// left). Changing an answer:
//   - a confirmed yes that becomes maybe or no frees its seats, and the
//     waitlist is promoted;
//   - a confirmed yes with a smaller party frees the difference (and
//     promotes); with a larger party it stays confirmed if the extra people
//     fit, and otherwise nothing changes and the answer is a validation
//     error on "adults" (or "children") saying how many places are left;
//   - a waitlisted yes keeps its place in line when its party changes, and
//     is promoted at once if it now fits;
//   - a maybe or no that becomes yes is treated as a new yes.
//
// RSVPs close at the event's RSVPClosesAt: after that, and for a cancelled
// event or occurrence, the answer is a validation error on "status" and
// nothing changes. An event the actor may not see, or an occurrence that
// does not exist, is db.ErrNotFound. The answer is audited as events.rsvp.
//
// The occurrence's row is the capacity lock: the transaction locks it
// first, then reads, decides and writes the RSVP, the occurrence's counters
// and the audit entry, so concurrent answers never overbook on either
// engine. Concurrent answers share transactions (group commit, see
// rsvp_batch.go); if ctx ends while the answer waits, SetRSVP returns
// ctx.Err() and the answer may still be recorded. Reminders are sent later
// by the reminders job.
func SetRSVP(ctx context.Context, d *db.DB, actor access.Actor, eventID, occ string, in RSVPInput) (*RSVP, error) {
	e, err := loadEvent(ctx, d, eventID)
	if err != nil {
		return nil, err
	}
	if err := access.RSVPEvent(actor, e.ProgramID, string(e.Audience)); err != nil {
		return nil, err
	}
	if actor.Anonymous() {
		return nil, access.ErrNotFound
	}
	if err := validateRSVP(e.Kind, &in); err != nil {
		return nil, err
	}
	j := &rsvpJob{actor: actor, e: e, occ: occ, in: in, done: make(chan struct{})}
	batcherFor(d).submit(j)
	select {
	case <-j.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if j.err != nil {
		return nil, j.err
	}
	if j.recheck {
		// The place in line (or a promotion of a smaller waitlisted party)
		// is read after the commit, outside the writer's transaction.
		if err := fillPosition(ctx, d, j.out); err != nil {
			return nil, err
		}
	}
	return j.out, nil
}

// open refuses a change to a cancelled event or occurrence, or after RSVPs
// closed.
func (s *slot) open(ctx context.Context, q db.Querier, e *Event) error {
	if s.eventCancelled {
		return rsvpField("status", "This event was cancelled, so it no longer takes RSVPs.")
	}
	if s.occ.Cancelled {
		return rsvpField("status", "This date was cancelled, so it no longer takes RSVPs.")
	}
	closes := e.RSVPClosesAt(&s.occ)
	if now().Before(closes) {
		return nil
	}
	loc, err := programLocation(ctx, q, e.ProgramID)
	if err != nil {
		return err
	}
	return rsvpField("status", "RSVPs closed at "+closes.In(loc).Format("3:04 PM on Mon 2 Jan 2006")+
		"; please contact the coordinator if your plans changed.")
}

// apply decides and writes the actor's new answer at the locked slot.
// It reports whether r's state and place in line must be read again after
// the commit (a promotion ran, or a waitlisted party changed).
// Validation errors come before any write.
//
// The occurrence's counters change in st, which the batch writes once
// (see occCounters).
func (s *slot) apply(ctx context.Context, tx *db.Tx, e *Event, actor access.Actor, in RSVPInput, st *occCounters) (*RSVP, bool, error) {
	t := now().UTC().Truncate(time.Microsecond)
	people := in.Adults + in.Children
	cur := s.cur
	state, position := RSVPTentative, 0
	seats, ticket, left := 0, 0, 0 // changes of confirmed_people, waitlist_next, waitlist_left
	promoteAfter, recheck := false, false
	switch in.Status {
	case "maybe", "no":
		if in.Status == "no" {
			state = RSVPDeclined
		}
		if cur != nil && cur.state == RSVPConfirmed {
			seats = -cur.people()
		}
		if cur != nil && cur.state == RSVPWaitlisted {
			left = 1
		}
	case "yes":
		switch {
		case cur != nil && cur.state == RSVPConfirmed:
			delta := people - cur.people()
			if delta > 0 && !s.fits(delta) {
				return nil, false, s.tooBig(in, cur)
			}
			state, seats = RSVPConfirmed, delta
		case cur != nil && cur.state == RSVPWaitlisted:
			state, position = RSVPWaitlisted, cur.position
			promoteAfter = people < cur.people()
			recheck = true // its place in line is counted after the commit
		case s.fits(people):
			state, seats = RSVPConfirmed, people
		default:
			state, position, ticket = RSVPWaitlisted, s.waitlistNext, 1
		}
	}
	if seats < 0 {
		promoteAfter = true
	}
	if promoteAfter {
		recheck = true
	}
	var pos any
	if state == RSVPWaitlisted {
		pos = position
	}
	r := &RSVP{EventID: e.ID, Occurrence: s.occ.ID, UserID: actor.UserID, Status: in.Status, State: state,
		Adults: in.Adults, Children: in.Children, Dietary: in.Dietary, ShowMe: in.ShowMe, UpdatedAt: t}
	if ticket == 1 {
		// Every ticket that left the waitlist was older than this one.
		r.Position = max(1, position-s.waitlistLeft)
	}
	if cur == nil {
		r.ID = uuid.Must(uuid.NewV7()).String()
		if _, err := tx.Exec(ctx, `INSERT INTO event_rsvps (id, event_id, occurrence, program_id, user_id, status, state,
			adults, children, dietary, waitlist_position, show_me, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, e.ID, s.occ.ID, e.ProgramID, actor.UserID, in.Status, state,
			in.Adults, in.Children, in.Dietary, pos, in.ShowMe, t, t); err != nil {
			return nil, false, fmt.Errorf("events: rsvp: %w", err)
		}
	} else {
		r.ID = cur.id
		if _, err := tx.Exec(ctx, `UPDATE event_rsvps SET status = ?, state = ?, adults = ?, children = ?, dietary = ?,
			waitlist_position = ?, show_me = ?, updated_at = ? WHERE id = ?`,
			in.Status, state, in.Adults, in.Children, in.Dietary, pos, in.ShowMe, t, cur.id); err != nil {
			return nil, false, fmt.Errorf("events: rsvp: %w", err)
		}
	}
	s.confirmedPeople += seats
	s.waitlistNext += ticket
	s.waitlistLeft += left
	st.add(s, seats, ticket, left)
	detail := map[string]string{"occurrence": s.occ.ID, "state": state}
	if promoteAfter {
		// promote reads and writes the stored counters.
		if err := st.flush(ctx, tx, e.ID, s.occ.ID); err != nil {
			return nil, false, err
		}
		st.loaded = false
		n, err := promote(ctx, tx, e, &s.occ)
		if err != nil {
			return nil, false, err
		}
		if n > 0 {
			detail["promoted"] = strconv.Itoa(n)
		}
	}
	if err := audit.Record(ctx, tx, actor, audit.Event{Action: "events.rsvp", SubjectType: "event",
		SubjectID: e.ID, Detail: detail}); err != nil {
		return nil, false, err
	}
	return r, recheck, nil
}

// tooBig is the error for a confirmed party that grew beyond the places
// left.
func (s *slot) tooBig(in RSVPInput, cur *rsvpRow) error {
	left := s.capacity - s.confirmedPeople
	field := "adults"
	if in.Adults <= cur.adults {
		field = "children"
	}
	places := "places are"
	if left == 1 {
		places = "place is"
	}
	return rsvpField(field, fmt.Sprintf("Only %d more %s left, so your RSVP stays at %d %s.",
		left, places, cur.people(), plural(cur.people(), "person", "people")))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// fillPosition sets r's state and waitlist rank as stored now.
func fillPosition(ctx context.Context, q db.Querier, r *RSVP) error {
	var state string
	var pos sql.NullInt64
	err := q.QueryRow(ctx, `SELECT state, waitlist_position FROM event_rsvps WHERE id = ?`, r.ID).Scan(&state, &pos)
	if err != nil {
		return db.Err(err)
	}
	r.State, r.Position = state, 0
	if state != RSVPWaitlisted {
		return nil
	}
	r.Position, err = waitlistRank(ctx, q, r.EventID, r.Occurrence, int(pos.Int64))
	return err
}

// CancelRSVP removes the actor's RSVP for one occurrence (an answer of
// "no" is kept as declined; a cancelled RSVP is gone). Seats it held go to
// the first waitlisted parties that fit, in order, each notified. Having
// no RSVP is not an error. An occurrence that has started can no longer be
// cancelled (a validation error on "status"). Audited as
// events.rsvp_cancel.
func CancelRSVP(ctx context.Context, d *db.DB, actor access.Actor, eventID, occ string) error {
	e, err := loadEvent(ctx, d, eventID)
	if err != nil {
		return err
	}
	if err := access.RSVPEvent(actor, e.ProgramID, string(e.Audience)); err != nil {
		return err
	}
	if actor.Anonymous() {
		return access.ErrNotFound
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		ok, err := lockOccurrence(ctx, tx, e.ID, occ)
		if err != nil {
			return err
		}
		if !ok {
			return db.ErrNotFound
		}
		s, err := readSlot(ctx, tx, e.ID, occ, actor.UserID)
		if err != nil {
			return err
		}
		if s.cur == nil {
			return nil
		}
		if !now().Before(s.occ.Start) {
			return rsvpField("status", "This gathering has already started, so its RSVPs can no longer be changed.")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM event_rsvps WHERE id = ?`, s.cur.id); err != nil {
			return fmt.Errorf("events: cancel rsvp: %w", err)
		}
		detail := map[string]string{"occurrence": occ, "state": s.cur.state}
		if s.cur.state == RSVPWaitlisted {
			if _, err := tx.Exec(ctx, `UPDATE event_occurrences SET waitlist_left = waitlist_left + 1
				WHERE event_id = ? AND occurrence = ?`, e.ID, occ); err != nil {
				return fmt.Errorf("events: cancel rsvp: count: %w", err)
			}
		}
		if s.cur.state == RSVPConfirmed {
			if _, err := tx.Exec(ctx, `UPDATE event_occurrences SET confirmed_people = confirmed_people - ?
				WHERE event_id = ? AND occurrence = ?`, s.cur.people(), e.ID, occ); err != nil {
				return fmt.Errorf("events: cancel rsvp: count: %w", err)
			}
			if !s.occ.Cancelled && !s.eventCancelled {
				n, err := promote(ctx, tx, e, &s.occ)
				if err != nil {
					return err
				}
				if n > 0 {
					detail["promoted"] = strconv.Itoa(n)
				}
			}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "events.rsvp_cancel", SubjectType: "event",
			SubjectID: e.ID, Detail: detail})
	})
}

// MyRSVP returns the actor's RSVP for one occurrence, or nil (and no
// error) when they have not answered. An event the actor may not see is
// db.ErrNotFound.
func MyRSVP(ctx context.Context, q db.Querier, actor access.Actor, eventID, occ string) (*RSVP, error) {
	e, err := loadEvent(ctx, q, eventID)
	if err != nil {
		return nil, err
	}
	if err := access.ViewEvent(actor, e.ProgramID, string(e.Audience)); err != nil {
		return nil, err
	}
	if actor.Anonymous() {
		return nil, access.ErrNotFound
	}
	r := &RSVP{EventID: e.ID, Occurrence: occ, UserID: actor.UserID}
	var pos sql.NullInt64
	err = q.QueryRow(ctx, `SELECT id, status, state, adults, children, dietary, waitlist_position, show_me, updated_at
		FROM event_rsvps WHERE event_id = ? AND occurrence = ? AND user_id = ?`, e.ID, occ, actor.UserID).
		Scan(&r.ID, &r.Status, &r.State, &r.Adults, &r.Children, &r.Dietary, &pos, &r.ShowMe, &r.UpdatedAt)
	if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if r.State == RSVPWaitlisted {
		if r.Position, err = waitlistRank(ctx, q, e.ID, occ, int(pos.Int64)); err != nil {
			return nil, err
		}
	}
	return r, nil
}
