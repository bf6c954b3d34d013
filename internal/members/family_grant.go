package members

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// FamilyGrant is a consent recorded on the alumnus' behalf by the
// installation (the demo, or a paper consent entered by staff tooling),
// together with the link to an existing family account.
type FamilyGrant struct {
	AlumnusID, FamilyID string
	Share               []Category
	Purpose             string
	// ExpiresOn or ExpiryEvent: at least one.
	ExpiresOn   Date
	ExpiryEvent string
}

// GrantFamilyConsent stores version 1 of a consent from the alumnus to the
// family account, signed with the alumnus' name on the day it is run, and
// links the two accounts, inside tx. It does nothing when the alumnus
// already has a consent for that family member's email. Only the
// installation itself may call it (actor.IsSystem); both accounts must be
// in actor's program. Audited as "consent.create".
func GrantFamilyConsent(ctx context.Context, tx *db.Tx, actor access.Actor, g FamilyGrant) error {
	if !actor.IsSystem() || len(g.Share) == 0 || strings.TrimSpace(g.Purpose) == "" || (g.ExpiresOn.IsZero() && g.ExpiryEvent == "") {
		return access.ErrNotFound
	}
	var af, al, fe, ff, fl string
	err := tx.QueryRow(ctx, `SELECT first_name, last_name FROM users WHERE id = ? AND program_id = ? AND role = 'alumnus'`,
		g.AlumnusID, actor.ProgramID).Scan(&af, &al)
	if err != nil {
		return db.Err(err)
	}
	err = tx.QueryRow(ctx, `SELECT email, first_name, last_name FROM users WHERE id = ? AND program_id = ? AND role = 'family'`,
		g.FamilyID, actor.ProgramID).Scan(&fe, &ff, &fl)
	if err != nil {
		return db.Err(err)
	}
	fe = strings.ToLower(fe)
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM consents WHERE alumnus_id = ? AND recipient_email = ?`, g.AlumnusID, fe).Scan(&n); err != nil {
		return db.Err(err)
	}
	if n > 0 {
		return LinkFamily(ctx, tx, actor.ProgramID, g.AlumnusID, g.FamilyID, fe)
	}
	p, err := programs.Get(ctx, tx, actor.ProgramID)
	if err != nil {
		return err
	}
	patient := (&consentPatient{first: af, last: al}).fullName()
	now := consentNow()
	c := &Consent{Share: g.Share}
	id := uuid.Must(uuid.NewV7()).String()
	if _, err := tx.Exec(ctx, `INSERT INTO consents (id, program_id, alumnus_id, patient_name, discloser, recipient_name,
		recipient_email, share_events, share_milestones, share_checkins, share_coach, purpose, revocation_ack, expires_on,
		expiry_event, signature, signed_on, version, supersedes, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, p.ID, g.AlumnusID, patient, p.Name, (&consentPatient{first: ff, last: fl}).fullName(), fe,
		c.Allows(ShareEvents), c.Allows(ShareMilestones), c.Allows(ShareCheckins), c.Allows(ShareCoach), strings.TrimSpace(g.Purpose),
		true, dateText(g.ExpiresOn), g.ExpiryEvent, patient, Today(p.Location(), now).String(), 1, nil, now); err != nil {
		return err
	}
	if err := LinkFamily(ctx, tx, p.ID, g.AlumnusID, g.FamilyID, fe); err != nil {
		return err
	}
	return audit.Record(ctx, tx, actor, audit.Event{Action: "consent.create", SubjectType: "consent", SubjectID: id,
		Detail: map[string]string{"version": "1"}})
}
