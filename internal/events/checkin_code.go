package events

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Check-in codes. Each occurrence has a short code that staff show on a
// screen at the venue and members type to check themselves in. It is
// derived, not stored: an HMAC-SHA256 of the event id and the occurrence
// under a key derived from the installation's secret key, written as six
// characters from an alphabet without look-alikes (no 0/O, 1/I/L). That is
// 31⁶ ≈ 887 million codes, and a code only works for members of the
// event's program while its check-in window is open.

// codeAlphabet has 31 characters that are hard to confuse.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// CodeLength is the number of characters of a check-in code.
const CodeLength = 6

// Check-in window: a code works from CheckInOpensBefore the start until
// the occurrence's end.
const CheckInOpensBefore = 30 * time.Minute

var checkInKey atomic.Pointer[[]byte]

func init() {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	checkInKey.Store(&k)
}

// SetCheckInKey derives the key of check-in codes from the installation's
// secret key. The application calls it once at start, so that every
// instance shows and accepts the same codes; until then a random key is
// used.
func SetCheckInKey(secretKey []byte) {
	mac := hmac.New(sha256.New, secretKey)
	mac.Write([]byte("cairn events check-in code v1"))
	k := mac.Sum(nil)
	checkInKey.Store(&k)
}

// checkInCode is the code of occurrence occ of event eventID.
func checkInCode(eventID, occ string) string {
	mac := hmac.New(sha256.New, *checkInKey.Load())
	mac.Write([]byte(eventID))
	mac.Write([]byte{0})
	mac.Write([]byte(occ))
	n := binary.BigEndian.Uint64(mac.Sum(nil))
	b := make([]byte, CodeLength)
	for i := range b {
		b[i] = codeAlphabet[n%uint64(len(codeAlphabet))]
		n /= uint64(len(codeAlphabet))
	}
	return string(b)
}

// normalizeCode reads a typed code: spaces and dashes are dropped and
// letters upper-cased. It reports false for anything that cannot be a
// code.
func normalizeCode(s string) (string, bool) {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(s)))
	if len(s) != CodeLength {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(codeAlphabet, s[i]) < 0 {
			return "", false
		}
	}
	return s, true
}

// CheckInCode returns the check-in code of one occurrence, for staff
// (access TakeAttendance) to show at the venue. An occurrence that does
// not exist is db.ErrNotFound.
func CheckInCode(ctx context.Context, q db.Querier, actor access.Actor, eventID, occ string) (string, error) {
	e, err := loadEvent(ctx, q, eventID)
	if err != nil {
		return "", err
	}
	if err := access.TakeAttendance(actor, e.ProgramID); err != nil {
		return "", err
	}
	if _, err := loadOccurrence(ctx, q, e.ID, occ); err != nil {
		return "", err
	}
	return checkInCode(e.ID, occ), nil
}

// errBadCode is the answer to a code that matches no open occurrence.
func errBadCode() error {
	return rsvpField("code", "That code doesn't match a gathering that is open for check-in right now. "+
		"Check the code on the screen (check-in opens 30 minutes before the start), or ask a staff member.")
}

// CodeCheckIn is what a check-in with a code did: the occurrence it named
// and the actor's attendance entry there.
type CodeCheckIn struct {
	Event        *Event
	Occurrence   *Occurrence
	AttendanceID string
}

// CheckInWithCode checks the actor in with a code typed at the venue: it
// must be the code of an occurrence of the actor's program that the actor
// may see, not cancelled, whose check-in window is open (from 30 minutes
// before the start to the end). It returns that event and occurrence and
// the actor's attendance entry there; checking in twice is fine (the same
// entry). A code that is malformed, wrong, or outside its window is a
// validation error on "code". Audited as events.checkin with method code.
func CheckInWithCode(ctx context.Context, d *db.DB, actor access.Actor, code string) (*CodeCheckIn, error) {
	if actor.Anonymous() || actor.ProgramID == "" {
		return nil, access.ErrNotFound
	}
	code, ok := normalizeCode(code)
	if !ok {
		return nil, rsvpField("code", fmt.Sprintf("must be the %d letters and numbers shown at the venue", CodeLength))
	}
	t := now()
	// An occurrence lasts at most maxEventDuration minutes, which bounds
	// how long ago an open one can have started.
	rows, err := d.Query(ctx, `SELECT event_id, occurrence FROM event_occurrences
		WHERE program_id = ? AND starts_at >= ? AND starts_at <= ? AND ends_at >= ? AND cancelled = FALSE`,
		actor.ProgramID, t.Add(-time.Duration(maxEventDuration)*time.Minute), t.Add(CheckInOpensBefore), t)
	if err != nil {
		return nil, fmt.Errorf("events: check-in code: %w", err)
	}
	var eventID, occ string
	for rows.Next() {
		var id, o string
		if err := rows.Scan(&id, &o); err != nil {
			rows.Close()
			return nil, err
		}
		if subtle.ConstantTimeCompare([]byte(checkInCode(id, o)), []byte(code)) == 1 && eventID == "" {
			eventID, occ = id, o
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if eventID == "" {
		return nil, errBadCode()
	}
	e, err := loadEvent(ctx, d, eventID)
	if err != nil {
		return nil, err
	}
	if e.Cancelled() || access.ViewEvent(actor, e.ProgramID, string(e.Audience)) != nil {
		return nil, errBadCode()
	}
	var attendanceID string
	err = d.Tx(ctx, func(tx *db.Tx) (err error) {
		attendanceID, err = checkInTx(ctx, tx, actor, e, occ, actor.UserID, MethodCode)
		return err
	})
	if err != nil {
		return nil, err
	}
	o, err := loadOccurrence(ctx, d, e.ID, occ)
	if err != nil {
		return nil, err
	}
	return &CodeCheckIn{Event: e, Occurrence: o, AttendanceID: attendanceID}, nil
}
