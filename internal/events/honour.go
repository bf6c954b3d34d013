package events

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// Honour answers, as honour_answers stores them.
const (
	HonourAsked = "asked"
	HonourYes   = "yes"
	HonourNo    = "no"
)

// Bounds of the honour questions.
const (
	// askAhead is how far ahead AskHonours looks for milestone dinners.
	askAhead = 60 * 24 * time.Hour
	// questionsKept is how long after a milestone its question is still
	// listed (a dinner may honour the milestones of the month before).
	questionsKept = 90
)

// HonourQuestion is the question "may we honour this milestone at a
// milestone dinner?" about one of the member's milestones, with their
// answer: HonourAsked (not answered yet), HonourYes or HonourNo.
type HonourQuestion struct {
	MilestoneLabel string
	MilestoneDate  members.Date
	Answer         string
}

// MyHonourQuestions lists the alumnus' honour questions about milestones
// of their current recovery period, from 90 days ago on, by date. Anyone
// but an alumnus gets access.ErrNotFound.
func MyHonourQuestions(ctx context.Context, q db.Querier, actor access.Actor) ([]HonourQuestion, error) {
	if err := access.AnswerHonour(actor); err != nil {
		return nil, err
	}
	start, s, today, ok, err := ownPeriod(ctx, q, actor)
	if err != nil || !ok {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT milestone_date, milestone_label, answer FROM honour_answers
		WHERE user_id = ? AND milestone_date >= ? ORDER BY milestone_date`,
		actor.UserID, maxDate(start, today.AddDays(-questionsKept)).String())
	if err != nil {
		return nil, fmt.Errorf("events: honour questions: %w", err)
	}
	defer rows.Close()
	var out []HonourQuestion
	for rows.Next() {
		var hq HonourQuestion
		var date string
		if err := rows.Scan(&date, &hq.MilestoneLabel, &hq.Answer); err != nil {
			return nil, fmt.Errorf("events: honour questions: %w", err)
		}
		d, err := members.ParseDate(date)
		if err != nil || len(s.Between(start, d, d)) == 0 {
			continue // a milestone of an earlier period
		}
		hq.MilestoneDate = d
		out = append(out, hq)
	}
	return out, rows.Err()
}

// AnswerHonour records the alumnus' answer about being honoured for their
// milestone on milestoneDate, which must be a milestone of their current
// recovery period (else a ValidationError on "milestone_date"). Saying no
// takes them off the honoree lists of dinners not yet held, at once and
// without telling anyone; saying yes again puts them back where they had
// taken themselves off (never where staff removed them). Audited as
// "events.honour_answer".
func AnswerHonour(ctx context.Context, d *db.DB, actor access.Actor, milestoneDate members.Date, yes bool) error {
	if err := access.AnswerHonour(actor); err != nil {
		return err
	}
	if milestoneDate.IsZero() {
		return members.ValidationError{{Field: "milestone_date", Message: "Choose one of your milestones."}}
	}
	start, s, _, ok, err := ownPeriod(ctx, d, actor)
	if err != nil {
		return err
	}
	var ms []members.Milestone
	if ok {
		ms = s.Between(start, milestoneDate, milestoneDate)
	}
	if len(ms) == 0 {
		return members.ValidationError{{Field: "milestone_date", Message: "This date is not one of your milestones."}}
	}
	answer := HonourNo
	if yes {
		answer = HonourYes
	}
	t := now().UTC()
	date := milestoneDate.String()
	return d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO honour_answers (user_id, milestone_date, milestone_label, answer, updated_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id, milestone_date) DO UPDATE SET milestone_label = excluded.milestone_label, answer = excluded.answer, updated_at = excluded.updated_at`,
			actor.UserID, date, ms[0].Label, answer, t); err != nil {
			return fmt.Errorf("events: answer honour: %w", err)
		}
		if err := followAnswer(ctx, tx, actor.UserID, milestoneDate, yes, t); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "events.honour_answer", SubjectType: "user", SubjectID: actor.UserID,
			Detail: map[string]string{"answer": answer}})
	})
}

// followAnswer updates the person's places on the honoree lists of
// dinners not yet held whose window holds the milestone (or that list them
// for it): a no takes them off (state removed, changed by them); a yes
// puts back where they had taken themselves off.
func followAnswer(ctx context.Context, tx *db.Tx, userID string, date members.Date, yes bool, t time.Time) error {
	rows, err := tx.Query(ctx, `SELECT h.event_id, h.occurrence, h.milestone_date, h.state, h.changed_by, o.starts_at
		FROM event_honorees h
		JOIN event_occurrences o ON o.event_id = h.event_id AND o.occurrence = h.occurrence
		WHERE h.user_id = ? AND o.starts_at > ?`, userID, t)
	if err != nil {
		return fmt.Errorf("events: answer honour: %w", err)
	}
	type place struct {
		eventID, occ, date, state, changedBy string
		start                                time.Time
	}
	var places []place
	for rows.Next() {
		var p place
		if err := rows.Scan(&p.eventID, &p.occ, &p.date, &p.state, &p.changedBy, &p.start); err != nil {
			rows.Close()
			return fmt.Errorf("events: answer honour: %w", err)
		}
		places = append(places, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("events: answer honour: %w", err)
	}
	for _, p := range places {
		switch {
		case !yes && p.state == HonoreeAdded:
		case yes && p.state == HonoreeRemoved && p.changedBy == userID:
		default:
			continue
		}
		if p.date != date.String() {
			e, err := loadEvent(ctx, tx, p.eventID)
			if err != nil {
				return err
			}
			loc, err := programLocation(ctx, tx, e.ProgramID)
			if err != nil {
				return err
			}
			from, to := dinnerWindow(e, &Occurrence{Start: p.start}, loc)
			if date.Before(from) || date.After(to) {
				continue
			}
		}
		state, by := HonoreeRemoved, userID
		if yes {
			state, by = HonoreeAdded, ""
		}
		if _, err := tx.Exec(ctx, `UPDATE event_honorees SET state = ?, changed_by = ?, changed_at = ?
			WHERE event_id = ? AND occurrence = ? AND user_id = ?`, state, by, t, p.eventID, p.occ, userID); err != nil {
			return fmt.Errorf("events: answer honour: %w", err)
		}
	}
	return nil
}

// ownPeriod returns the start of the alumnus' current recovery period,
// their program's milestone schedule and today in its zone; ok is false
// when no recovery date is set.
func ownPeriod(ctx context.Context, q db.Querier, actor access.Actor) (start members.Date, s members.Schedule, today members.Date, ok bool, err error) {
	p, err := programs.Get(ctx, q, actor.ProgramID)
	if err != nil {
		return start, nil, today, false, err
	}
	today = members.Today(p.Location(), now())
	err = db.Err(q.QueryRow(ctx, `SELECT rp.start_date FROM recovery_periods rp JOIN users u ON u.id = rp.user_id
		WHERE rp.user_id = ? AND rp.program_id = ? AND rp.end_date IS NULL AND u.disabled_at IS NULL`,
		actor.UserID, actor.ProgramID).Scan(&start))
	if errors.Is(err, db.ErrNotFound) {
		return start, nil, today, false, nil
	}
	if err != nil {
		return start, nil, today, false, fmt.Errorf("events: recovery period: %w", err)
	}
	s, err = members.LoadSchedule(ctx, q, actor.ProgramID)
	if err != nil {
		return start, nil, today, false, err
	}
	return start, s, today, true, nil
}

func maxDate(a, b members.Date) members.Date {
	if a.After(b) {
		return a
	}
	return b
}

// askWindow is an upcoming milestone dinner's occurrence and its window.
type askWindow struct {
	month    string
	from, to members.Date
}

// AskHonours asks alumni whether they would like to be honoured: for each
// milestone dinner's occurrence in the next 60 days (not cancelled), each
// alumnus with a milestone of their current recovery period in its window
// who was never asked about that milestone gets the question once (a row
// in honour_answers, written with the notification). Only members whose
// milestone visibility lets the program's staff see them are asked: a yes
// from anyone else could never put them on the honoree list, and asking
// would suggest otherwise. It runs daily as a periodic job and returns how
// many questions it asked.
func AskHonours(ctx context.Context, d *db.DB) (int, error) {
	list, err := programs.List(ctx, d)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range list {
		k, err := askProgram(ctx, d, p)
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func askProgram(ctx context.Context, d *db.DB, p *programs.Program) (int, error) {
	loc := p.Location()
	t := now()
	windows, err := askWindows(ctx, d, p.ID, loc, t)
	if err != nil || len(windows) == 0 {
		return 0, err
	}
	lo, hi := windows[0].from, windows[0].to
	for _, w := range windows {
		if w.from.Before(lo) {
			lo = w.from
		}
		if w.to.After(hi) {
			hi = w.to
		}
	}
	s, err := members.LoadSchedule(ctx, d, p.ID)
	if err != nil {
		return 0, err
	}
	asked, err := answeredMilestones(ctx, d, p.ID, lo, hi)
	if err != nil {
		return 0, err
	}
	rows, err := d.Query(ctx, `SELECT rp.user_id, rp.start_date, COALESCE(pr.vis_milestones, '') FROM recovery_periods rp
		JOIN users u ON u.id = rp.user_id
		LEFT JOIN profiles pr ON pr.user_id = rp.user_id
		WHERE rp.program_id = ? AND rp.end_date IS NULL AND rp.start_date <= ? AND u.role = 'alumnus' AND u.disabled_at IS NULL
		ORDER BY rp.user_id`, p.ID, hi.String())
	if err != nil {
		return 0, fmt.Errorf("events: ask honours: %w", err)
	}
	type question struct {
		userID string
		m      members.Milestone
		month  string
	}
	var due []question
	for rows.Next() {
		var id, vis string
		var start members.Date
		if err := rows.Scan(&id, &start, &vis); err != nil {
			rows.Close()
			return 0, fmt.Errorf("events: ask honours: %w", err)
		}
		if !access.MaySee(access.Visibility(vis), access.Relation{SameProgram: true}) {
			continue
		}
		for _, w := range windows {
			for _, m := range s.Between(start, w.from, w.to) {
				k := id + "|" + m.Date.String()
				if !asked[k] {
					asked[k] = true
					due = append(due, question{id, m, w.month})
				}
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("events: ask honours: %w", err)
	}
	today := members.Today(loc, t)
	n := 0
	for _, qn := range due {
		err := d.Tx(ctx, func(tx *db.Tx) error {
			res, err := tx.Exec(ctx, `INSERT INTO honour_answers (user_id, milestone_date, milestone_label, answer, updated_at)
				VALUES (?, ?, ?, 'asked', ?) ON CONFLICT (user_id, milestone_date) DO NOTHING`,
				qn.userID, qn.m.Date.String(), qn.m.Label, t.UTC())
			if err != nil {
				return err
			}
			if k, err := res.RowsAffected(); err != nil || k == 0 {
				return err
			}
			verb := "reach"
			if qn.m.Date.Before(today) {
				verb = "reached"
			}
			_, err = notify.Send(ctx, tx, qn.userID, notify.KindEventReminder, notify.Data{
				Title: "May we honour your " + qn.m.Label + "?",
				Body: "You " + verb + " " + qn.m.Label + " on " + qn.m.Date.In(loc).Format("January 2") +
					". Would you like to be honoured at the " + qn.month + " milestone dinner? " +
					"Only you can answer, and you can change your mind at any time.",
				Link: "/events/honour",
			})
			if err == nil {
				n++
			}
			return err
		})
		if err != nil {
			return n, fmt.Errorf("events: ask honours: %w", err)
		}
	}
	return n, nil
}

// askWindows returns the windows of the program's milestone dinners'
// occurrences from t to 60 days ahead that are not cancelled and are not
// for staff only.
func askWindows(ctx context.Context, q db.Querier, programID string, loc *time.Location, t time.Time) ([]askWindow, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT o.event_id, o.occurrence FROM event_occurrences o
		JOIN events e ON e.id = o.event_id
		WHERE o.program_id = ? AND o.starts_at > ? AND o.starts_at <= ? AND NOT o.cancelled
		  AND e.kind = 'milestone_dinner' AND e.cancelled_at IS NULL AND e.audience <> 'staff'
		ORDER BY o.event_id, o.occurrence`, programID, t.UTC(), t.Add(askAhead).UTC())
	if err != nil {
		return nil, fmt.Errorf("events: ask honours: %w", err)
	}
	type key struct{ eventID, occ string }
	var keys []key
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.eventID, &k.occ); err != nil {
			rows.Close()
			return nil, fmt.Errorf("events: ask honours: %w", err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events: ask honours: %w", err)
	}
	events := map[string]*Event{}
	var out []askWindow
	for _, k := range keys {
		e, ok := events[k.eventID]
		if !ok {
			if e, err = loadEvent(ctx, q, k.eventID); err != nil {
				return nil, err
			}
			events[k.eventID] = e
		}
		o, err := loadOccurrence(ctx, q, k.eventID, k.occ)
		if err != nil {
			return nil, err
		}
		from, to := dinnerWindow(e, o, loc)
		out = append(out, askWindow{month: o.Start.In(loc).Format("January"), from: from, to: to})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].from.Before(out[j].from) })
	return out, nil
}

// answeredMilestones returns "user|date" for every honour question already
// asked of the program's members about milestones from from to to.
func answeredMilestones(ctx context.Context, q db.Querier, programID string, from, to members.Date) (map[string]bool, error) {
	rows, err := q.Query(ctx, `SELECT h.user_id, h.milestone_date FROM honour_answers h
		JOIN users u ON u.id = h.user_id
		WHERE u.program_id = ? AND h.milestone_date >= ? AND h.milestone_date <= ?`, programID, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("events: ask honours: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id, date string
		if err := rows.Scan(&id, &date); err != nil {
			return nil, fmt.Errorf("events: ask honours: %w", err)
		}
		out[id+"|"+date] = true
	}
	return out, rows.Err()
}
