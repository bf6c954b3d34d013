package members

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// FamilyShare is what one linked alumnus' live consent lets the signed-in
// family member see. Every part of it is Part 2 information: whatever shows
// it carries RedisclosureNotice.
type FamilyShare struct {
	ConsentID string
	// AlumnusName is the alumnus' display name.
	AlumnusName string
	// Shared lists what the consent allows, in form order.
	Shared []Category
	// Milestones is set when milestones are shared: the reached ones and
	// the next, of the current recovery period (nil without a recovery
	// date).
	Milestones *MyMilestones
	// Coach is set when the coach's contact is shared and a coach is
	// assigned.
	Coach *CoachContact
	// Events are the upcoming gatherings the alumnus answered yes or maybe
	// to, when events are shared.
	Events []FamilyEvent
	// ExpiresOn and ExpiryEvent say until when the consent runs.
	ExpiresOn   Date
	ExpiryEvent string
}

// CoachContact is how family may reach the alumnus' coach: the coaches'
// names and the program's phone number (coaches' own numbers are never
// shared).
type CoachContact struct {
	Names []string
	Phone string
}

// ChannelPage is a disclosure made by the family page.
const ChannelPage = "page"

// familyConsents returns the consents of the links of familyID that are
// neither revoked nor superseded (expiry is checked by the caller, in the
// program's time zone).
func familyConsents(ctx context.Context, q db.Querier, familyID string) ([]*Consent, error) {
	return queryConsents(ctx, q, `SELECT `+consentColumns+` FROM consents c
		JOIN family_links fl ON fl.alumnus_id = c.alumnus_id AND fl.email = c.recipient_email
		WHERE fl.family_id = ? AND c.revoked_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM consents s WHERE s.supersedes = c.id)
		ORDER BY c.created_at, c.id`, familyID)
}

// FamilyView returns, for the signed-in family member, what each linked
// alumnus' live consent allows, and records every disclosure it makes
// (one per alumnus and category with data shown) in the accounting of
// disclosures and the audit log, tagged with channel. A consent that is
// revoked, expired or superseded shows nothing, from the very next request
// on. Anyone who is not a family member gets access.ErrNotFound.
func FamilyView(ctx context.Context, d *db.DB, actor access.Actor, channel string) ([]*FamilyShare, error) {
	if err := access.ViewFamilyPage(actor); err != nil {
		return nil, err
	}
	var out []*FamilyShare
	err := d.Tx(ctx, func(tx *db.Tx) error {
		list, err := familyConsents(ctx, tx, actor.UserID)
		if err != nil {
			return err
		}
		places := map[string]*programs.Program{}
		for _, c := range list {
			p := places[c.ProgramID]
			if p == nil {
				if p, err = programs.Get(ctx, tx, c.ProgramID); err != nil {
					return err
				}
				places[c.ProgramID] = p
			}
			if access.SeeAsFamily(actor, c.ProgramID, actor.UserID, c.Live(Today(p.Location(), consentNow()))) != nil {
				continue
			}
			sh, disclosed, err := familyShare(ctx, tx, c, p)
			if err != nil {
				return err
			}
			for _, cat := range disclosed {
				if err := recordDisclosure(ctx, tx, actor, c, cat, channel); err != nil {
					return err
				}
			}
			out = append(out, sh)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// familyShare loads what consent c shows, and the categories of which it
// shows actual records.
func familyShare(ctx context.Context, tx *db.Tx, c *Consent, p *programs.Program) (*FamilyShare, []Category, error) {
	sh := &FamilyShare{ConsentID: c.ID, Shared: c.Share, ExpiresOn: c.ExpiresOn, ExpiryEvent: c.ExpiryEvent}
	var first, last string
	if err := tx.QueryRow(ctx, `SELECT first_name, last_name FROM users WHERE id = ?`, c.AlumnusID).Scan(&first, &last); err != nil {
		return nil, nil, db.Err(err)
	}
	sh.AlumnusName = shortName(first, last)
	var disclosed []Category
	if c.Allows(ShareMilestones) {
		// The consent is the alumnus' own decision to show their
		// milestones, so they are read as the alumnus reads them.
		var m *MyMilestones
		mem, err := loadMember(ctx, tx, c.AlumnusID)
		if err == nil && mem.programID == c.ProgramID {
			m, err = milestonesOf(ctx, tx, c.AlumnusID, mem)
		}
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return nil, nil, err
		}
		if m != nil && !m.Start.IsZero() {
			sh.Milestones = m
			disclosed = append(disclosed, ShareMilestones)
		}
	}
	if c.Allows(ShareEvents) && familyEvents != nil {
		list, err := familyEvents(ctx, tx, c.AlumnusID, maxFamilyEvents)
		if err != nil {
			return nil, nil, err
		}
		for i := range list {
			list[i].Start, list[i].End = list[i].Start.In(p.Location()), list[i].End.In(p.Location())
		}
		if len(list) > 0 {
			sh.Events = list
			disclosed = append(disclosed, ShareEvents)
		}
	}
	if c.Allows(ShareCoach) {
		rows, err := tx.Query(ctx, `SELECT u.first_name, u.last_name FROM coach_assignments ca JOIN users u ON u.id = ca.coach_id
			WHERE ca.member_id = ? AND ca.program_id = ? AND u.disabled_at IS NULL ORDER BY u.first_name, u.id`, c.AlumnusID, c.ProgramID)
		if err != nil {
			return nil, nil, err
		}
		var names []string
		for rows.Next() {
			var f, l string
			if err := rows.Scan(&f, &l); err != nil {
				rows.Close()
				return nil, nil, err
			}
			names = append(names, shortName(f, l))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
		if len(names) > 0 {
			sh.Coach = &CoachContact{Names: names, Phone: p.Phone}
			disclosed = append(disclosed, ShareCoach)
		}
	}
	return sh, disclosed, nil
}

// LinkFamily links the existing family account familyID to alumnusID under
// email (the recipient email of the alumnus' consents), inside tx. It is
// for staff tools and the demo; members link through an accepted
// invitation. Linking twice is not an error.
func LinkFamily(ctx context.Context, tx *db.Tx, programID, alumnusID, familyID, email string) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM family_links WHERE alumnus_id = ? AND family_id = ?`, alumnusID, familyID).Scan(&n); err != nil {
		return db.Err(err)
	}
	if n > 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO family_links (id, program_id, alumnus_id, family_id, email, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		uuid.Must(uuid.NewV7()).String(), programID, alumnusID, familyID, strings.ToLower(strings.TrimSpace(email)), consentNow())
	return err
}
