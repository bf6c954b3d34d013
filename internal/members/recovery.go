package members

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/crisis"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// Period is one recovery period of a member. The current period has no
// End; a reset after a lapse closes it and opens a new one, so the history
// is kept.
type Period struct {
	ID    string
	Start Date
	// End is the last day of a closed period; zero for the current one.
	End Date
	// Note is shown to the member only: their own private note, or the
	// note their coach left when the coach set the date (ByCoach).
	Note      string
	CreatedAt time.Time
	// SetBy is who started the period: the member, their coach, or ""
	// when the program did (roster import). SetByName is that person's
	// first name and last initial.
	SetBy, SetByName string
	// ByCoach reports that someone other than the member (their coach)
	// set the date.
	ByCoach bool
}

// Current reports whether the period is still going on.
func (p Period) Current() bool { return p.End.IsZero() }

// Days is the length of the period in days: from its start to today for
// the current one (0 on its first day), and start to end inclusive for a
// closed one.
func (p Period) Days(today Date) int {
	if p.Current() {
		if n := p.Start.DaysUntil(today); n > 0 {
			return n
		}
		return 0
	}
	return p.Start.DaysUntil(p.End) + 1
}

// maxNote bounds a period's private note.
const maxNote = 1000

// clock is the recovery code's clock; tests replace it.
var clock = time.Now

// member is what the recovery rules need to know about a member.
type member struct {
	programID string
	loc       *time.Location
}

// loadMember returns memberID's program and its time zone; a person who is
// not an active alumnus is db.ErrNotFound.
func loadMember(ctx context.Context, q db.Querier, memberID string) (*member, error) {
	var programID, role string
	var disabled *time.Time
	err := q.QueryRow(ctx, `SELECT program_id, role, disabled_at FROM users WHERE id = ?`, memberID).Scan(&programID, &role, &disabled)
	if err != nil {
		return nil, db.Err(err)
	}
	if access.Role(role) != access.Alumnus || disabled != nil {
		return nil, db.ErrNotFound
	}
	p, err := programs.Get(ctx, q, programID)
	if err != nil {
		return nil, err
	}
	return &member{programID: programID, loc: p.Location()}, nil
}

// ownMember loads the signed-in alumnus for their own recovery pages;
// anyone else gets access.ErrNotFound.
func ownMember(ctx context.Context, q db.Querier, actor access.Actor) (*member, error) {
	if err := access.OwnRecovery(actor); err != nil {
		return nil, err
	}
	m, err := loadMember(ctx, q, actor.UserID)
	if err != nil {
		return nil, err
	}
	if m.programID != actor.ProgramID {
		return nil, access.ErrNotFound
	}
	return m, nil
}

// currentStart returns the start of memberID's current recovery period;
// ok is false when no date is set.
func currentStart(ctx context.Context, q db.Querier, memberID string) (start Date, ok bool, err error) {
	err = db.Err(q.QueryRow(ctx, `SELECT start_date FROM recovery_periods WHERE user_id = ? AND end_date IS NULL`, memberID).Scan(&start))
	if errors.Is(err, db.ErrNotFound) {
		return Date{}, false, nil
	}
	if err != nil {
		return Date{}, false, err
	}
	return start, true, nil
}

// mayEditRecovery loads the facts access.EditRecoveryOf decides from
// (is the actor the member's assigned coach, does the member allow their
// coach to set the date) and asks it.
func mayEditRecovery(ctx context.Context, q db.Querier, actor access.Actor, memberID string, m *member) error {
	f := access.RecoveryFacts{MemberID: memberID, ProgramID: m.programID}
	if !actor.Anonymous() && !actor.IsSystem() && actor.UserID != memberID && actor.ProgramID == m.programID {
		var n int
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM coach_assignments WHERE member_id = ? AND coach_id = ? AND program_id = ?`,
			memberID, actor.UserID, m.programID).Scan(&n); err != nil {
			return fmt.Errorf("members: coach assignment: %w", err)
		}
		f.AssignedCoach = n > 0
		if f.AssignedCoach {
			s, err := GetRecoverySettings(ctx, q, memberID)
			if err != nil {
				return err
			}
			f.CoachMayEdit = s.CoachMayEdit
		}
	}
	return access.EditRecoveryOf(actor, f)
}

// MayEditRecoveryOf reports (nil or access.ErrNotFound) whether actor may
// set memberID's recovery date: for the link on the member's page.
func MayEditRecoveryOf(ctx context.Context, q db.Querier, actor access.Actor, memberID string) error {
	m, err := loadMember(ctx, q, memberID)
	if err != nil {
		return err
	}
	return mayEditRecovery(ctx, q, actor, memberID, m)
}

// SetRecoveryDate sets memberID's recovery date (see SetRecoveryDateTx)
// in a transaction of its own.
func SetRecoveryDate(ctx context.Context, d *db.DB, actor access.Actor, memberID string, date Date, note string) error {
	return d.Tx(ctx, func(tx *db.Tx) error { return SetRecoveryDateTx(ctx, tx, actor, memberID, date, note) })
}

// SetRecoveryDateTx sets memberID's recovery date inside tx. The member
// sets it; their coach may when the member allows it; the installation
// (roster import) may. Anyone else gets access.ErrNotFound.
//
// With no current period, a new one starts on date. A date after the
// current period's start is a new beginning after a lapse: the current
// period ends the day before date and a new one starts, keeping the
// history. A date before it corrects the current period's start (it may
// not reach back into an earlier period). The same date only updates the
// note; an empty note keeps the one there is. A date after today (in the
// program's time zone) is refused. The coach may leave a note for the
// member only with a period their change starts (a first date, or a new
// beginning): it is shown to the member alone, and the member's own note
// on an existing period is never overwritten by anyone else. Errors in the
// input are a ValidationError naming "date" or "note".
func SetRecoveryDateTx(ctx context.Context, tx *db.Tx, actor access.Actor, memberID string, date Date, note string) error {
	m, err := loadMember(ctx, tx, memberID)
	if err != nil {
		return err
	}
	if err := mayEditRecovery(ctx, tx, actor, memberID, m); err != nil {
		return err
	}
	today := Today(m.loc, clock())
	switch {
	case date.IsZero():
		return fieldErr("date", "Enter the recovery date, such as 2025-03-14.")
	case date.After(today):
		return fieldErr("date", "The recovery date cannot be in the future. Please enter today's date or an earlier one.")
	case date.Year < 1900:
		return fieldErr("date", "Please enter a date after 1900.")
	case len(note) > maxNote:
		return fieldErr("note", "Please keep the note to 1,000 characters or fewer.")
	case note != "" && actor.IsSystem():
		return fieldErr("note", "Only the member or their coach can write a note.")
	}
	written := note // the words as the actor wrote them
	var cur struct {
		id    string
		start Date
		note  string
	}
	err = tx.QueryRow(ctx, `SELECT id, start_date, note FROM recovery_periods WHERE user_id = ? AND end_date IS NULL`, memberID).
		Scan(&cur.id, &cur.start, &cur.note)
	if err = db.Err(err); err != nil && !errors.Is(err, db.ErrNotFound) {
		return fmt.Errorf("members: current period: %w", err)
	}
	hasCurrent := err == nil
	now := clock().UTC()
	insert := func() error {
		_, err := tx.Exec(ctx, `INSERT INTO recovery_periods (id, program_id, user_id, start_date, end_date, note, created_at, created_by)
			VALUES (?, ?, ?, ?, NULL, ?, ?, ?)`, uuid.Must(uuid.NewV7()).String(), m.programID, memberID, date.String(), note, now, actor.UserID)
		return err
	}
	// afterLast refuses a start that would overlap a closed period.
	afterLast := func() error {
		last, err := lastEnd(ctx, tx, memberID)
		if err != nil {
			return err
		}
		if !last.IsZero() && !date.After(last) {
			return fieldErr("date", "Your earlier recovery period ended on "+last.Label()+". Please enter a later date.")
		}
		return nil
	}
	byOther := actor.UserID != memberID
	if byOther && note != "" && hasCurrent && !date.After(cur.start) {
		return fieldErr("note", "A note can go only with a new recovery date; the note on the current period is the member's own. Please leave the note empty.")
	}
	action := "recovery.set"
	switch {
	case !hasCurrent:
		if err := afterLast(); err != nil {
			return err
		}
		err = insert()
	case date.After(cur.start):
		action = "recovery.new_period"
		if _, err = tx.Exec(ctx, `UPDATE recovery_periods SET end_date = ? WHERE id = ?`, date.AddDays(-1).String(), cur.id); err == nil {
			err = insert()
		}
	case date.Before(cur.start):
		if err := afterLast(); err != nil {
			return err
		}
		if note == "" {
			note = cur.note
		}
		_, err = tx.Exec(ctx, `UPDATE recovery_periods SET start_date = ?, note = ? WHERE id = ?`, date.String(), note, cur.id)
	default:
		if note == "" || note == cur.note {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE recovery_periods SET note = ? WHERE id = ?`, note, cur.id)
	}
	if err != nil {
		return fmt.Errorf("members: set recovery date: %w", db.Err(err))
	}
	if actor.UserID == memberID && written != "" {
		// The member's own words: crisis language tells their coach (the
		// note is saved all the same).
		if _, err := crisis.Check(ctx, tx, actor, written, crisis.Source{Kind: "recovery_note", Link: "/recovery"}); err != nil {
			return err
		}
	}
	return audit.Record(ctx, tx, actor, audit.Event{Action: action, SubjectType: "user", SubjectID: memberID, ProgramID: m.programID})
}

// lastEnd is the end of memberID's latest closed period, or the zero Date.
func lastEnd(ctx context.Context, q db.Querier, memberID string) (Date, error) {
	var d Date
	err := q.QueryRow(ctx, `SELECT end_date FROM recovery_periods WHERE user_id = ? AND end_date IS NOT NULL
		ORDER BY end_date DESC LIMIT 1`, memberID).Scan(&d)
	if err = db.Err(err); err != nil && !errors.Is(err, db.ErrNotFound) {
		return Date{}, fmt.Errorf("members: last period: %w", err)
	}
	return d, nil
}

// periods lists memberID's recovery periods, newest first.
func periods(ctx context.Context, q db.Querier, memberID string) ([]Period, error) {
	rows, err := q.Query(ctx, `SELECT p.id, p.start_date, p.end_date, p.note, p.created_at, p.created_by,
		COALESCE(u.first_name, ''), COALESCE(u.last_name, '')
		FROM recovery_periods p LEFT JOIN users u ON u.id = p.created_by AND p.created_by <> ''
		WHERE p.user_id = ? ORDER BY p.start_date DESC`, memberID)
	if err != nil {
		return nil, fmt.Errorf("members: periods: %w", err)
	}
	defer rows.Close()
	var out []Period
	for rows.Next() {
		var p Period
		var first, last string
		if err := rows.Scan(&p.ID, &p.Start, &p.End, &p.Note, &p.CreatedAt, &p.SetBy, &first, &last); err != nil {
			return nil, fmt.Errorf("members: periods: %w", err)
		}
		p.ByCoach = p.SetBy != "" && p.SetBy != memberID
		if p.ByCoach {
			p.SetByName = deletionName(first, last)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Recovery is what a member's recovery page shows them.
type Recovery struct {
	// Today is today's date in the program's time zone.
	Today Date
	// Current is the current period, or nil when no date is set.
	Current *Period
	// Days and Span are the time in the current period.
	Days int
	Span Span
	// TotalDays is the time across every period.
	TotalDays int
	// Periods are all periods, newest first, with the member's notes.
	Periods  []Period
	Settings RecoverySettings
}

// MyRecovery returns the signed-in alumnus' own recovery periods and
// settings; anyone else gets access.ErrNotFound.
func MyRecovery(ctx context.Context, q db.Querier, actor access.Actor) (*Recovery, error) {
	m, err := ownMember(ctx, q, actor)
	if err != nil {
		return nil, err
	}
	r := &Recovery{Today: Today(m.loc, clock())}
	if r.Periods, err = periods(ctx, q, actor.UserID); err != nil {
		return nil, err
	}
	for i := range r.Periods {
		p := &r.Periods[i]
		r.TotalDays += p.Days(r.Today)
		if p.Current() {
			r.Current = p
			r.Days = p.Days(r.Today)
			r.Span = SpanBetween(p.Start, r.Today)
		}
	}
	if r.Settings, err = GetRecoverySettings(ctx, q, actor.UserID); err != nil {
		return nil, err
	}
	return r, nil
}

// RecoverySettings are what a member chose about their recovery date.
type RecoverySettings struct {
	// CoachMayEdit lets the member's coach set their recovery date.
	CoachMayEdit bool
	// ShowTotal shows the time across all periods on their page.
	ShowTotal bool
	// CelebrateCoach and CelebrateBuddy tell the member's coach and buddy
	// on the day a milestone is reached.
	CelebrateCoach, CelebrateBuddy bool
}

// GetRecoverySettings returns memberID's settings (both off by default).
func GetRecoverySettings(ctx context.Context, q db.Querier, memberID string) (RecoverySettings, error) {
	var s RecoverySettings
	err := q.QueryRow(ctx, `SELECT coach_may_edit_recovery, show_total, celebrate_coach, celebrate_buddy
		FROM recovery_settings WHERE user_id = ?`, memberID).
		Scan(&s.CoachMayEdit, &s.ShowTotal, &s.CelebrateCoach, &s.CelebrateBuddy)
	if err = db.Err(err); err != nil && !errors.Is(err, db.ErrNotFound) {
		return s, fmt.Errorf("members: recovery settings: %w", err)
	}
	return s, nil
}

// SaveRecoverySettings stores the signed-in alumnus' own settings.
func SaveRecoverySettings(ctx context.Context, d *db.DB, actor access.Actor, s RecoverySettings) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		m, err := ownMember(ctx, tx, actor)
		if err != nil {
			return err
		}
		now := clock().UTC()
		res, err := tx.Exec(ctx, `UPDATE recovery_settings SET coach_may_edit_recovery = ?, show_total = ?,
			celebrate_coach = ?, celebrate_buddy = ?, updated_at = ? WHERE user_id = ?`,
			s.CoachMayEdit, s.ShowTotal, s.CelebrateCoach, s.CelebrateBuddy, now, actor.UserID)
		if err != nil {
			return fmt.Errorf("members: save recovery settings: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO recovery_settings (user_id, program_id, coach_may_edit_recovery, show_total,
				celebrate_coach, celebrate_buddy, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				actor.UserID, m.programID, s.CoachMayEdit, s.ShowTotal, s.CelebrateCoach, s.CelebrateBuddy, now); err != nil {
				return fmt.Errorf("members: save recovery settings: %w", err)
			}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "recovery.settings", SubjectType: "user", SubjectID: actor.UserID, ProgramID: m.programID})
	})
}
