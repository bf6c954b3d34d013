package events

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// How people are checked in.
const (
	MethodStaff  = "staff"
	MethodCode   = "code"
	MethodWalkIn = "walk_in"
)

// Limits of the check-in list.
const (
	// MaxWalkInName bounds a walk-in's name, in characters.
	MaxWalkInName = 100
	// maxSearchMatches bounds the program members a search adds to the
	// check-in list.
	maxSearchMatches = 25
	// MaxAttendanceHistory bounds one page of AttendanceHistory.
	MaxAttendanceHistory = 500
)

// CheckInRow is one line of an occurrence's check-in list.
type CheckInRow struct {
	// UserID is "" for a walk-in.
	UserID string
	// DisplayName is the person's full name (staff use this list), or the
	// name a walk-in gave.
	DisplayName string
	// RSVPState is the person's RSVP state, "" without one.
	RSVPState string
	// AttendanceID is the check-in to undo, "" if not checked in.
	AttendanceID string
	WalkIn       bool
}

// CheckInList returns the check-in list of one occurrence for staff
// (access TakeAttendance): everyone who RSVP'd yes or maybe (confirmed,
// waitlisted, tentative) and everyone already checked in, walk-ins
// included, by name. A non-empty search keeps the lines whose name
// contains it (ignoring case) and adds up to 25 other members of the
// program who may see the event and whose name matches, so that a member
// who came without an RSVP can be checked in too. An event the actor may
// not manage, or an occurrence that does not exist, is db.ErrNotFound.
func CheckInList(ctx context.Context, q db.Querier, actor access.Actor, eventID, occ, search string) ([]CheckInRow, error) {
	e, err := loadEvent(ctx, q, eventID)
	if err != nil {
		return nil, err
	}
	if err := access.TakeAttendance(actor, e.ProgramID); err != nil {
		return nil, err
	}
	if _, err := loadOccurrence(ctx, q, e.ID, occ); err != nil {
		return nil, err
	}
	needle := strings.ToLower(strings.Join(strings.Fields(search), " "))
	match := func(name string) bool { return needle == "" || strings.Contains(strings.ToLower(name), needle) }
	var out []CheckInRow
	seen := map[string]bool{}
	rows, err := q.Query(ctx, `SELECT r.user_id, u.first_name, u.last_name, u.email, r.state, COALESCE(a.id, '')
		FROM event_rsvps r JOIN users u ON u.id = r.user_id
		LEFT JOIN event_attendance a ON a.event_id = r.event_id AND a.occurrence = r.occurrence AND a.user_id = r.user_id
		WHERE r.event_id = ? AND r.occurrence = ? AND (r.state <> 'declined' OR a.id IS NOT NULL)`, e.ID, occ)
	if err != nil {
		return nil, fmt.Errorf("events: check-in list: %w", err)
	}
	for rows.Next() {
		var r CheckInRow
		var first, last, email string
		if err := rows.Scan(&r.UserID, &first, &last, &email, &r.RSVPState, &r.AttendanceID); err != nil {
			rows.Close()
			return nil, err
		}
		seen[r.UserID] = true
		if r.DisplayName = fullName(first, last, email); match(r.DisplayName) {
			out = append(out, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT a.id, COALESCE(a.user_id, ''), COALESCE(u.first_name, ''), COALESCE(u.last_name, ''),
		COALESCE(u.email, ''), a.walk_in_name
		FROM event_attendance a LEFT JOIN users u ON u.id = a.user_id
		WHERE a.event_id = ? AND a.occurrence = ?`, e.ID, occ)
	if err != nil {
		return nil, fmt.Errorf("events: check-in list: %w", err)
	}
	for rows.Next() {
		var r CheckInRow
		var first, last, email, walkIn string
		if err := rows.Scan(&r.AttendanceID, &r.UserID, &first, &last, &email, &walkIn); err != nil {
			rows.Close()
			return nil, err
		}
		if r.UserID == "" {
			r.DisplayName, r.WalkIn = walkIn, true
		} else if seen[r.UserID] {
			continue
		} else {
			seen[r.UserID] = true
			r.DisplayName = fullName(first, last, email)
		}
		if match(r.DisplayName) {
			out = append(out, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if needle != "" {
		more, err := searchMembers(ctx, q, e, needle, seen)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		return strings.ToLower(out[i].DisplayName) < strings.ToLower(out[j].DisplayName)
	})
	return out, nil
}

// searchMembers finds members of e's program who may see e, whose name
// contains needle (lower case) and who are not in seen.
func searchMembers(ctx context.Context, q db.Querier, e *Event, needle string, seen map[string]bool) ([]CheckInRow, error) {
	pattern := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(needle) + "%"
	rows, err := q.Query(ctx, `SELECT id, first_name, last_name, email, role FROM users
		WHERE program_id = ? AND disabled_at IS NULL AND role IN ('alumnus', 'family')
		AND lower(first_name || ' ' || last_name) LIKE ? ESCAPE '\'
		ORDER BY first_name, last_name, id LIMIT ?`, e.ProgramID, pattern, maxSearchMatches+len(seen))
	if err != nil {
		return nil, fmt.Errorf("events: check-in search: %w", err)
	}
	defer rows.Close()
	var out []CheckInRow
	for rows.Next() {
		var id, first, last, email, role string
		if err := rows.Scan(&id, &first, &last, &email, &role); err != nil {
			return nil, err
		}
		viewer := access.Actor{UserID: id, ProgramID: e.ProgramID, Role: access.Role(role)}
		if seen[id] || access.ViewEvent(viewer, e.ProgramID, string(e.Audience)) != nil || len(out) == maxSearchMatches {
			continue
		}
		out = append(out, CheckInRow{UserID: id, DisplayName: fullName(first, last, email)})
	}
	return out, rows.Err()
}

// CheckIn records that userID came to one occurrence, checked in by staff
// (access TakeAttendance), and returns the attendance id. Checking in
// someone already in returns their existing attendance and changes
// nothing. Staff may record attendance at any time, also after the event;
// a cancelled occurrence takes none (a validation error on "occurrence").
// A person who is not an active member of the event's program is
// db.ErrNotFound. Audited as events.checkin.
func CheckIn(ctx context.Context, d *db.DB, actor access.Actor, eventID, occ, userID string) (string, error) {
	e, err := loadEvent(ctx, d, eventID)
	if err != nil {
		return "", err
	}
	if err := access.TakeAttendance(actor, e.ProgramID); err != nil {
		return "", err
	}
	var program string
	err = d.QueryRow(ctx, `SELECT program_id FROM users WHERE id = ? AND disabled_at IS NULL`, userID).Scan(&program)
	if err = db.Err(err); err != nil {
		return "", err
	}
	if program != e.ProgramID {
		return "", db.ErrNotFound
	}
	var id string
	err = d.Tx(ctx, func(tx *db.Tx) error {
		id, err = checkInTx(ctx, tx, actor, e, occ, userID, MethodStaff)
		return err
	})
	return id, err
}

// checkInTx checks userID in at the occurrence by method, once: it locks
// the occurrence, returns the existing attendance if there is one, and
// otherwise records and audits a new one.
func checkInTx(ctx context.Context, tx *db.Tx, actor access.Actor, e *Event, occ, userID, method string) (string, error) {
	if err := lockOpen(ctx, tx, e, occ); err != nil {
		return "", err
	}
	var id string
	err := db.Err(tx.QueryRow(ctx, `SELECT id FROM event_attendance WHERE event_id = ? AND occurrence = ? AND user_id = ?`,
		e.ID, occ, userID).Scan(&id))
	if err == nil {
		return id, nil
	}
	if err != db.ErrNotFound {
		return "", err
	}
	id = uuid.Must(uuid.NewV7()).String()
	if _, err := tx.Exec(ctx, `INSERT INTO event_attendance (id, event_id, occurrence, program_id, user_id, method, checked_in_at, checked_in_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, e.ID, occ, e.ProgramID, userID, method,
		now().UTC().Truncate(time.Microsecond), actor.UserID); err != nil {
		return "", fmt.Errorf("events: check in: %w", err)
	}
	return id, audit.Record(ctx, tx, actor, audit.Event{Action: "events.checkin", SubjectType: "event", SubjectID: e.ID,
		Detail: map[string]string{"occurrence": occ, "method": method}})
}

// lockOpen locks an occurrence that takes attendance: it exists and
// neither it nor its event is cancelled.
func lockOpen(ctx context.Context, tx *db.Tx, e *Event, occ string) error {
	ok, err := lockOccurrence(ctx, tx, e.ID, occ)
	if err != nil {
		return err
	}
	if !ok {
		return db.ErrNotFound
	}
	var cancelled bool
	if err := tx.QueryRow(ctx, `SELECT cancelled FROM event_occurrences WHERE event_id = ? AND occurrence = ?`,
		e.ID, occ).Scan(&cancelled); err != nil {
		return db.Err(err)
	}
	if cancelled || e.Cancelled() {
		return rsvpField("occurrence", "This date was cancelled, so nobody can be checked in.")
	}
	return nil
}

// UndoCheckIn removes one check-in (of a member or a walk-in) of the
// occurrence, for staff (access TakeAttendance). An unknown attendance id
// is db.ErrNotFound. Audited as events.checkin_undo.
func UndoCheckIn(ctx context.Context, d *db.DB, actor access.Actor, eventID, occ, attendanceID string) error {
	e, err := loadEvent(ctx, d, eventID)
	if err != nil {
		return err
	}
	if err := access.TakeAttendance(actor, e.ProgramID); err != nil {
		return err
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		var method string
		err := tx.QueryRow(ctx, `SELECT method FROM event_attendance WHERE id = ? AND event_id = ? AND occurrence = ?`,
			attendanceID, e.ID, occ).Scan(&method)
		if err != nil {
			return db.Err(err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM event_attendance WHERE id = ?`, attendanceID); err != nil {
			return fmt.Errorf("events: undo check-in: %w", err)
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "events.checkin_undo", SubjectType: "event", SubjectID: e.ID,
			Detail: map[string]string{"occurrence": occ, "method": method}})
	})
}

// AddWalkIn records a walk-in known only by name (1 to 100 characters,
// one line) at the occurrence, for staff (access TakeAttendance), and
// returns the attendance id. Audited as events.walk_in (without the name).
func AddWalkIn(ctx context.Context, d *db.DB, actor access.Actor, eventID, occ, name string) (string, error) {
	e, err := loadEvent(ctx, d, eventID)
	if err != nil {
		return "", err
	}
	if err := access.TakeAttendance(actor, e.ProgramID); err != nil {
		return "", err
	}
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case name == "":
		return "", rsvpField("name", "is required")
	case !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", rsvpField("name", "must be plain text on one line")
	case utf8.RuneCountInString(name) > MaxWalkInName:
		return "", rsvpField("name", fmt.Sprintf("can be at most %d characters", MaxWalkInName))
	}
	id := uuid.Must(uuid.NewV7()).String()
	err = d.Tx(ctx, func(tx *db.Tx) error {
		if err := lockOpen(ctx, tx, e, occ); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO event_attendance (id, event_id, occurrence, program_id, walk_in_name, method, checked_in_at, checked_in_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, e.ID, occ, e.ProgramID, name, MethodWalkIn,
			now().UTC().Truncate(time.Microsecond), actor.UserID); err != nil {
			return fmt.Errorf("events: walk-in: %w", err)
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "events.walk_in", SubjectType: "event", SubjectID: e.ID,
			Detail: map[string]string{"occurrence": occ}})
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// Attended is one occurrence a member came to.
type Attended struct {
	EventID, Occurrence, Title string
	Kind                       Kind
	Start                      time.Time
	// Method is how they were checked in: staff or code.
	Method string
}

// AttendanceHistory returns the occurrences memberID came to, latest
// first, at most limit (1 to MaxAttendanceHistory; other values mean
// MaxAttendanceHistory). A member sees their own; staff anyone's in their
// program (access SeeAttendanceOf); anyone else gets db.ErrNotFound. A
// staff member's read of someone else's history is audited
// (events.attendance_history), in the same transaction as the read: q's
// own when q is a *db.Tx, a new one when q is a *db.DB.
func AttendanceHistory(ctx context.Context, q db.Querier, actor access.Actor, memberID string, limit int) ([]Attended, error) {
	var program string
	if err := db.Err(q.QueryRow(ctx, `SELECT program_id FROM users WHERE id = ?`, memberID).Scan(&program)); err != nil {
		return nil, err
	}
	if err := access.SeeAttendanceOf(actor, program, memberID); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxAttendanceHistory {
		limit = MaxAttendanceHistory
	}
	if actor.UserID == memberID {
		return attendanceOf(ctx, q, memberID, program, limit)
	}
	read := func(tx *db.Tx) ([]Attended, error) {
		out, err := attendanceOf(ctx, tx, memberID, program, limit)
		if err != nil {
			return nil, err
		}
		return out, audit.Record(ctx, tx, actor, audit.Event{Action: "events.attendance_history", SubjectType: "user",
			SubjectID: memberID, ProgramID: program, Detail: map[string]string{"rows": fmt.Sprint(len(out))}})
	}
	switch v := q.(type) {
	case *db.Tx:
		return read(v)
	case *db.DB:
		var out []Attended
		err := v.Tx(ctx, func(tx *db.Tx) error {
			var err error
			out, err = read(tx)
			return err
		})
		return out, err
	}
	return nil, fmt.Errorf("events: attendance history: cannot audit through %T", q)
}

// attendanceOf reads the occurrences memberID of program came to, latest
// first, at most limit, for a caller that has checked access.
func attendanceOf(ctx context.Context, q db.Querier, memberID, program string, limit int) ([]Attended, error) {
	rows, err := q.Query(ctx, `SELECT a.event_id, a.occurrence, e.title, e.kind, o.starts_at, a.method
		FROM event_attendance a
		JOIN event_occurrences o ON o.event_id = a.event_id AND o.occurrence = a.occurrence
		JOIN events e ON e.id = a.event_id
		WHERE a.user_id = ? AND a.program_id = ?
		ORDER BY o.starts_at DESC, a.event_id LIMIT ?`, memberID, program, limit)
	if err != nil {
		return nil, fmt.Errorf("events: attendance history: %w", err)
	}
	defer rows.Close()
	var out []Attended
	for rows.Next() {
		var a Attended
		var kind string
		if err := rows.Scan(&a.EventID, &a.Occurrence, &a.Title, &kind, &a.Start, &a.Method); err != nil {
			return nil, err
		}
		a.Kind = Kind(kind)
		out = append(out, a)
	}
	return out, rows.Err()
}
