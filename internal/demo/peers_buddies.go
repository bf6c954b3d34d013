package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/buddies"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// demoOffers are what the demo buddies offer, in turn.
var demoOffers = []buddies.OfferInput{
	{Capacity: 2, ContactTimes: []string{"evenings", "weekends"}, Meeting: buddies.MeetInPerson, LifeStage: "parent",
		About: "Coffee after the Tuesday meeting, a walk around the lake, or a call when the evenings get long. I remember my first year well."},
	{Capacity: 1, ContactTimes: []string{"mornings"}, Meeting: buddies.MeetOnline, Gender: "woman",
		About: "A morning check-in by phone or video before work. I like to keep it simple and honest."},
	{Capacity: 3, ContactTimes: []string{"weekends"}, Meeting: buddies.MeetEither, LifeStage: "working",
		About: "Hikes, fishing, and plenty of listening. Happy to go to a meeting together if you are nervous about a new one."},
	{Capacity: 1, ContactTimes: []string{"afternoons", "evenings"}, Meeting: buddies.MeetEither, Gender: "unsaid",
		About: "Cooking together, board games, or just texting through a hard day."},
}

// demoRequests are what the demo alumni who ask for a buddy hope for.
var demoRequests = []buddies.RequestInput{
	{Hopes: "Someone who has been through the first year and can tell me it gets easier.", Meeting: buddies.MeetInPerson},
	{Hopes: "A morning check-in would help me start the day right.", WantGender: "woman", Meeting: buddies.MeetOnline},
	{Hopes: "I just moved here and would like someone to go to meetings with.", Meeting: buddies.MeetEither, LifeStage: "working"},
	{Hopes: "Weekends are hardest for me. A hike or a coffee would mean a lot.", Meeting: buddies.MeetEither},
	{Hopes: "I am a new parent and would love to talk with someone who gets it.", LifeStage: "parent"},
}

// seedBuddies gives the demo program a few buddy offers (from alumni with
// enough time in recovery) and requests (from newer alumni), and runs the
// matcher as the coordinator, so that coordinator@demo.cairn.test finds
// draft proposals to review. A program with any buddy offer is left alone.
func seedBuddies(ctx context.Context, d *db.DB, p *programs.Program) error {
	if err := seedPairingHistory(ctx, d, p); err != nil {
		return err
	}
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM buddy_offers WHERE program_id = ?`, p.ID).Scan(&n); err != nil {
		return fmt.Errorf("demo: buddies: %w", err)
	}
	if n > 0 {
		return nil
	}
	// Alex and Priya are buddies already; the others take part.
	skip := map[string]bool{"alex@demo.cairn.test": true, "priya.raman@demo.cairn.test": true}
	offers, asks := 0, 0
	for _, pe := range people() {
		if pe.Role != access.Alumnus || skip[pe.Email] || (offers == len(demoOffers) && asks == len(demoRequests)) {
			continue
		}
		id, ok, err := userID(ctx, d, p.ID, pe.Email)
		if err != nil {
			return fmt.Errorf("demo: buddies: %w", err)
		}
		if !ok {
			continue
		}
		a := access.Actor{UserID: id, ProgramID: p.ID, Role: access.Alumnus, RequestID: "demo"}
		if offers < len(demoOffers) {
			_, err := buddies.SaveOffer(ctx, d, a, demoOffers[offers])
			var ve members.ValidationError
			if err == nil {
				offers++
				continue
			}
			if !errors.As(err, &ve) {
				return fmt.Errorf("demo: buddy offer: %w", err)
			}
		}
		if asks < len(demoRequests) {
			if _, err := buddies.AskForBuddy(ctx, d, a, demoRequests[asks]); err != nil {
				return fmt.Errorf("demo: buddy request: %w", err)
			}
			asks++
		}
	}
	coord, ok, err := userID(ctx, d, p.ID, "coordinator@demo.cairn.test")
	if err != nil || !ok {
		return err
	}
	_, err = buddies.RunMatcher(ctx, d, access.Actor{UserID: coord, ProgramID: p.ID, Role: access.Coordinator, RequestID: "demo"})
	if err != nil {
		return fmt.Errorf("demo: buddy match run: %w", err)
	}
	return nil
}

// seedPairingHistory gives each buddy pair of the demo program (Alex and
// Priya, paired by seedProfiles) its pairing on the buddies page, with
// their direct conversation, when it has none yet.
func seedPairingHistory(ctx context.Context, d *db.DB, p *programs.Program) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		rows, err := tx.Query(ctx, `SELECT b.member_id, b.buddy_id FROM buddies b WHERE b.program_id = ? AND b.member_id < b.buddy_id
			AND NOT EXISTS (SELECT 1 FROM buddy_pairings x WHERE x.ended_at IS NULL
				AND ((x.requester_id = b.member_id AND x.buddy_id = b.buddy_id) OR (x.requester_id = b.buddy_id AND x.buddy_id = b.member_id)))`, p.ID)
		if err != nil {
			return fmt.Errorf("demo: buddy pairs: %w", err)
		}
		var pairs [][2]string
		for rows.Next() {
			var a, b string
			if err := rows.Scan(&a, &b); err != nil {
				rows.Close()
				return fmt.Errorf("demo: buddy pairs: %w", err)
			}
			pairs = append(pairs, [2]string{a, b})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("demo: buddy pairs: %w", err)
		}
		for _, pr := range pairs {
			conv, err := conversations.StartDirect(ctx, tx, p.ID, pr[0], pr[1])
			if err != nil {
				return err
			}
			started := time.Now().UTC().AddDate(0, -2, 0).Truncate(time.Microsecond)
			if _, err := tx.Exec(ctx, `INSERT INTO buddy_pairings (id, program_id, proposal_id, requester_id, buddy_id, offer_id,
				conversation_id, started_at, ended_at, ended_by) VALUES (?, ?, '', ?, ?, '', ?, ?, NULL, '')`,
				uuid.Must(uuid.NewV7()).String(), p.ID, pr[0], pr[1], conv, started); err != nil {
				return fmt.Errorf("demo: buddy pairs: %w", err)
			}
		}
		return nil
	})
}
