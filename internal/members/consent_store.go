package members

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// consentPatient is what a consent needs to know about the alumnus.
type consentPatient struct {
	first, last, email string
	program            *programs.Program
}

// fullName is the patient's name as the consent shows it.
func (p *consentPatient) fullName() string {
	return strings.TrimSpace(strings.TrimSpace(p.first) + " " + strings.TrimSpace(p.last))
}

// loadConsentPatient loads the alumnus actor and their program; anyone
// else is access.ErrNotFound.
func loadConsentPatient(ctx context.Context, q db.Querier, actor access.Actor) (*consentPatient, error) {
	if err := access.ManageConsents(actor, actor.UserID); err != nil {
		return nil, err
	}
	var p consentPatient
	var programID string
	err := q.QueryRow(ctx, `SELECT first_name, last_name, email, program_id FROM users
		WHERE id = ? AND role = 'alumnus' AND disabled_at IS NULL`, actor.UserID).Scan(&p.first, &p.last, &p.email, &programID)
	if err != nil {
		return nil, db.Err(err)
	}
	if programID != actor.ProgramID {
		return nil, access.ErrNotFound
	}
	if p.program, err = programs.Get(ctx, q, programID); err != nil {
		return nil, err
	}
	return &p, nil
}

// ConsentForm is what the consent form shows the alumnus before they sign:
// the elements that Cairn fills in itself.
type ConsentForm struct {
	// PatientName is the alumnus' full name; Discloser the program's name.
	PatientName, Discloser string
	// Today is the signing date in the program's time zone.
	Today Date
}

// NewConsentForm returns the fixed elements of a new consent for the
// alumnus actor; anyone else gets access.ErrNotFound.
func NewConsentForm(ctx context.Context, d *db.DB, actor access.Actor) (*ConsentForm, error) {
	p, err := loadConsentPatient(ctx, d, actor)
	if err != nil {
		return nil, err
	}
	return &ConsentForm{PatientName: p.fullName(), Discloser: p.program.Name,
		Today: Today(p.program.Location(), consentNow())}, nil
}

// CreateConsent stores a new consent version signed by the alumnus actor,
// after checking every element of 42 CFR 2.31 (a missing or bad element
// gives a ValidationError naming each field, and nothing is stored). The
// consent supersedes the newest earlier version for the same recipient.
// When the recipient is not yet linked to the alumnus, an invitation to
// join as family is created through inviter in the same transaction, so
// that it goes out only with a stored consent; an email that already has
// an account of its own is refused on "recipient_email". Audited as
// "consent.create".
func CreateConsent(ctx context.Context, d *db.DB, inviter *auth.Service, actor access.Actor, in ConsentInput) (*Consent, error) {
	p, err := loadConsentPatient(ctx, d, actor)
	if err != nil {
		return nil, err
	}
	now := consentNow()
	today := Today(p.program.Location(), now)
	if v := in.validate(today, p.fullName(), p.email); len(v) > 0 {
		return nil, v
	}
	c := &Consent{ID: uuid.Must(uuid.NewV7()).String(), ProgramID: p.program.ID, AlumnusID: actor.UserID,
		PatientName: p.fullName(), Discloser: p.program.Name, RecipientName: in.RecipientName, RecipientEmail: in.RecipientEmail,
		Share: in.Share, Purpose: in.Purpose, RevocationAcknowledged: true, ExpiryEvent: in.ExpiryEvent,
		Signature: in.Signature, SignedOn: today, Version: 1, CreatedAt: now}
	if in.ExpiresOn != "" {
		c.ExpiresOn, _ = ParseDate(in.ExpiresOn) // checked by validate
	}
	err = d.Tx(ctx, func(tx *db.Tx) error {
		prior, err := queryConsents(ctx, tx, `SELECT `+consentColumns+` FROM consents c
			WHERE c.alumnus_id = ? AND c.recipient_email = ? ORDER BY c.version DESC LIMIT 1`, c.AlumnusID, c.RecipientEmail)
		if err != nil {
			return err
		}
		var supersedes any
		if len(prior) == 1 {
			c.Version, c.Supersedes, c.Linked = prior[0].Version+1, prior[0].ID, prior[0].Linked
			supersedes = c.Supersedes
		}
		if !c.Linked {
			// Any account with the email: linking an existing account
			// is for staff, never a side effect of a form.
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, c.RecipientEmail).Scan(&n); err != nil {
				return db.Err(err)
			}
			if n > 0 {
				return ValidationError{{Field: "recipient_email", Message: "That email already has a Cairn account. Ask your program's staff to link it to you."}}
			}
		}
		share := func(cat Category) bool { return c.Allows(cat) }
		if _, err := tx.Exec(ctx, `INSERT INTO consents (id, program_id, alumnus_id, patient_name, discloser, recipient_name,
			recipient_email, share_events, share_milestones, share_checkins, share_coach, purpose, revocation_ack, expires_on,
			expiry_event, signature, signed_on, version, supersedes, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.ProgramID, c.AlumnusID, c.PatientName, c.Discloser, c.RecipientName, c.RecipientEmail,
			share(ShareEvents), share(ShareMilestones), share(ShareCheckins), share(ShareCoach), c.Purpose, true,
			dateText(c.ExpiresOn), c.ExpiryEvent, c.Signature, c.SignedOn.String(), c.Version, supersedes, c.CreatedAt); err != nil {
			return err
		}
		if !c.Linked {
			// An earlier version's open invitation gives way to this one.
			if _, err := tx.Exec(ctx, `UPDATE invitations SET revoked_at = ? WHERE accepted_at IS NULL AND revoked_at IS NULL
				AND consent_id IN (SELECT id FROM consents WHERE alumnus_id = ? AND recipient_email = ? AND id <> ?)`,
				now, c.AlumnusID, c.RecipientEmail, c.ID); err != nil {
				return err
			}
			_, _, err := inviter.InviteFamily(ctx, tx, actor, c.ID, c.RecipientEmail, func(link string, expires time.Time) notify.Message {
				return familyInvitationMail(p, c, link, expires)
			})
			var fe *auth.FieldError
			if errors.As(err, &fe) {
				return ValidationError{{Field: "recipient_email", Message: fe.Message}}
			}
			if err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "consent.create", SubjectType: "consent", SubjectID: c.ID,
			Detail: map[string]string{"version": strconv.Itoa(c.Version)}})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// dateText is a date as stored, "" for the zero date.
func dateText(d Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// familyInvitationMail is the invitation to a family member. It discloses
// that the alumnus takes part in the program, so it carries the
// redisclosure notice.
func familyInvitationMail(p *consentPatient, c *Consent, link string, expires time.Time) notify.Message {
	until := expires.In(p.program.Location()).Format("Monday 2 January 2006 at 15:04 MST")
	labels := make([]string, len(c.Share))
	for i, s := range c.Share {
		labels[i] = "- " + s.Label()
	}
	text := fmt.Sprintf(`Hello %s,

%s invited you to join %s on Cairn as a family member, and signed a consent to share with you:

%s

To accept, open this link and choose a password:

%s

The link works once, until %s (7 days). %s can revoke this consent at any time.

If you were not expecting this invitation, you can ignore this email; nothing happens unless you open the link.

%s

With warm wishes,
%s
`, c.RecipientName, p.fullName(), p.program.Name, strings.Join(labels, "\n"), link, until, p.first, RedisclosureNotice, p.program.Name)
	return notify.Message{ProgramID: p.program.ID, To: c.RecipientEmail, Subject: "You are invited to " + p.program.Name, Text: text}
}

// ListConsents returns every consent version of the alumnus actor, newest
// first; anyone else gets access.ErrNotFound. Audited as "consent.list".
func ListConsents(ctx context.Context, d *db.DB, actor access.Actor) ([]*Consent, error) {
	if _, err := loadConsentPatient(ctx, d, actor); err != nil {
		return nil, err
	}
	list, err := queryConsents(ctx, d, `SELECT `+consentColumns+` FROM consents c WHERE c.alumnus_id = ?
		ORDER BY c.created_at DESC, c.id DESC`, actor.UserID)
	if err != nil {
		return nil, err
	}
	if err := audit.RecordNow(ctx, d, actor, audit.Event{Action: "consent.list", SubjectType: "user", SubjectID: actor.UserID}); err != nil {
		return nil, err
	}
	return list, nil
}

// ConsentToday is the day it is now in the actor's program, for Status.
func ConsentToday(ctx context.Context, d *db.DB, programID string) (Date, error) {
	p, err := programs.Get(ctx, d, programID)
	if err != nil {
		return Date{}, err
	}
	return Today(p.Location(), consentNow()), nil
}

// RevokeConsent revokes, at once, the consent id of the alumnus actor
// together with every other unrevoked version for the same recipient: from
// the next request on the family member sees nothing through it. Open
// invitations tied to those versions stop working, and queued emails and
// unread in-app notifications tied to them (their consent_id) are
// deleted before they disclose anything. Someone else's consent is
// access.ErrNotFound; revoking twice is not an error. Audited as
// "consent.revoke".
func RevokeConsent(ctx context.Context, d *db.DB, actor access.Actor, id string) (*Consent, error) {
	if err := access.ManageConsents(actor, actor.UserID); err != nil {
		return nil, err
	}
	var c *Consent
	err := d.Tx(ctx, func(tx *db.Tx) error {
		list, err := queryConsents(ctx, tx, `SELECT `+consentColumns+` FROM consents c WHERE c.id = ? AND c.alumnus_id = ?`, id, actor.UserID)
		if err != nil {
			return err
		}
		if len(list) == 0 || list[0].ProgramID != actor.ProgramID {
			return access.ErrNotFound
		}
		c = list[0]
		now := consentNow()
		const versions = `SELECT id FROM consents WHERE alumnus_id = ? AND recipient_email = ?`
		if _, err := tx.Exec(ctx, `UPDATE consents SET revoked_at = ? WHERE alumnus_id = ? AND recipient_email = ? AND revoked_at IS NULL`,
			now, c.AlumnusID, c.RecipientEmail); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE invitations SET revoked_at = ? WHERE accepted_at IS NULL AND revoked_at IS NULL
			AND consent_id IN (`+versions+`)`, now, c.AlumnusID, c.RecipientEmail); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM mail_outbox WHERE status <> 'sent' AND consent_id IN (`+versions+`)`,
			c.AlumnusID, c.RecipientEmail); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM notifications WHERE read_at IS NULL AND consent_id IN (`+versions+`)`,
			c.AlumnusID, c.RecipientEmail); err != nil {
			return err
		}
		if c.RevokedAt == nil {
			c.RevokedAt = &now
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "consent.revoke", SubjectType: "consent", SubjectID: c.ID})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}
