package crisis

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// NotifyEvery is the shortest time between two notifications to staff
// about one member's flags: every flag is recorded, but a member who
// writes several messages in a hard hour sends their coach one urgent
// notification, not ten.
const NotifyEvery = 30 * time.Minute

// clock is the package's clock; tests replace it.
var clock = time.Now

// Words of the notifications. They never hold what the member wrote, nor
// their name: email and text messages leave the site. The link goes to
// the member's profile, where staff see who it is.
const (
	flagTitleCoach = "A member in your caseload may need support now"
	flagTitleStaff = "A member of your program may need support now"
	flagBody       = "Something a member wrote in Cairn suggests they may be going through a very hard time. " +
		"Please open Cairn to see who, and reach out to them as soon as you can. " +
		"What they wrote was sent as usual; it is not shown here."
)

// errBadSource is returned for a Source that cannot be recorded.
type errBadSource string

func (e errBadSource) Error() string { return "crisis: " + string(e) }

// validate checks the source a caller gives.
func (s Source) validate() error {
	switch {
	case s.Kind == "" || len(s.Kind) > 40 || strings.IndexFunc(s.Kind, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r == '_') }) >= 0:
		return errBadSource("source kind must be a short lowercase word, such as message")
	case len(s.ID) > 200 || !utf8.ValidString(s.ID):
		return errBadSource("source id is too long")
	}
	return nil
}

// flag is Flag.
func flag(ctx context.Context, tx *db.Tx, author access.Actor, src Source) error {
	if !member(author) {
		return nil // see Check: staff, the installation and visitors are not flagged
	}
	if err := src.validate(); err != nil {
		return err
	}
	now := clock().UTC().Truncate(time.Microsecond)
	notified, err := claimNotify(ctx, tx, author.UserID, now)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO crisis_flags (id, program_id, user_id, source_kind, source_id, notified, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, uuid.Must(uuid.NewV7()).String(), author.ProgramID, author.UserID, src.Kind, src.ID, notified, now); err != nil {
		return fmt.Errorf("crisis: record flag: %w", db.Err(err))
	}
	if notified {
		if err := tellStaff(ctx, tx, author, flagTitleCoach, flagTitleStaff, flagBody); err != nil {
			return err
		}
	}
	return audit.Record(ctx, tx, author, audit.Event{Action: "crisis.flag", SubjectType: "user", SubjectID: author.UserID,
		Detail: map[string]string{"source_kind": src.Kind, "source_id": src.ID, "notified": fmt.Sprint(notified)}})
}

// claimNotify claims, for the member userID, the right to tell staff
// about a flag at now: it reports true when nobody was told about their
// flags in the last NotifyEvery. The claim is one conditional upsert on
// the member's row of crisis_notify_claims, so that of two flags written
// at the same moment in two transactions only one wins: on PostgreSQL
// the second waits for the first's row lock and then finds the row
// claimed; SQLite has a single writer.
//
// The audit chain's lock is taken first: callers often audit earlier in
// the same transaction, which takes that lock, and two transactions must
// not take the two locks in opposite orders (a deadlock). Flag audits
// anyway, so it costs nothing more.
func claimNotify(ctx context.Context, tx *db.Tx, userID string, now time.Time) (bool, error) {
	if err := tx.LockAuditChain(ctx); err != nil {
		return false, fmt.Errorf("crisis: lock: %w", err)
	}
	res, err := tx.Exec(ctx, `INSERT INTO crisis_notify_claims (user_id, notified_at) VALUES (?, ?)
		ON CONFLICT (user_id) DO UPDATE SET notified_at = excluded.notified_at
		WHERE crisis_notify_claims.notified_at <= ?`, userID, now, now.Add(-NotifyEvery))
	if err != nil {
		return false, fmt.Errorf("crisis: claim notification: %w", db.Err(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("crisis: claim notification: %w", err)
	}
	return n > 0, nil
}

// supporters returns who is told about member: their coaches, or when
// they have none the program's coordinators, or when it has none its
// admins. coach reports that they are the member's coaches.
func supporters(ctx context.Context, q db.Querier, member access.Actor) (ids []string, coach bool, err error) {
	ids, err = queryIDs(ctx, q, `SELECT c.coach_id FROM coach_assignments c JOIN users u ON u.id = c.coach_id
		WHERE c.member_id = ? AND c.program_id = ? AND u.program_id = ? AND u.disabled_at IS NULL ORDER BY c.coach_id`,
		member.UserID, member.ProgramID, member.ProgramID)
	if err != nil || len(ids) > 0 {
		return ids, len(ids) > 0, err
	}
	for _, role := range []access.Role{access.Coordinator, access.Admin} {
		ids, err = queryIDs(ctx, q, `SELECT id FROM users WHERE program_id = ? AND role = ? AND disabled_at IS NULL ORDER BY id`,
			member.ProgramID, string(role))
		if err != nil || len(ids) > 0 {
			return ids, false, err
		}
	}
	return nil, false, nil
}

// tellStaff sends an urgent notification about member to their
// supporters, linking to the member's profile (an alumnus) or their page
// in the program's people list (a family member).
func tellStaff(ctx context.Context, tx *db.Tx, member access.Actor, titleCoach, titleStaff, body string) error {
	ids, coach, err := supporters(ctx, tx, member)
	if err != nil {
		return err
	}
	title := titleStaff
	if coach {
		title = titleCoach
	}
	// Alumni have a profile their coach and the staff open; family members
	// are found on the program's people page.
	link := "/members/" + member.UserID
	if member.Role != access.Alumnus {
		link = "/admin/people/" + member.UserID
	}
	for _, id := range ids {
		if _, err := notify.Send(ctx, tx, id, notify.KindSupportRequest, notify.Data{
			Title: title, Body: body, Link: link}); err != nil {
			return fmt.Errorf("crisis: notify: %w", err)
		}
	}
	return nil
}

func queryIDs(ctx context.Context, q db.Querier, query string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("crisis: supporters: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("crisis: supporters: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
