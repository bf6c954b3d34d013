package buddies

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
)

// Pairing is a buddy pairing, current (EndedAt zero) or past.
type Pairing struct {
	ID, ProgramID, ProposalID string
	// RequesterID asked for a buddy; BuddyID is the buddy.
	RequesterID, BuddyID string
	OfferID              string
	// ConversationID is the pair's direct conversation ("" when none).
	ConversationID string
	StartedAt      time.Time
	EndedAt        time.Time
	EndedBy        string
}

// StartConversation opens (or finds) the direct conversation of a new pair
// inside the pairing's transaction and returns its id; tests replace it.
// nil means the pairing starts without one.
var StartConversation = conversations.StartDirect

const pairingColumns = `id, program_id, proposal_id, requester_id, buddy_id, offer_id, conversation_id, started_at, ended_at, ended_by`

func scanPairing(row interface{ Scan(...any) error }) (*Pairing, error) {
	var p Pairing
	var ended sql.NullTime
	if err := row.Scan(&p.ID, &p.ProgramID, &p.ProposalID, &p.RequesterID, &p.BuddyID, &p.OfferID, &p.ConversationID,
		&p.StartedAt, &ended, &p.EndedBy); err != nil {
		return nil, err
	}
	p.EndedAt = ended.Time
	return &p, nil
}

func loadPairings(ctx context.Context, q db.Querier, where string, args ...any) ([]*Pairing, error) {
	rows, err := q.Query(ctx, `SELECT `+pairingColumns+` FROM buddy_pairings `+where+` ORDER BY started_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("buddies: pairings: %w", err)
	}
	defer rows.Close()
	var out []*Pairing
	for rows.Next() {
		p, err := scanPairing(rows)
		if err != nil {
			return nil, fmt.Errorf("buddies: pairings: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// startPairing turns an accepted proposal into a pairing: the history row,
// both rows of the buddies table, the request closed as matched, the
// direct conversation, and a note to both people.
func startPairing(ctx context.Context, tx *db.Tx, actor access.Actor, p *Proposal) (*Pairing, error) {
	t := now()
	pr := &Pairing{ID: newID(), ProgramID: p.ProgramID, ProposalID: p.ID, RequesterID: p.RequesterID, BuddyID: p.BuddyID,
		OfferID: p.OfferID, StartedAt: t}
	if _, err := tx.Exec(ctx, `UPDATE buddy_proposals SET status = 'accepted', decided_at = ? WHERE id = ?`, t, p.ID); err != nil {
		return nil, fmt.Errorf("buddies: start pairing: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE buddy_requests SET status = 'matched', updated_at = ? WHERE id = ?`, t, p.RequestID); err != nil {
		return nil, fmt.Errorf("buddies: start pairing: %w", err)
	}
	if err := members.AddBuddies(ctx, tx, p.ProgramID, p.RequesterID, p.BuddyID); err != nil {
		return nil, err
	}
	if StartConversation != nil {
		id, err := StartConversation(ctx, tx, p.ProgramID, p.RequesterID, p.BuddyID)
		if err != nil {
			return nil, fmt.Errorf("buddies: start conversation: %w", err)
		}
		pr.ConversationID = id
	}
	if _, err := tx.Exec(ctx, `INSERT INTO buddy_pairings (id, program_id, proposal_id, requester_id, buddy_id, offer_id,
		conversation_id, started_at, ended_at, ended_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, '')`,
		pr.ID, pr.ProgramID, pr.ProposalID, pr.RequesterID, pr.BuddyID, pr.OfferID, pr.ConversationID, t); err != nil {
		return nil, fmt.Errorf("buddies: start pairing: %w", err)
	}
	if err := audit.Record(ctx, tx, actor, audit.Event{Action: "buddy.pairing.start", SubjectType: "buddy_pairing", SubjectID: pr.ID,
		Detail: map[string]string{"proposal_id": p.ID}}); err != nil {
		return nil, err
	}
	for _, id := range []string{p.RequesterID, p.BuddyID} {
		if _, err := notify.Send(ctx, tx, id, notify.KindMessage, notify.Data{Title: "You have a new buddy",
			Body: "You both said yes. Say hello whenever you are ready.", Link: "/buddies"}); err != nil {
			return nil, err
		}
	}
	return pr, nil
}

// EndPairing ends a current pairing; either of its two people may end it at
// any time (anyone else is access.ErrNotFound). The pair leaves the buddies
// table, the pairing stays in the history, and the other person is told
// kindly, without blame.
func EndPairing(ctx context.Context, d *db.DB, actor access.Actor, id string) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		ps, err := loadPairings(ctx, tx, `WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			return access.ErrNotFound
		}
		p := ps[0]
		if err := access.EndBuddyPairing(actor, p.ProgramID, p.RequesterID, p.BuddyID); err != nil {
			return err
		}
		if !p.EndedAt.IsZero() {
			return access.ErrNotFound
		}
		if _, err := tx.Exec(ctx, `UPDATE buddy_pairings SET ended_at = ?, ended_by = ? WHERE id = ?`, now(), actor.UserID, id); err != nil {
			return fmt.Errorf("buddies: end pairing: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM buddies WHERE (member_id = ? AND buddy_id = ?) OR (member_id = ? AND buddy_id = ?)`,
			p.RequesterID, p.BuddyID, p.BuddyID, p.RequesterID); err != nil {
			return fmt.Errorf("buddies: end pairing: %w", err)
		}
		if err := audit.Record(ctx, tx, actor, audit.Event{Action: "buddy.pairing.end", SubjectType: "buddy_pairing", SubjectID: id}); err != nil {
			return err
		}
		other := p.BuddyID
		if actor.UserID == p.BuddyID {
			other = p.RequesterID
		}
		_, err = notify.Send(ctx, tx, other, notify.KindMessage, notify.Data{Title: "Your buddy pairing has ended",
			Body: "Pairings end for all kinds of reasons, and that is okay. Thank you for the time you shared. " +
				"You can ask for a new buddy on the Buddies page whenever you like.", Link: "/buddies"})
		return err
	})
}
