package buddies

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/crisis"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// MaxText bounds what an offer or a request says in words.
const MaxText = 1000

// MaxAvailability bounds an offer's note on when the buddy is available.
const MaxAvailability = 200

// clock is the package's clock; tests replace it.
var clock = time.Now

func now() time.Time { return clock().UTC().Truncate(time.Microsecond) }

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// today is the calendar day in the program's time zone.
func today(ctx context.Context, q db.Querier, programID string) (members.Date, error) {
	p, err := programs.Get(ctx, q, programID)
	if err != nil {
		return members.Date{}, fmt.Errorf("buddies: program: %w", err)
	}
	return members.Today(p.Location(), clock()), nil
}

// cleanText trims s and checks it is valid text of at most max characters
// (new lines allowed when multiline).
func cleanText(s string, max int, multiline bool) (string, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return s, false
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) {
			return s, false
		}
	}
	return s, true
}

func encodeList(l []string) string {
	if l == nil {
		l = []string{}
	}
	b, _ := json.Marshal(l)
	return string(b)
}

func decodeList(s string) []string {
	var out []string
	if json.Unmarshal([]byte(s), &out) != nil {
		return nil
	}
	return out
}

// person is what the buddy program shows of someone: their first name and
// last initial.
type person struct {
	ID, First, Last, Role string
	Disabled              bool
	ProgramID             string
}

func (p person) name() string {
	name := strings.TrimSpace(p.First)
	if l := strings.TrimSpace(p.Last); l != "" {
		r, _ := utf8.DecodeRuneInString(l)
		name += " " + string(r) + "."
	}
	if name == "" {
		return "A member"
	}
	return name
}

// loadPerson reads userID; a missing user is db.ErrNotFound.
func loadPerson(ctx context.Context, q db.Querier, userID string) (person, error) {
	p := person{ID: userID}
	var disabled *time.Time
	err := q.QueryRow(ctx, `SELECT program_id, first_name, last_name, role, disabled_at FROM users WHERE id = ?`, userID).
		Scan(&p.ProgramID, &p.First, &p.Last, &p.Role, &disabled)
	if err != nil {
		return p, db.Err(err)
	}
	p.Disabled = disabled != nil
	return p, nil
}

// names maps the ids to display names (first name, last initial).
func names(ctx context.Context, q db.Querier, ids map[string]bool) (map[string]string, error) {
	out := map[string]string{}
	for id := range ids {
		p, err := loadPerson(ctx, q, id)
		if errors.Is(err, db.ErrNotFound) {
			out[id] = "A member"
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("buddies: names: %w", err)
		}
		out[id] = p.name()
	}
	return out, nil
}

// invalid is a ValidationError about one field.
func invalid(field, message string) error {
	return members.ValidationError{{Field: field, Message: message}}
}

// saved is the one ending of saving what a member wrote (their offer or
// their request), in its transaction: the save is audited as ev, and text
// is checked for crisis language, so that their coach is told (the crisis
// source is ev's subject). It reports whether text was flagged.
func saved(ctx context.Context, tx *db.Tx, actor access.Actor, ev audit.Event, text string) (bool, error) {
	if err := audit.Record(ctx, tx, actor, ev); err != nil {
		return false, err
	}
	return crisis.Check(ctx, tx, actor, text, crisis.Source{Kind: ev.SubjectType, ID: ev.SubjectID, Link: "/members/" + actor.UserID})
}
