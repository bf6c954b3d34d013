package buddies

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// ForgetUser removes a person's part in the buddy program when their
// account is deleted (members.ConfirmDeletion runs it inside the
// deletion's transaction; the server wiring passes it, see
// internal/mydata):
//
//   - their sent proposals end as if they declined them, and their drafts
//     are withdrawn (closeProposal): the other person of a sent one is
//     told only NotAheadText, sees it on their page in those words, and
//     their own request waits again; the
//     matcher's reasons, drawn from both profiles, are erased on every
//     proposal of theirs;
//   - their current pairings end as EndPairing ends them: the history row
//     stays, ended by them, the pair leaves the buddies table both ways,
//     and the other person is told kindly, in the same words;
//   - their offer and requests are withdrawn, and their words (about,
//     availability, hopes) and preferences (gender, life stage, pathway)
//     are erased.
func ForgetUser(ctx context.Context, tx *db.Tx, userID string) error {
	ps, err := loadProposals(ctx, tx, `WHERE (requester_id = ? OR buddy_id = ?) AND status IN ('draft', 'sent')`, userID, userID)
	if err != nil {
		return err
	}
	for _, p := range ps {
		// A sent one ends as if they declined it: MyState leaves a
		// withdrawn proposal off its requester's page (they withdrew it
		// themself), while a declined one reads NotAheadText to both. A
		// draft was never shown to anyone, and is withdrawn.
		status := ProposalWithdrawn
		if p.Status == ProposalSent {
			status = ProposalDeclined
		}
		if err := closeProposal(ctx, tx, p, status, userID); err != nil {
			return err
		}
	}
	pairs, err := loadPairings(ctx, tx, `WHERE (requester_id = ? OR buddy_id = ?) AND ended_at IS NULL`, userID, userID)
	if err != nil {
		return err
	}
	for _, p := range pairs {
		if err := forgetPairing(ctx, tx, p, userID); err != nil {
			return err
		}
	}
	t := now()
	steps := []struct {
		query string
		args  []any
	}{
		{`UPDATE buddy_proposals SET reasons = ? WHERE requester_id = ? OR buddy_id = ?`, []any{encodeList(nil), userID, userID}},
		{`UPDATE buddy_offers SET status = 'withdrawn', availability = '', about = '', gender = '', life_stage = '', updated_at = ?
			WHERE user_id = ?`, []any{t, userID}},
		{`UPDATE buddy_requests SET status = 'withdrawn', updated_at = ? WHERE user_id = ? AND status IN ('waiting', 'proposed')`,
			[]any{t, userID}},
		{`UPDATE buddy_requests SET hopes = '', want_gender = '', pathway = '', life_stage = '' WHERE user_id = ?`, []any{userID}},
	}
	for _, s := range steps {
		if _, err := tx.Exec(ctx, s.query, s.args...); err != nil {
			return fmt.Errorf("buddies: forget user: %w", err)
		}
	}
	return nil
}

// forgetPairing ends current pairing p because userID, one of its two
// people, is being deleted: as EndPairing ends it, without the audit
// entry (the deletion is audited once).
func forgetPairing(ctx context.Context, tx *db.Tx, p *Pairing, userID string) error {
	if _, err := tx.Exec(ctx, `UPDATE buddy_pairings SET ended_at = ?, ended_by = ? WHERE id = ?`, now(), userID, p.ID); err != nil {
		return fmt.Errorf("buddies: forget user: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM buddies WHERE (member_id = ? AND buddy_id = ?) OR (member_id = ? AND buddy_id = ?)`,
		p.RequesterID, p.BuddyID, p.BuddyID, p.RequesterID); err != nil {
		return fmt.Errorf("buddies: forget user: %w", err)
	}
	other := p.BuddyID
	if userID == p.BuddyID {
		other = p.RequesterID
	}
	if other == userID {
		return nil
	}
	_, err := notify.Send(ctx, tx, other, notify.KindMessage, notify.Data{Title: "Your buddy pairing has ended",
		Body: "Pairings end for all kinds of reasons, and that is okay. Thank you for the time you shared. " +
			"You can ask for a new buddy on the Buddies page whenever you like.", Link: "/buddies"})
	return err
}
