package buddies

import (
	"context"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// ExportSection is the buddy program's part of a person's "my data"
// download (members.ExportMine):
//
//   - "buddy_offers" and "buddy_requests": their own, as stored;
//   - "buddy_proposals": the proposals sent to them, as the buddies page
//     shows them: their own answer only (never the other person's, nor
//     who declined), the matcher's reasons without recovery pathways, and
//     the outcome ("open", "accepted" or "not_ahead"). Drafts a
//     coordinator never sent are left out: they are the coordinator's
//     working notes and name someone who was never asked;
//   - "buddy_pairings": their pairings, current and past, saying whether
//     they ended it themself rather than who did.
var ExportSection = members.ExportSection{
	Name: "buddies",
	Columns: []string{"buddy_offers.user_id", "buddy_requests.user_id", "buddy_proposals.requester_id",
		"buddy_proposals.buddy_id", "buddy_pairings.requester_id", "buddy_pairings.buddy_id"},
	Read: exportMine,
}

func exportMine(ctx context.Context, q db.Querier, actor access.Actor) (map[string][]map[string]any, error) {
	out := map[string][]map[string]any{}
	var err error
	if out["buddy_offers"], err = members.ExportRows(ctx, q, `SELECT * FROM buddy_offers WHERE user_id = ? ORDER BY created_at`,
		nil, actor.UserID); err != nil {
		return nil, err
	}
	if out["buddy_requests"], err = members.ExportRows(ctx, q, `SELECT * FROM buddy_requests WHERE user_id = ? ORDER BY created_at, id`,
		nil, actor.UserID); err != nil {
		return nil, err
	}
	ps, err := loadProposals(ctx, q, `WHERE (requester_id = ? OR buddy_id = ?) AND sent_at IS NOT NULL`, actor.UserID, actor.UserID)
	if err != nil {
		return nil, err
	}
	out["buddy_proposals"] = []map[string]any{}
	for _, p := range ps {
		asBuddy := p.BuddyID == actor.UserID
		other, answer, role := p.BuddyID, p.RequesterAnswer, "requester"
		if asBuddy {
			other, answer, role = p.RequesterID, p.BuddyAnswer, "buddy"
		}
		outcome := "not_ahead"
		switch p.Status {
		case ProposalSent:
			outcome = "open"
		case ProposalAccepted:
			outcome = "accepted"
		}
		reasons := []string{}
		for _, r := range p.Reasons {
			if !strings.HasPrefix(r, "both follow ") {
				reasons = append(reasons, r)
			}
		}
		row := map[string]any{"id": p.ID, "my_role": role, "other_id": other, "reasons": reasons,
			"my_answer": answer, "outcome": outcome, "sent_at": p.SentAt.UTC()}
		if !p.DecidedAt.IsZero() {
			row["decided_at"] = p.DecidedAt.UTC()
		}
		out["buddy_proposals"] = append(out["buddy_proposals"], row)
	}
	prs, err := loadPairings(ctx, q, `WHERE requester_id = ? OR buddy_id = ?`, actor.UserID, actor.UserID)
	if err != nil {
		return nil, err
	}
	out["buddy_pairings"] = []map[string]any{}
	for _, p := range prs {
		row := map[string]any{"id": p.ID, "requester_id": p.RequesterID, "buddy_id": p.BuddyID,
			"conversation_id": p.ConversationID, "started_at": p.StartedAt.UTC()}
		if !p.EndedAt.IsZero() {
			row["ended_at"] = p.EndedAt.UTC()
			row["ended_by_me"] = p.EndedBy == actor.UserID
		}
		out["buddy_pairings"] = append(out["buddy_pairings"], row)
	}
	return out, nil
}
