package members

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Disclosure is one entry of an alumnus' accounting of disclosures: who
// saw what, when, through which consent.
type Disclosure struct {
	ID, ConsentID string
	// ConsentVersion is the version of the consent relied on.
	ConsentVersion int
	RecipientID    string
	// RecipientName is the family member's full name on their account.
	RecipientName string
	Category      Category
	// Channel is how it went out: ChannelPage or ChannelNotification.
	Channel     string
	RequestID   string
	DisclosedAt time.Time
}

// recordDisclosure logs one disclosure of category under consent c to
// actor, in the accounting of disclosures and the audit log.
func recordDisclosure(ctx context.Context, tx *db.Tx, actor access.Actor, c *Consent, cat Category, channel string) error {
	id := uuid.Must(uuid.NewV7()).String()
	if _, err := tx.Exec(ctx, `INSERT INTO disclosures (id, program_id, consent_id, alumnus_id, recipient_id, category, channel, request_id, disclosed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, c.ProgramID, c.ID, c.AlumnusID, actor.UserID, string(cat), channel,
		actor.RequestID, consentNow()); err != nil {
		return err
	}
	return audit.Record(ctx, tx, actor, audit.Event{Action: "disclosure", SubjectType: "consent", SubjectID: c.ID,
		Detail: map[string]string{"category": string(cat), "channel": channel, "disclosure": id}})
}

// ListDisclosures returns the alumnus actor's accounting of disclosures,
// newest first; anyone else gets access.ErrNotFound. Audited as
// "disclosure.list".
func ListDisclosures(ctx context.Context, d *db.DB, actor access.Actor) ([]*Disclosure, error) {
	if _, err := loadConsentPatient(ctx, d, actor); err != nil {
		return nil, err
	}
	out, err := disclosuresOf(ctx, d, actor.UserID)
	if err != nil {
		return nil, err
	}
	if err := audit.RecordNow(ctx, d, actor, audit.Event{Action: "disclosure.list", SubjectType: "user", SubjectID: actor.UserID}); err != nil {
		return nil, err
	}
	return out, nil
}

// disclosuresOf loads the accounting of disclosures of alumnusID.
func disclosuresOf(ctx context.Context, q db.Querier, alumnusID string) ([]*Disclosure, error) {
	rows, err := q.Query(ctx, `SELECT x.id, x.consent_id, c.version, x.recipient_id, u.first_name, u.last_name, x.category, x.channel,
		x.request_id, x.disclosed_at
		FROM disclosures x JOIN consents c ON c.id = x.consent_id JOIN users u ON u.id = x.recipient_id
		WHERE x.alumnus_id = ? ORDER BY x.disclosed_at DESC, x.id DESC`, alumnusID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Disclosure
	for rows.Next() {
		var x Disclosure
		var first, last, cat string
		if err := rows.Scan(&x.ID, &x.ConsentID, &x.ConsentVersion, &x.RecipientID, &first, &last, &cat, &x.Channel,
			&x.RequestID, &x.DisclosedAt); err != nil {
			return nil, err
		}
		x.RecipientName = (&consentPatient{first: first, last: last}).fullName()
		x.Category = Category(cat)
		out = append(out, &x)
	}
	return out, db.Err(rows.Err())
}

// WriteDisclosuresCSV writes list as CSV, times in loc, every cell guarded
// against formula injection (CSVSafe). The last line is the redisclosure
// notice.
func WriteDisclosuresCSV(w io.Writer, list []*Disclosure, loc *time.Location) error {
	if loc == nil {
		loc = time.UTC
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"when", "recipient", "what", "channel", "consent_id", "consent_version", "request_id"}); err != nil {
		return err
	}
	for _, x := range list {
		row := []string{x.DisclosedAt.In(loc).Format(time.RFC3339), x.RecipientName, x.Category.Label(), x.Channel, x.ConsentID,
			strconv.Itoa(x.ConsentVersion), x.RequestID}
		if err := cw.Write(CSVSafeRow(row)); err != nil {
			return err
		}
	}
	if err := cw.Write([]string{RedisclosureNotice}); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
