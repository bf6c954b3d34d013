package buddies

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// Proposal statuses.
const (
	ProposalDraft     = "draft"
	ProposalDropped   = "dropped"
	ProposalReplaced  = "replaced"
	ProposalSent      = "sent"
	ProposalAccepted  = "accepted"
	ProposalDeclined  = "declined"
	ProposalWithdrawn = "withdrawn"
)

// Answers to a proposal.
const (
	AnswerAccepted = "accepted"
	AnswerDeclined = "declined"
)

// NotAheadText is all the other person of a declined or withdrawn
// proposal is ever told: never who said no, nor why.
const NotAheadText = "This match didn't go ahead; we'll look again."

// Proposal is one proposed pairing of a request with an offer.
type Proposal struct {
	ID, ProgramID, RunID string
	RequestID, OfferID   string
	// RequesterID asked for a buddy; BuddyID offered to be one.
	RequesterID, BuddyID string
	Score                int
	// Reasons are the matcher's plain words ("both enjoy hiking").
	Reasons []string
	Status  string
	// RequesterAnswer and BuddyAnswer are each person's own answer
	// ("", accepted or declined); each is shown only to its person.
	RequesterAnswer, BuddyAnswer string
	CreatedAt                    time.Time
	SentAt, DecidedAt            time.Time
}

const proposalColumns = `id, program_id, run_id, request_id, offer_id, requester_id, buddy_id, score, reasons, status,
	requester_answer, buddy_answer, created_at, sent_at, decided_at`

func scanProposal(row interface{ Scan(...any) error }) (*Proposal, error) {
	var p Proposal
	var reasons string
	var sent, decided sql.NullTime
	if err := row.Scan(&p.ID, &p.ProgramID, &p.RunID, &p.RequestID, &p.OfferID, &p.RequesterID, &p.BuddyID, &p.Score, &reasons,
		&p.Status, &p.RequesterAnswer, &p.BuddyAnswer, &p.CreatedAt, &sent, &decided); err != nil {
		return nil, err
	}
	p.Reasons = decodeList(reasons)
	p.SentAt, p.DecidedAt = sent.Time, decided.Time
	return &p, nil
}

// loadProposals reads the proposals matching where (a WHERE clause with
// placeholders), oldest first.
func loadProposals(ctx context.Context, q db.Querier, where string, args ...any) ([]*Proposal, error) {
	rows, err := q.Query(ctx, `SELECT `+proposalColumns+` FROM buddy_proposals `+where+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("buddies: proposals: %w", err)
	}
	defer rows.Close()
	var out []*Proposal
	for rows.Next() {
		p, err := scanProposal(rows)
		if err != nil {
			return nil, fmt.Errorf("buddies: proposals: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func loadProposal(ctx context.Context, q db.Querier, id string) (*Proposal, error) {
	p, err := scanProposal(q.QueryRow(ctx, `SELECT `+proposalColumns+` FROM buddy_proposals WHERE id = ?`, id))
	if err != nil {
		return nil, db.Err(err)
	}
	return p, nil
}

// closeProposal ends an open proposal as declined or withdrawn by byUserID.
// A sent proposal's request goes back to waiting, and the other person is
// told, in the same neutral words whoever ended it, that the match did not
// go ahead.
func closeProposal(ctx context.Context, tx *db.Tx, p *Proposal, status, byUserID string) error {
	wasSent := p.Status == ProposalSent
	if _, err := tx.Exec(ctx, `UPDATE buddy_proposals SET status = ?, decided_at = ? WHERE id = ?`, status, now(), p.ID); err != nil {
		return fmt.Errorf("buddies: close proposal: %w", err)
	}
	if !wasSent {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE buddy_requests SET status = 'waiting', updated_at = ? WHERE id = ? AND status = 'proposed'`,
		now(), p.RequestID); err != nil {
		return fmt.Errorf("buddies: close proposal: %w", err)
	}
	for _, id := range []string{p.RequesterID, p.BuddyID} {
		if id == byUserID {
			continue
		}
		if _, err := notify.Send(ctx, tx, id, notify.KindMessage, notify.Data{Title: "About your buddy match",
			Body: NotAheadText, Link: "/buddies"}); err != nil {
			return err
		}
	}
	return nil
}

// DropProposal removes a draft proposal before it is sent (coordinators
// and admins of its program; anyone else is access.ErrNotFound).
func DropProposal(ctx context.Context, d *db.DB, actor access.Actor, id string) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		p, err := loadProposal(ctx, tx, id)
		if err != nil {
			return notFound(err)
		}
		if err := access.CoordinateBuddies(actor, p.ProgramID); err != nil {
			return err
		}
		if p.Status != ProposalDraft {
			return invalid("proposal", "Only a draft can be dropped; this one has been sent or replaced.")
		}
		if _, err := tx.Exec(ctx, `UPDATE buddy_proposals SET status = 'dropped', decided_at = ? WHERE id = ?`, now(), id); err != nil {
			return fmt.Errorf("buddies: drop: %w", err)
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "buddy.proposal.drop", SubjectType: "buddy_proposal", SubjectID: id})
	})
}

// notFound turns a missing row into access.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, db.ErrNotFound) {
		return access.ErrNotFound
	}
	return err
}

// SendProposals sends the program's draft proposals to both people of each
// (only those named by ids, or all drafts when ids is empty), for
// coordinators and admins. A draft whose request is no longer waiting,
// whose offer is no longer active or has no room left, or whose two people
// have since blocked each other, is dropped instead. It returns how many
// were sent.
func SendProposals(ctx context.Context, d *db.DB, actor access.Actor, ids []string) (int, error) {
	if err := access.CoordinateBuddies(actor, actor.ProgramID); err != nil {
		return 0, err
	}
	sent := 0
	err := d.Tx(ctx, func(tx *db.Tx) error {
		drafts, err := loadProposals(ctx, tx, `WHERE program_id = ? AND status = 'draft'`, actor.ProgramID)
		if err != nil {
			return err
		}
		want := map[string]bool{}
		for _, id := range ids {
			want[id] = true
		}
		for _, p := range drafts {
			if len(ids) > 0 && !want[p.ID] {
				continue
			}
			ok, err := stillPossible(ctx, tx, p)
			if err != nil {
				return err
			}
			t := now()
			if !ok {
				if _, err := tx.Exec(ctx, `UPDATE buddy_proposals SET status = 'dropped', decided_at = ? WHERE id = ?`, t, p.ID); err != nil {
					return fmt.Errorf("buddies: send: %w", err)
				}
				if err := audit.Record(ctx, tx, actor, audit.Event{Action: "buddy.proposal.drop", SubjectType: "buddy_proposal", SubjectID: p.ID,
					Detail: map[string]string{"why": "no longer possible"}}); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.Exec(ctx, `UPDATE buddy_proposals SET status = 'sent', sent_at = ? WHERE id = ?`, t, p.ID); err != nil {
				return fmt.Errorf("buddies: send: %w", err)
			}
			if _, err := tx.Exec(ctx, `UPDATE buddy_requests SET status = 'proposed', updated_at = ? WHERE id = ?`, t, p.RequestID); err != nil {
				return fmt.Errorf("buddies: send: %w", err)
			}
			if err := audit.Record(ctx, tx, actor, audit.Event{Action: "buddy.proposal.send", SubjectType: "buddy_proposal", SubjectID: p.ID}); err != nil {
				return err
			}
			for _, id := range []string{p.RequesterID, p.BuddyID} {
				if _, err := notify.Send(ctx, tx, id, notify.KindMessage, notify.Data{Title: "You have a possible buddy match",
					Body: "Have a look and say whether you would like to go ahead. There is no pressure either way.", Link: "/buddies"}); err != nil {
					return err
				}
			}
			sent++
		}
		return nil
	})
	return sent, err
}

// stillPossible checks a draft against what changed since the run.
func stillPossible(ctx context.Context, tx *db.Tx, p *Proposal) (bool, error) {
	var reqStatus, offStatus string
	var capacity int
	if err := tx.QueryRow(ctx, `SELECT status FROM buddy_requests WHERE id = ?`, p.RequestID).Scan(&reqStatus); err != nil {
		return false, fmt.Errorf("buddies: send: %w", db.Err(err))
	}
	if err := tx.QueryRow(ctx, `SELECT status, capacity FROM buddy_offers WHERE id = ?`, p.OfferID).Scan(&offStatus, &capacity); err != nil {
		return false, fmt.Errorf("buddies: send: %w", db.Err(err))
	}
	if reqStatus != RequestWaiting || offStatus != OfferActive {
		return false, nil
	}
	used, err := usedPlaces(ctx, tx, p.BuddyID)
	if err != nil {
		return false, err
	}
	if used >= capacity {
		return false, nil
	}
	blocked, err := safety.Blocked(ctx, tx, p.RequesterID, p.BuddyID)
	return !blocked && err == nil, err
}

// usedPlaces counts buddyID's current pairings as a buddy and the sent
// proposals waiting on their offer.
func usedPlaces(ctx context.Context, q db.Querier, buddyID string) (int, error) {
	var a, b int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM buddy_pairings WHERE buddy_id = ? AND ended_at IS NULL`, buddyID).Scan(&a); err != nil {
		return 0, fmt.Errorf("buddies: places: %w", err)
	}
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM buddy_proposals WHERE buddy_id = ? AND status = 'sent'`, buddyID).Scan(&b); err != nil {
		return 0, fmt.Errorf("buddies: places: %w", err)
	}
	return a + b, nil
}

// Answer records the actor's answer to a sent proposal: accept (true) or
// decline (false). Only its two people answer (anyone else, or a proposal
// not sent, is access.ErrNotFound). Declining ends the proposal at once;
// the other person only hears that the match did not go ahead, and the
// request waits again. When both have accepted, the pairing starts. It
// returns the pairing when one started.
func Answer(ctx context.Context, d *db.DB, actor access.Actor, id string, accept bool) (*Pairing, error) {
	var started *Pairing
	err := d.Tx(ctx, func(tx *db.Tx) error {
		p, err := loadProposal(ctx, tx, id)
		if err != nil {
			return notFound(err)
		}
		if err := access.AnswerBuddyProposal(actor, p.ProgramID, p.RequesterID, p.BuddyID); err != nil {
			return err
		}
		if p.Status != ProposalSent {
			return access.ErrNotFound
		}
		answer, column := AnswerDeclined, "buddy_answer"
		if accept {
			answer = AnswerAccepted
		}
		if actor.UserID == p.RequesterID {
			column = "requester_answer"
			p.RequesterAnswer = answer
		} else {
			p.BuddyAnswer = answer
		}
		if _, err := tx.Exec(ctx, `UPDATE buddy_proposals SET `+column+` = ? WHERE id = ?`, answer, id); err != nil {
			return fmt.Errorf("buddies: answer: %w", err)
		}
		if err := audit.Record(ctx, tx, actor, audit.Event{Action: map[bool]string{true: "buddy.proposal.accept", false: "buddy.proposal.decline"}[accept],
			SubjectType: "buddy_proposal", SubjectID: id}); err != nil {
			return err
		}
		if !accept {
			return closeProposal(ctx, tx, p, ProposalDeclined, actor.UserID)
		}
		if p.RequesterAnswer != AnswerAccepted || p.BuddyAnswer != AnswerAccepted {
			return nil
		}
		if blocked, err := safety.Blocked(ctx, tx, p.RequesterID, p.BuddyID); err != nil || blocked {
			if err != nil {
				return err
			}
			return closeProposal(ctx, tx, p, ProposalWithdrawn, "")
		}
		started, err = startPairing(ctx, tx, actor, p)
		return err
	})
	return started, err
}
