package members

import (
	"context"
	"database/sql"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/db"
)

// RedisclosureNotice is the notice of 42 CFR 2.32 that every page, export
// or email disclosing Part 2 records to family carries, word for word.
const RedisclosureNotice = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."

// Category is one kind of record a consent may share with family.
type Category string

// The categories a consent may name ("what is disclosed").
const (
	ShareEvents     Category = "events"
	ShareMilestones Category = "milestones"
	ShareCheckins   Category = "checkins"
	ShareCoach      Category = "coach"
)

// Categories lists every category, in the order the form shows them.
var Categories = []Category{ShareEvents, ShareMilestones, ShareCheckins, ShareCoach}

// Label is the category's name for people.
func (c Category) Label() string {
	switch c {
	case ShareEvents:
		return "Events I RSVP to"
	case ShareMilestones:
		return "My milestones"
	case ShareCheckins:
		return "My check-in summary"
	case ShareCoach:
		return "My coach's contact"
	}
	return string(c)
}

// ParseCategory returns the category named s.
func ParseCategory(s string) (Category, bool) {
	for _, c := range Categories {
		if string(c) == s {
			return c, true
		}
	}
	return "", false
}

// The states of a consent.
const (
	ConsentActive     = "active"
	ConsentRevoked    = "revoked"
	ConsentExpired    = "expired"
	ConsentSuperseded = "superseded"
)

// Consent is one signed version of an alumnus' written consent to disclose
// records to one family member, with every element of 42 CFR 2.31. A new
// version for the same recipient supersedes the one before; a version is
// never changed after it is stored, except for the moment it is revoked.
type Consent struct {
	ID, ProgramID, AlumnusID string
	// PatientName is the alumnus' full name and Discloser the program's
	// name, as they were when the consent was signed.
	PatientName, Discloser string
	// RecipientName and RecipientEmail name the family member ("to whom").
	RecipientName, RecipientEmail string
	// Share is what may be disclosed.
	Share   []Category
	Purpose string
	// RevocationAcknowledged records that the alumnus was told of, and
	// acknowledged, their right to revoke.
	RevocationAcknowledged bool
	// ExpiresOn (a date, zero when none) and ExpiryEvent (an event, ""
	// when none) say when the consent ends; at least one is set.
	ExpiresOn   Date
	ExpiryEvent string
	// Signature is the typed full name; SignedOn the day it was signed in
	// the program's time zone.
	Signature  string
	SignedOn   Date
	Version    int
	Supersedes string
	CreatedAt  time.Time
	RevokedAt  *time.Time
	// Superseded reports whether a newer version exists; Linked whether
	// the recipient's account is linked to the alumnus.
	Superseded, Linked bool
}

// Allows reports whether the consent shares category c.
func (c *Consent) Allows(cat Category) bool {
	for _, s := range c.Share {
		if s == cat {
			return true
		}
	}
	return false
}

// Status is the consent's state on the day today (in the program's zone):
// revoked, superseded, expired (the day after ExpiresOn) or active. A
// consent that ends with an event stays active until the alumnus revokes
// it when the event happens.
func (c *Consent) Status(today Date) string {
	switch {
	case c.RevokedAt != nil:
		return ConsentRevoked
	case c.Superseded:
		return ConsentSuperseded
	case !c.ExpiresOn.IsZero() && today.After(c.ExpiresOn):
		return ConsentExpired
	}
	return ConsentActive
}

// Live reports whether the consent allows disclosure on the day today.
func (c *Consent) Live(today Date) bool { return c.Status(today) == ConsentActive }

const consentColumns = `c.id, c.program_id, c.alumnus_id, c.patient_name, c.discloser, c.recipient_name, c.recipient_email,
	c.share_events, c.share_milestones, c.share_checkins, c.share_coach, c.purpose, c.revocation_ack, c.expires_on,
	c.expiry_event, c.signature, c.signed_on, c.version, c.supersedes, c.created_at, c.revoked_at,
	EXISTS (SELECT 1 FROM consents n WHERE n.supersedes = c.id),
	EXISTS (SELECT 1 FROM family_links l WHERE l.alumnus_id = c.alumnus_id AND l.email = c.recipient_email)`

func scanConsent(row interface{ Scan(...any) error }) (*Consent, error) {
	var c Consent
	var ev, ms, ck, co bool
	var expires, signed string
	var supersedes sql.NullString
	var revoked sql.NullTime
	err := row.Scan(&c.ID, &c.ProgramID, &c.AlumnusID, &c.PatientName, &c.Discloser, &c.RecipientName, &c.RecipientEmail,
		&ev, &ms, &ck, &co, &c.Purpose, &c.RevocationAcknowledged, &expires, &c.ExpiryEvent, &c.Signature, &signed,
		&c.Version, &supersedes, &c.CreatedAt, &revoked, &c.Superseded, &c.Linked)
	if err != nil {
		return nil, db.Err(err)
	}
	for i, on := range []bool{ev, ms, ck, co} {
		if on {
			c.Share = append(c.Share, Categories[i])
		}
	}
	if expires != "" {
		if c.ExpiresOn, err = ParseDate(expires); err != nil {
			return nil, err
		}
	}
	if c.SignedOn, err = ParseDate(signed); err != nil {
		return nil, err
	}
	c.Supersedes = supersedes.String
	if revoked.Valid {
		t := revoked.Time
		c.RevokedAt = &t
	}
	return &c, nil
}

// queryConsents runs a query that selects consentColumns from consents c.
func queryConsents(ctx context.Context, q db.Querier, query string, args ...any) ([]*Consent, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Consent
	for rows.Next() {
		c, err := scanConsent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, db.Err(rows.Err())
}

// ConsentInput is what the alumnus fills in on the consent form. The
// patient (the alumnus), the discloser (the program) and the date come
// from Cairn itself.
type ConsentInput struct {
	RecipientName, RecipientEmail string
	Share                         []Category
	Purpose                       string
	AcknowledgeRevocation         bool
	// ExpiresOn is a YYYY-MM-DD date; ExpiryEvent describes an event.
	// At least one is required.
	ExpiresOn, ExpiryEvent string
	// Signature is the alumnus' full name, typed.
	Signature string
}

// Limits on the consent form's text fields, in characters.
const (
	maxConsentName    = 200
	maxConsentPurpose = 1000
	maxConsentEvent   = 500
)

// foldName lowercases a name and collapses its spaces, for comparing a
// typed signature with the name on the account.
func foldName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// validate checks every element of 42 CFR 2.31 that the alumnus supplies
// and returns the problems, one per field; today is the signing day and
// patientName, ownEmail the alumnus' own.
func (in *ConsentInput) validate(today Date, patientName, ownEmail string) ValidationError {
	var v ValidationError
	in.RecipientName = strings.TrimSpace(in.RecipientName)
	in.RecipientEmail = strings.ToLower(strings.TrimSpace(in.RecipientEmail))
	in.Purpose = strings.TrimSpace(in.Purpose)
	in.ExpiresOn = strings.TrimSpace(in.ExpiresOn)
	in.ExpiryEvent = strings.TrimSpace(in.ExpiryEvent)
	in.Signature = strings.TrimSpace(in.Signature)

	if len(in.Share) == 0 {
		v.add("share", "Choose at least one kind of information to share (what is disclosed).")
	}
	seen := map[Category]bool{}
	for _, c := range in.Share {
		if _, ok := ParseCategory(string(c)); !ok {
			v.add("share", "%q is not something Cairn can share; choose from the list.", string(c))
			break
		}
		seen[c] = true
	}
	in.Share = in.Share[:0:0]
	for _, c := range Categories {
		if seen[c] {
			in.Share = append(in.Share, c)
		}
	}
	switch {
	case in.RecipientName == "":
		v.add("recipient_name", "Enter the family member's name (to whom the information is disclosed).")
	case utf8.RuneCountInString(in.RecipientName) > maxConsentName:
		v.add("recipient_name", "The family member's name is too long (at most %d characters).", maxConsentName)
	}
	switch at := strings.LastIndexByte(in.RecipientEmail, '@'); {
	case in.RecipientEmail == "":
		v.add("recipient_email", "Enter the family member's email address (to whom the information is disclosed).")
	case len(in.RecipientEmail) > 254 || at < 1 || at == len(in.RecipientEmail)-1 || strings.ContainsAny(in.RecipientEmail, " \t\r\n<>,;\""):
		v.add("recipient_email", "Enter a valid email address for the family member, such as name@example.com.")
	case in.RecipientEmail == strings.ToLower(ownEmail):
		v.add("recipient_email", "Enter the family member's email address, not your own.")
	}
	switch {
	case in.Purpose == "":
		v.add("purpose", "Say why you share this information (the purpose of the disclosure).")
	case utf8.RuneCountInString(in.Purpose) > maxConsentPurpose:
		v.add("purpose", "The purpose is too long (at most %d characters).", maxConsentPurpose)
	}
	if !in.AcknowledgeRevocation {
		v.add("acknowledge_revocation", "Confirm that you know you can revoke this consent at any time.")
	}
	if in.ExpiresOn == "" && in.ExpiryEvent == "" {
		v.add("expiry", "Choose when this consent ends: a date or an event (expiry).")
	}
	if in.ExpiresOn != "" {
		d, err := ParseDate(in.ExpiresOn)
		switch {
		case err != nil:
			v.add("expires_on", "The end date %s.", ErrBadDate.Error())
		case d.Before(today):
			v.add("expires_on", "The end date has passed; choose today or a later day.")
		}
	}
	if utf8.RuneCountInString(in.ExpiryEvent) > maxConsentEvent {
		v.add("expiry_event", "The event is too long (at most %d characters).", maxConsentEvent)
	}
	switch {
	case in.Signature == "":
		v.add("signature", "Sign by typing your full name (signature).")
	case foldName(in.Signature) != foldName(patientName):
		v.add("signature", "Type your full name exactly as it is on your account: %s.", patientName)
	}
	return v
}

// ConsentClock is the time the consent and family code runs at; tests
// replace it.
var ConsentClock = time.Now

func consentNow() time.Time { return ConsentClock().UTC().Truncate(time.Microsecond) }
