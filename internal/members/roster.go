package members

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// RosterStatus is what importing a row would do.
type RosterStatus string

// The statuses of a planned row.
const (
	// RosterNew: the person is invited and their roster data kept.
	RosterNew RosterStatus = "new"
	// RosterExisting: the person is already in the program (an account,
	// an open invitation or an earlier import); nothing changes.
	RosterExisting RosterStatus = "existing"
	// RosterError: the row has problems; the file cannot be imported.
	RosterError RosterStatus = "error"
)

// PlannedRow is one row of a roster file with what importing it would do.
type PlannedRow struct {
	RosterRow
	Status RosterStatus
	Issues []RosterIssue
}

// RosterPlan is the preview of a roster import: every row with its
// status, the counts, and every problem. A plan with Issues cannot be
// imported.
type RosterPlan struct {
	Rows          []PlannedRow
	New, Existing int
	Issues        []RosterIssue
}

// ErrRosterInvalid is returned by ImportRoster when the file has problems;
// the plan returned with it lists them, and nothing was imported.
var ErrRosterInvalid = errors.New("members: the roster file has problems; nothing was imported")

// Inviter creates invitations inside a transaction; *auth.Service is one.
type Inviter interface {
	InviteManyTx(ctx context.Context, tx *db.Tx, actor access.Actor, emails []string, role access.Role) ([]*auth.Invitation, error)
}

// PlanRoster checks a roster file for the actor's program and says what
// importing it would do, without changing anything. Problems with the
// file or its rows are in the plan's Issues; the error is for access
// (access.ErrNotFound unless the actor may import, see
// access.ImportRoster) and database failures. now decides which dates are
// in the future, in the program's time zone.
func PlanRoster(ctx context.Context, q db.Querier, actor access.Actor, data []byte, now time.Time) (*RosterPlan, error) {
	if err := access.ImportRoster(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	return planRoster(ctx, q, actor.ProgramID, data, now)
}

func planRoster(ctx context.Context, q db.Querier, programID string, data []byte, now time.Time) (*RosterPlan, error) {
	plan := &RosterPlan{}
	rows, err := ParseRoster(data)
	var ri *RosterIssue
	if errors.As(err, &ri) {
		plan.Issues = []RosterIssue{*ri}
		return plan, nil
	}
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		plan.Issues = []RosterIssue{{Row: 2, Reason: "the file has no people after the header row"}}
		return plan, nil
	}
	prog, err := programs.Get(ctx, q, programID)
	if err != nil {
		return nil, err
	}
	today := now.In(prog.Location()).Format(time.DateOnly)
	here, err := emailSet(ctx, q, `SELECT email, id FROM users WHERE program_id = ?`, programID)
	if err != nil {
		return nil, err
	}
	imported, err := emailSet(ctx, q, `SELECT email, id FROM roster_entries WHERE program_id = ?`, programID)
	if err != nil {
		return nil, err
	}
	invited, err := emailSet(ctx, q, `SELECT email, id FROM invitations WHERE program_id = ? AND accepted_at IS NULL
		AND revoked_at IS NULL AND expires_at > ?`, programID, now.UTC())
	if err != nil {
		return nil, err
	}
	for e, id := range invited {
		if imported[e] == "" {
			imported[e] = id
		}
	}
	coaches, err := emailSet(ctx, q, `SELECT email, id FROM users WHERE program_id = ? AND disabled_at IS NULL
		AND role IN ('coach', 'coordinator', 'admin')`, programID)
	if err != nil {
		return nil, err
	}
	var fresh []string
	for i := range rows {
		e := strings.ToLower(rows[i].Email)
		if here[e] == "" && imported[e] == "" {
			fresh = append(fresh, e)
		}
	}
	elsewhere, err := emailsElsewhere(ctx, q, programID, fresh)
	if err != nil {
		return nil, err
	}
	firstRow := map[string]int{}
	plan.Rows = make([]PlannedRow, len(rows))
	for i, r := range rows {
		p := PlannedRow{RosterRow: r}
		p.Email = strings.ToLower(r.Email)
		p.CoachEmail = strings.ToLower(r.CoachEmail)
		bad := func(col, reason string) {
			p.Issues = append(p.Issues, RosterIssue{Row: r.Row, Column: col, Reason: reason})
		}
		if p.FirstName == "" {
			bad("first_name", "the first name is missing")
		} else if reason := checkName(p.FirstName); reason != "" {
			bad("first_name", reason)
		}
		if reason := checkName(p.LastName); reason != "" {
			bad("last_name", reason)
		}
		emailOK := false
		switch {
		case p.Email == "":
			bad("email", "the email address is missing")
		case !validEmail(p.Email):
			bad("email", "not an email address like name@example.org")
		case firstRow[p.Email] != 0:
			bad("email", fmt.Sprintf("duplicate: the same email is on row %d", firstRow[p.Email]))
		case elsewhere[p.Email]:
			bad("email", "this person already has an account")
		default:
			emailOK = true
		}
		if emailOK || firstRow[p.Email] == 0 {
			firstRow[p.Email] = r.Row
		}
		if reason := checkPhone(p.Phone); reason != "" {
			bad("phone", reason)
		}
		if reason := checkDate(p.DischargeDate, today); reason != "" {
			bad("discharge_date", reason)
		}
		if reason := checkDate(p.RecoveryDate, today); reason != "" {
			bad("recovery_date", reason)
		}
		if p.CoachEmail != "" {
			switch {
			case !validEmail(p.CoachEmail):
				bad("coach_email", "not an email address like name@example.org")
			case coaches[p.CoachEmail] == "":
				bad("coach_email", "unknown coach: no coach, coordinator or admin of this program has this email")
			case p.CoachEmail == p.Email:
				bad("coach_email", "a person cannot be their own coach")
			}
		}
		switch {
		case len(p.Issues) > 0:
			p.Status = RosterError
			plan.Issues = append(plan.Issues, p.Issues...)
		case here[p.Email] != "" || imported[p.Email] != "":
			p.Status = RosterExisting
			plan.Existing++
		default:
			p.Status = RosterNew
			plan.New++
		}
		plan.Rows[i] = p
	}
	return plan, nil
}

// ImportRoster imports a roster file into the actor's program, all or
// nothing in one transaction: each new person gets an invitation (through
// inv) and their roster data is kept; people already in the program are
// left as they are, so importing the same file again changes nothing. A
// file with problems imports nothing and gives ErrRosterInvalid with the
// plan that lists them. Audited as "roster.import" with the counts only.
func ImportRoster(ctx context.Context, d *db.DB, inv Inviter, actor access.Actor, data []byte, now time.Time) (*RosterPlan, error) {
	if err := access.ImportRoster(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	var plan *RosterPlan
	err := d.Tx(ctx, func(tx *db.Tx) error {
		var err error
		plan, err = importRosterTx(ctx, tx, inv, actor, data, now)
		return err
	})
	return importResult(plan, err)
}

// importResult keeps the plan with ErrRosterInvalid and drops it on other
// errors.
func importResult(plan *RosterPlan, err error) (*RosterPlan, error) {
	if err != nil {
		if errors.Is(err, ErrRosterInvalid) {
			return plan, err
		}
		return nil, err
	}
	return plan, nil
}

// importRosterTx is ImportRoster inside tx; the caller has checked access.
func importRosterTx(ctx context.Context, tx *db.Tx, inv Inviter, actor access.Actor, data []byte, now time.Time) (*RosterPlan, error) {
	plan, err := planRoster(ctx, tx, actor.ProgramID, data, now)
	if err != nil {
		return nil, err
	}
	if len(plan.Issues) > 0 {
		return plan, ErrRosterInvalid
	}
	at := now.UTC().Truncate(time.Microsecond)
	coaches, err := emailSet(ctx, tx, `SELECT email, id FROM users WHERE program_id = ? AND disabled_at IS NULL
		AND role IN ('coach', 'coordinator', 'admin')`, actor.ProgramID)
	if err != nil {
		return nil, err
	}
	var fresh []PlannedRow
	var emails []string
	for _, r := range plan.Rows {
		if r.Status == RosterNew {
			fresh = append(fresh, r)
			emails = append(emails, r.Email)
		}
	}
	invitations, err := inv.InviteManyTx(ctx, tx, actor, emails, access.Alumnus)
	if err != nil {
		return nil, err
	}
	if len(invitations) != len(fresh) {
		return nil, fmt.Errorf("members: %d invitations for %d people", len(invitations), len(fresh))
	}
	for start := 0; start < len(fresh); start += rosterChunk {
		end := min(start+rosterChunk, len(fresh))
		rows := make([][]any, 0, end-start)
		for i := start; i < end; i++ {
			r := fresh[i]
			rows = append(rows, []any{uuid.Must(uuid.NewV7()).String(), actor.ProgramID, r.Email, r.FirstName, r.LastName, r.Phone,
				r.DischargeDate, r.RecoveryDate, coaches[r.CoachEmail], invitations[i].ID, actor.UserID, at})
		}
		if err := tx.InsertRows(ctx, `INSERT INTO roster_entries (id, program_id, email, first_name, last_name, phone,
			discharge_date, recovery_date, coach_id, invitation_id, imported_by, imported_at) VALUES `, rows); err != nil {
			return nil, err
		}
	}
	err = audit.Record(ctx, tx, actor, audit.Event{Action: "roster.import", SubjectType: "program", SubjectID: actor.ProgramID,
		ProgramID: actor.ProgramID, Detail: map[string]string{"new": fmt.Sprint(plan.New), "existing": fmt.Sprint(plan.Existing)}})
	if err != nil {
		return nil, err
	}
	return plan, nil
}

// rosterChunk is how many roster entries go into one multi-row INSERT.
const rosterChunk = 200

// emailSet runs a query of (email, id) rows into a map.
func emailSet(ctx context.Context, q db.Querier, query string, args ...any) (map[string]string, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var e, id string
		if err := rows.Scan(&e, &id); err != nil {
			return nil, err
		}
		out[e] = id
	}
	return out, db.Err(rows.Err())
}

// emailsElsewhere reports which of emails belong to an account, or an
// earlier roster import, of another program.
func emailsElsewhere(ctx context.Context, q db.Querier, programID string, emails []string) (map[string]bool, error) {
	out := map[string]bool{}
	const chunk = 500
	for start := 0; start < len(emails); start += chunk {
		part := emails[start:min(start+chunk, len(emails))]
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(part)), ", ")
		args := make([]any, 0, len(part)+1)
		args = append(args, programID)
		for _, e := range part {
			args = append(args, e)
		}
		for _, table := range []string{"users", "roster_entries"} {
			found, err := emailSet(ctx, q, `SELECT email, program_id FROM `+table+` WHERE program_id <> ? AND email IN (`+marks+`)`, args...)
			if err != nil {
				return nil, err
			}
			for e := range found {
				out[e] = true
			}
		}
	}
	return out, nil
}

// validEmail checks the shape of a lower-cased email address.
func validEmail(email string) bool {
	if len(email) > 254 || strings.Count(email, "@") != 1 {
		return false
	}
	for _, r := range email {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`<>,;"`, r) {
			return false
		}
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return false
	}
	at := strings.IndexByte(email, '@')
	domain := email[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") &&
		!strings.HasSuffix(domain, ".") && !strings.Contains(domain, "..")
}

// checkName returns why a name is not acceptable, or "".
func checkName(s string) string {
	if utf8.RuneCountInString(s) > 100 {
		return "use at most 100 characters"
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "use letters, spaces and punctuation only"
		}
	}
	return ""
}

// checkPhone returns why a phone number is not acceptable, or "".
func checkPhone(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > 32 {
		return "use at most 32 characters"
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-() .", r):
		default:
			return "use digits, spaces and + - ( ) . only"
		}
	}
	if digits < 5 {
		return "a phone number has at least 5 digits"
	}
	return ""
}

// checkDate returns why an optional YYYY-MM-DD date is not acceptable
// (malformed, before 1900, or after today), or "".
func checkDate(s, today string) string {
	if s == "" {
		return ""
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != 10 {
		return "not a date in the form YYYY-MM-DD"
	}
	if t.Year() < 1900 {
		return "the date is before 1900"
	}
	if s > today {
		return "the date is in the future"
	}
	return ""
}
