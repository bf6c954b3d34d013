package events

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// Honoree states, as event_honorees stores them.
const (
	HonoreeAdded   = "added"
	HonoreeRemoved = "removed"
)

// StaffAddedLabel is the milestone label of an honoree whom staff added
// without a milestone they may see in the dinner's window.
const StaffAddedLabel = "Added by staff"

// Honoree is one person honoured at a milestone dinner's occurrence, with
// the milestone they are honoured for. State is HonoreeAdded or
// HonoreeRemoved (taken off by staff; shown so that staff can add them
// back). Invited reports that the invitation went out.
type Honoree struct {
	UserID         string
	DisplayName    string
	MilestoneLabel string
	// MilestoneDate is zero for someone staff added without a milestone
	// in the window that staff may see.
	MilestoneDate members.Date
	State         string
	Invited       bool
}

// dinner is a milestone dinner's occurrence with its program's zone and
// the window of milestones it honours.
type dinner struct {
	e        *Event
	o        *Occurrence
	loc      *time.Location
	from, to members.Date
}

// open reports whether honorees may still be invited: the occurrence is
// ahead and neither it nor the event is cancelled.
func (dn *dinner) open(t time.Time) bool {
	return !dn.e.Cancelled() && !dn.o.Cancelled && dn.o.Start.After(t)
}

// loadDinner loads a milestone dinner's occurrence for someone who manages
// the program's events; anything else is access.ErrNotFound.
func loadDinner(ctx context.Context, q db.Querier, actor access.Actor, eventID, occ string) (*dinner, error) {
	e, err := loadEvent(ctx, q, eventID)
	if err != nil {
		return nil, err
	}
	if err := access.ManageEvents(actor, e.ProgramID); err != nil {
		return nil, err
	}
	if e.Kind != MilestoneDinner {
		return nil, access.ErrNotFound
	}
	o, err := loadOccurrence(ctx, q, eventID, occ)
	if err != nil {
		return nil, err
	}
	p, err := programs.Get(ctx, q, e.ProgramID)
	if err != nil {
		return nil, err
	}
	dn := &dinner{e: e, o: o, loc: p.Location()}
	dn.from, dn.to = dinnerWindow(e, o, dn.loc)
	return dn, nil
}

// dinnerWindow is the window of milestones an occurrence honours: the
// event's window when set, else the occurrence's calendar month.
func dinnerWindow(e *Event, o *Occurrence, loc *time.Location) (from, to members.Date) {
	if !e.WindowStart.IsZero() && !e.WindowEnd.IsZero() {
		return e.WindowStart, e.WindowEnd
	}
	day := members.DateOf(o.Start.In(loc))
	from = members.Date{Year: day.Year, Month: day.Month, Day: 1}
	return from, from.AddMonths(1).AddDays(-1)
}

// honoreeRow is a stored row of event_honorees.
type honoreeRow struct {
	userID, label, date, state, changedBy string
	invited                               bool
}

// Honorees returns the honorees of a milestone dinner's occurrence, for
// its coordinators (access.ManageEvents). It first refreshes the list:
// every alumnus with a milestone in the dinner's window whose milestone
// visibility lets the coordinator see it (members.UpcomingMilestones) and
// who answered yes to being honoured for that milestone is added, unless
// staff removed them, which stays. Reading the list tells no one:
// InviteHonorees sends the invitations. Honorees added by staff stay;
// those who no longer qualify (they declined, hid their milestones, or
// their recovery date changed) are not listed. Added honorees come first,
// by milestone date and name; then the removed ones. The read is audited
// as "events.honorees".
func Honorees(ctx context.Context, d *db.DB, actor access.Actor, eventID, occ string) ([]Honoree, error) {
	dn, err := loadDinner(ctx, d, actor, eventID, occ)
	if err != nil {
		return nil, err
	}
	visible, err := visibleMilestones(ctx, d, actor, dn)
	if err != nil {
		return nil, err
	}
	yes, err := honourYes(ctx, d, dn.from, dn.to)
	if err != nil {
		return nil, err
	}
	// The qualifying milestone of each member: the first one in the window
	// that they agreed to have honoured.
	qualify := map[string]members.Milestone{}
	for _, u := range visible {
		if _, done := qualify[u.MemberID]; !done && yes[u.MemberID+"|"+u.Milestone.Date.String()] {
			qualify[u.MemberID] = u.Milestone
		}
	}
	first := map[string]members.Milestone{}
	for _, u := range visible {
		if _, ok := first[u.MemberID]; !ok {
			first[u.MemberID] = u.Milestone
		}
	}
	t := now()
	var out []Honoree
	err = d.Tx(ctx, func(tx *db.Tx) error {
		rows, err := honoreeRows(ctx, tx, dn.e.ID, dn.o.ID)
		if err != nil {
			return err
		}
		added := 0
		if dn.open(t) {
			ids := make([]string, 0, len(qualify))
			for id := range qualify {
				if _, ok := rows[id]; !ok {
					ids = append(ids, id)
				}
			}
			sort.Strings(ids)
			for _, id := range ids {
				m := qualify[id]
				ok, err := insertHonoree(ctx, tx, dn, id, m.Label, m.Date.String(), "", t, false)
				if err != nil {
					return err
				}
				if ok {
					rows[id] = &honoreeRow{userID: id, label: m.Label, date: m.Date.String(), state: HonoreeAdded}
					added++
				}
			}
		}
		out = nil
		for _, r := range rows {
			h := Honoree{UserID: r.userID, State: r.state, Invited: r.invited}
			staff := r.changedBy != "" && r.changedBy != r.userID
			switch {
			case r.state == HonoreeAdded && r.changedBy == "":
				m, ok := qualify[r.userID]
				if !ok {
					continue // no longer agrees, or no longer visible
				}
				h.MilestoneLabel, h.MilestoneDate = m.Label, m.Date
			case r.state == HonoreeAdded:
				h.MilestoneLabel = StaffAddedLabel
				if m, ok := first[r.userID]; ok {
					h.MilestoneLabel, h.MilestoneDate = m.Label, m.Date
				}
			case r.state == HonoreeRemoved && staff:
				m, ok := first[r.userID]
				if !ok {
					continue
				}
				h.MilestoneLabel, h.MilestoneDate = m.Label, m.Date
			default:
				continue // the member declined: that is theirs alone
			}
			out = append(out, h)
		}
		if err := honoreeNames(ctx, tx, dn.e.ProgramID, out); err != nil {
			return err
		}
		out = activeHonorees(out)
		return audit.Record(ctx, tx, actor, audit.Event{Action: "events.honorees", SubjectType: "event", SubjectID: dn.e.ID,
			Detail: map[string]string{"occurrence": dn.o.ID, "count": strconv.Itoa(len(out)), "added": strconv.Itoa(added)}})
	})
	if err != nil {
		return nil, err
	}
	sortHonorees(out)
	return out, nil
}

// InviteHonorees invites every honoree on the refreshed list of a milestone
// dinner's occurrence who was not invited yet (access.ManageEvents): a
// notification linking to the occurrence, where they RSVP with guests.
// Each honoree is invited once, however often it runs; a past or cancelled
// occurrence invites no one. It returns how many were invited, and is
// audited as "events.honorees_invite".
func InviteHonorees(ctx context.Context, d *db.DB, actor access.Actor, eventID, occ string) (int, error) {
	list, err := Honorees(ctx, d, actor, eventID, occ)
	if err != nil {
		return 0, err
	}
	dn, err := loadDinner(ctx, d, actor, eventID, occ)
	if err != nil {
		return 0, err
	}
	t := now()
	if !dn.open(t) {
		return 0, nil
	}
	n := 0
	err = d.Tx(ctx, func(tx *db.Tx) error {
		for _, h := range list {
			if h.State != HonoreeAdded || h.Invited {
				continue
			}
			// Only rows still waiting: a coordinator inviting at the same
			// time does not invite anyone twice.
			res, err := tx.Exec(ctx, `UPDATE event_honorees SET invited_at = ?
				WHERE event_id = ? AND occurrence = ? AND user_id = ? AND invited_at IS NULL AND state = 'added'`,
				t.UTC(), dn.e.ID, dn.o.ID, h.UserID)
			if err != nil {
				return fmt.Errorf("events: invite honorees: %w", err)
			}
			if k, err := res.RowsAffected(); err != nil || k == 0 {
				if err != nil {
					return err
				}
				continue
			}
			if err := inviteHonoree(ctx, tx, dn, h.UserID, t); err != nil {
				return err
			}
			n++
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "events.honorees_invite", SubjectType: "event", SubjectID: dn.e.ID,
			Detail: map[string]string{"occurrence": dn.o.ID, "invited": strconv.Itoa(n)}})
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// AddHonoree adds an alumnus of the program to a milestone dinner's
// occurrence (access.ManageEvents), with their milestone in the window
// when the coordinator may see it, else the label StaffAddedLabel. Adding
// someone staff removed adds them back. The person is invited once, if the
// occurrence is ahead and not cancelled. Someone who is not an active
// alumnus of the program is a ValidationError on "user_id". Audited as
// "events.honoree_add".
func AddHonoree(ctx context.Context, d *db.DB, actor access.Actor, eventID, occ, userID string) error {
	dn, err := loadDinner(ctx, d, actor, eventID, occ)
	if err != nil {
		return err
	}
	if err := checkAlumnus(ctx, d, dn.e.ProgramID, userID); err != nil {
		return err
	}
	visible, err := visibleMilestones(ctx, d, actor, dn)
	if err != nil {
		return err
	}
	label, date := StaffAddedLabel, ""
	for _, u := range visible {
		if u.MemberID == userID {
			label, date = u.Milestone.Label, u.Milestone.Date.String()
			break
		}
	}
	t := now()
	return d.Tx(ctx, func(tx *db.Tx) error {
		var invitedAt *time.Time
		err := db.Err(tx.QueryRow(ctx, `SELECT invited_at FROM event_honorees WHERE event_id = ? AND occurrence = ? AND user_id = ?`,
			dn.e.ID, dn.o.ID, userID).Scan(&invitedAt))
		switch {
		case errors.Is(err, db.ErrNotFound):
			if _, err := insertHonoree(ctx, tx, dn, userID, label, date, actor.UserID, t, true); err != nil {
				return err
			}
		case err != nil:
			return fmt.Errorf("events: add honoree: %w", err)
		default:
			if _, err := tx.Exec(ctx, `UPDATE event_honorees SET state = 'added', changed_by = ?, changed_at = ?, milestone_label = ?, milestone_date = ?
				WHERE event_id = ? AND occurrence = ? AND user_id = ?`,
				actor.UserID, t.UTC(), label, date, dn.e.ID, dn.o.ID, userID); err != nil {
				return fmt.Errorf("events: add honoree: %w", err)
			}
			if invitedAt == nil && dn.open(t) {
				if err := inviteHonoree(ctx, tx, dn, userID, t); err != nil {
					return err
				}
			}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "events.honoree_add", SubjectType: "event", SubjectID: dn.e.ID,
			Detail: map[string]string{"occurrence": dn.o.ID, "member": userID}})
	})
}

// RemoveHonoree takes a person off a milestone dinner's occurrence
// (access.ManageEvents). They stay off when the list is refreshed, until
// staff add them again. The person is not told. Someone who is not an
// alumnus of the program is a ValidationError on "user_id". Audited as
// "events.honoree_remove".
func RemoveHonoree(ctx context.Context, d *db.DB, actor access.Actor, eventID, occ, userID string) error {
	dn, err := loadDinner(ctx, d, actor, eventID, occ)
	if err != nil {
		return err
	}
	if err := checkAlumnus(ctx, d, dn.e.ProgramID, userID); err != nil {
		return err
	}
	t := now()
	return d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO event_honorees (event_id, occurrence, program_id, user_id, milestone_label, milestone_date, state, changed_by, changed_at)
			VALUES (?, ?, ?, ?, '', '', 'removed', ?, ?)
			ON CONFLICT (event_id, occurrence, user_id) DO UPDATE SET state = 'removed', changed_by = excluded.changed_by, changed_at = excluded.changed_at`,
			dn.e.ID, dn.o.ID, dn.e.ProgramID, userID, actor.UserID, t.UTC()); err != nil {
			return fmt.Errorf("events: remove honoree: %w", err)
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "events.honoree_remove", SubjectType: "event", SubjectID: dn.e.ID,
			Detail: map[string]string{"occurrence": dn.o.ID, "member": userID}})
	})
}

// visibleMilestones lists the milestones in the dinner's window that the
// actor may see.
func visibleMilestones(ctx context.Context, d *db.DB, actor access.Actor, dn *dinner) ([]members.Upcoming, error) {
	return members.UpcomingMilestones(ctx, d, actor, dn.from, dn.to)
}

// honourYes returns "user|date" for every milestone from from to to that
// its member agreed to have honoured.
func honourYes(ctx context.Context, q db.Querier, from, to members.Date) (map[string]bool, error) {
	rows, err := q.Query(ctx, `SELECT user_id, milestone_date FROM honour_answers
		WHERE answer = 'yes' AND milestone_date >= ? AND milestone_date <= ?`, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("events: honour answers: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id, date string
		if err := rows.Scan(&id, &date); err != nil {
			return nil, fmt.Errorf("events: honour answers: %w", err)
		}
		out[id+"|"+date] = true
	}
	return out, rows.Err()
}

// honoreeRows returns the stored honorees of an occurrence by person.
func honoreeRows(ctx context.Context, q db.Querier, eventID, occ string) (map[string]*honoreeRow, error) {
	rows, err := q.Query(ctx, `SELECT user_id, milestone_label, milestone_date, state, changed_by, invited_at
		FROM event_honorees WHERE event_id = ? AND occurrence = ?`, eventID, occ)
	if err != nil {
		return nil, fmt.Errorf("events: honorees: %w", err)
	}
	defer rows.Close()
	out := map[string]*honoreeRow{}
	for rows.Next() {
		r := &honoreeRow{}
		var invited *time.Time
		if err := rows.Scan(&r.userID, &r.label, &r.date, &r.state, &r.changedBy, &invited); err != nil {
			return nil, fmt.Errorf("events: honorees: %w", err)
		}
		r.invited = invited != nil
		out[r.userID] = r
	}
	return out, rows.Err()
}

// insertHonoree adds a person to the occurrence's honorees and, with
// invite and when the dinner is ahead, invites them; changedBy is "" for a
// computed honoree.
// It reports false when the row was there already (another coordinator's
// refresh added it at the same time).
func insertHonoree(ctx context.Context, tx *db.Tx, dn *dinner, userID, label, date, changedBy string, t time.Time, invite bool) (bool, error) {
	res, err := tx.Exec(ctx, `INSERT INTO event_honorees (event_id, occurrence, program_id, user_id, milestone_label, milestone_date, state, changed_by, changed_at)
		VALUES (?, ?, ?, ?, ?, ?, 'added', ?, ?) ON CONFLICT (event_id, occurrence, user_id) DO NOTHING`,
		dn.e.ID, dn.o.ID, dn.e.ProgramID, userID, label, date, changedBy, t.UTC())
	if err != nil {
		return false, fmt.Errorf("events: add honoree: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if invite && dn.open(t) {
		if err := inviteHonoree(ctx, tx, dn, userID, t); err != nil {
			return false, err
		}
	}
	return true, nil
}

// inviteHonoree sends the invitation and records when it went.
func inviteHonoree(ctx context.Context, tx *db.Tx, dn *dinner, userID string, t time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE event_honorees SET invited_at = ? WHERE event_id = ? AND occurrence = ? AND user_id = ?`,
		t.UTC(), dn.e.ID, dn.o.ID, userID); err != nil {
		return fmt.Errorf("events: invite honoree: %w", err)
	}
	_, err := notify.Send(ctx, tx, userID, notify.KindEventReminder, notify.Data{
		Title: "You are invited to be honoured: " + clipRunes(dn.e.Title, 120),
		Body: "We would love to celebrate you at " + dn.e.Title + " on " + localWhen(dn.o.Start, dn.loc) +
			". Let us know if you can come, and bring guests if you like.",
		Link: "/events/" + dn.e.ID + "/" + dn.o.ID,
	})
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return fmt.Errorf("events: invite honoree: %w", err)
	}
	return nil
}

// checkAlumnus accepts an active alumnus of the program.
func checkAlumnus(ctx context.Context, q db.Querier, programID, userID string) error {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = ? AND program_id = ? AND role = 'alumnus' AND disabled_at IS NULL`,
		userID, programID).Scan(&n); err != nil {
		return fmt.Errorf("events: honoree: %w", err)
	}
	if n == 0 {
		return members.ValidationError{{Field: "user_id", Message: "Choose an alumnus of this program."}}
	}
	return nil
}

// honoreeNames fills in the display names (first name and last initial);
// a person who is no longer an active alumnus of the program keeps an
// empty name, and activeHonorees then drops them.
func honoreeNames(ctx context.Context, q db.Querier, programID string, list []Honoree) error {
	if len(list) == 0 {
		return nil
	}
	index := map[string][]int{}
	args := []any{programID}
	for i, h := range list {
		if _, ok := index[h.UserID]; !ok {
			args = append(args, h.UserID)
		}
		index[h.UserID] = append(index[h.UserID], i)
	}
	rows, err := q.Query(ctx, `SELECT id, first_name, last_name, email FROM users
		WHERE program_id = ? AND role = 'alumnus' AND disabled_at IS NULL AND id IN (`+db.Placeholders(len(args)-1)+`)`, args...)
	if err != nil {
		return fmt.Errorf("events: honoree names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, first, last, email string
		if err := rows.Scan(&id, &first, &last, &email); err != nil {
			return fmt.Errorf("events: honoree names: %w", err)
		}
		for _, i := range index[id] {
			list[i].DisplayName = displayName(first, last, email)
		}
	}
	return rows.Err()
}

// activeHonorees drops the honorees whose name was not found.
func activeHonorees(list []Honoree) []Honoree {
	out := list[:0]
	for _, h := range list {
		if h.DisplayName != "" {
			out = append(out, h)
		}
	}
	return out
}

// sortHonorees orders added honorees before removed ones, each by
// milestone date (none last), then name.
func sortHonorees(list []Honoree) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.State != b.State {
			return a.State == HonoreeAdded
		}
		if a.MilestoneDate.IsZero() != b.MilestoneDate.IsZero() {
			return !a.MilestoneDate.IsZero()
		}
		if c := a.MilestoneDate.Compare(b.MilestoneDate); c != 0 {
			return c < 0
		}
		if a.DisplayName != b.DisplayName {
			return a.DisplayName < b.DisplayName
		}
		return a.UserID < b.UserID
	})
}
