package members

import (
	"context"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// ChannelNotification is a disclosure made by a notification (in-app,
// email or text message) to a family member.
const ChannelNotification = "notification"

// NotifyFamily tells every family member whose live consent from alumnusID
// shares category cat, inside tx: it sends kind with data (the body ends
// with RedisclosureNotice), ties the in-app notification and the queued
// email or text message to the consent (their consent_id), so that
// revoking the consent drops whatever has not gone out, and records one
// disclosure per family member. actor is who causes it (for the audit
// log; the installation for periodic jobs). It returns how many family
// members were told.
func NotifyFamily(ctx context.Context, tx *db.Tx, actor access.Actor, alumnusID string, cat Category, kind notify.Kind, data notify.Data) (int, error) {
	rows, err := tx.Query(ctx, `SELECT fl.family_id FROM family_links fl WHERE fl.alumnus_id = ? ORDER BY fl.family_id`, alumnusID)
	if err != nil {
		return 0, err
	}
	var family []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		family = append(family, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if !strings.Contains(data.Body, RedisclosureNotice) {
		data.Body = strings.TrimSpace(data.Body + "\n\n" + RedisclosureNotice)
	}
	told := 0
	for _, familyID := range family {
		list, err := familyConsents(ctx, tx, familyID)
		if err != nil {
			return told, err
		}
		for _, c := range list {
			if c.AlumnusID != alumnusID || !c.Allows(cat) {
				continue
			}
			p, err := programs.Get(ctx, tx, c.ProgramID)
			if err != nil {
				return told, err
			}
			if !c.Live(Today(p.Location(), consentNow())) {
				continue
			}
			if err := notifyOneFamily(ctx, tx, familyID, c, kind, data); err != nil {
				return told, err
			}
			recipient := access.Actor{UserID: familyID, ProgramID: c.ProgramID, Role: access.Family, RequestID: actor.RequestID}
			if err := recordDisclosure(ctx, tx, recipient, c, cat, ChannelNotification); err != nil {
				return told, err
			}
			told++
		}
	}
	return told, nil
}

// notifyOneFamily sends one notification and tags what it queued with the
// consent's id. The outbox rows it adds are the ones to the family
// member's addresses that were not there before: inside the writing
// transaction nothing else can add them.
func notifyOneFamily(ctx context.Context, tx *db.Tx, familyID string, c *Consent, kind notify.Kind, data notify.Data) error {
	const pending = `SELECT id FROM mail_outbox WHERE consent_id IS NULL AND status <> 'sent' AND (to_address = (SELECT email FROM users WHERE id = ?)
		OR to_address = (SELECT sms_phone FROM notification_settings WHERE user_id = ?))`
	before, err := familyIDs(ctx, tx, pending, familyID, familyID)
	if err != nil {
		return err
	}
	id, err := notify.Send(ctx, tx, familyID, kind, data)
	if err != nil {
		return err
	}
	if id != "" {
		if _, err := tx.Exec(ctx, `UPDATE notifications SET consent_id = ? WHERE id = ?`, c.ID, id); err != nil {
			return err
		}
	}
	after, err := familyIDs(ctx, tx, pending, familyID, familyID)
	if err != nil {
		return err
	}
	for id := range after {
		if before[id] {
			continue
		}
		if _, err := tx.Exec(ctx, `UPDATE mail_outbox SET consent_id = ? WHERE id = ?`, c.ID, id); err != nil {
			return err
		}
	}
	return nil
}

// familyIDs runs a query of ids and returns them as a set.
func familyIDs(ctx context.Context, q db.Querier, query string, args ...any) (map[string]bool, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, db.Err(rows.Err())
}
