package buddies

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// MyProposal is a sent (or recently closed) proposal as one of its two
// people sees it. It never says who declined: a closed proposal reads
// NotAheadText for the other person.
type MyProposal struct {
	ID string
	// AsBuddy: the viewer is the one who offered to be a buddy.
	AsBuddy bool
	// OtherName is the other person's first name and last initial.
	OtherName string
	// OtherText is what the other person wrote: what they offer (for the
	// one who asked) or what they hope for (for the buddy).
	OtherText string
	// OtherAvailability and OtherMeeting describe the buddy (shown to the
	// one who asked).
	OtherAvailability, OtherMeeting string
	// Reasons are the shared facts, leaving out recovery pathways (which
	// each person shares on their own terms).
	Reasons []string
	// MyAnswer is the viewer's own answer ("", accepted, declined).
	MyAnswer string
	// Open: waiting for answers. NotAhead: closed without a pairing.
	Open, NotAhead bool
	SentAt         time.Time
}

// MyPairing is a current pairing as one of its people sees it.
type MyPairing struct {
	ID             string
	AsBuddy        bool
	OtherID        string
	OtherName      string
	ConversationID string
	StartedAt      time.Time
}

// State is everything the buddies page shows an alumnus about themself.
type State struct {
	Settings    Settings
	Eligibility Eligibility
	// Offer is their offer (nil when never made); Request their open
	// request (nil when none).
	Offer     *Offer
	Request   *Request
	Proposals []MyProposal
	Pairings  []MyPairing
	// PastPairings counts pairings that have ended.
	PastPairings int
}

// recentClosed is how long a declined or withdrawn proposal stays on the
// page, with its neutral words.
const recentClosed = 14 * 24 * time.Hour

// MyState returns the actor's own buddy page (alumni; others are
// access.ErrNotFound).
func MyState(ctx context.Context, q db.Querier, actor access.Actor) (*State, error) {
	if err := access.TakePartInBuddies(actor); err != nil {
		return nil, err
	}
	s := &State{}
	var err error
	if s.Eligibility, err = eligibilityOf(ctx, q, actor.ProgramID, actor.UserID); err != nil {
		return nil, err
	}
	s.Settings = s.Eligibility.Settings
	if s.Offer, err = ownOffer(ctx, q, actor.UserID); err != nil {
		return nil, err
	}
	if s.Request, err = openRequest(ctx, q, actor.UserID); err != nil {
		return nil, err
	}
	since := now().Add(-recentClosed)
	ps, err := loadProposals(ctx, q, `WHERE (requester_id = ? OR buddy_id = ?) AND program_id = ?
		AND (status = 'sent' OR (status IN ('declined', 'withdrawn') AND sent_at IS NOT NULL AND decided_at >= ?))`,
		actor.UserID, actor.UserID, actor.ProgramID, since)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.Status == ProposalWithdrawn && p.RequesterID == actor.UserID {
			continue // they withdrew their request themself
		}
		mp, err := myProposal(ctx, q, actor.UserID, p)
		if err != nil {
			return nil, err
		}
		s.Proposals = append(s.Proposals, mp)
	}
	prs, err := loadPairings(ctx, q, `WHERE (requester_id = ? OR buddy_id = ?) AND program_id = ?`, actor.UserID, actor.UserID, actor.ProgramID)
	if err != nil {
		return nil, err
	}
	for _, p := range prs {
		if !p.EndedAt.IsZero() {
			s.PastPairings++
			continue
		}
		mp := MyPairing{ID: p.ID, AsBuddy: p.BuddyID == actor.UserID, OtherID: p.BuddyID, ConversationID: p.ConversationID, StartedAt: p.StartedAt}
		if mp.AsBuddy {
			mp.OtherID = p.RequesterID
		}
		o, err := loadPerson(ctx, q, mp.OtherID)
		if err != nil {
			return nil, fmt.Errorf("buddies: pairing: %w", err)
		}
		mp.OtherName = o.name()
		s.Pairings = append(s.Pairings, mp)
	}
	return s, nil
}

// myProposal shapes p for viewer.
func myProposal(ctx context.Context, q db.Querier, viewer string, p *Proposal) (MyProposal, error) {
	mp := MyProposal{ID: p.ID, AsBuddy: p.BuddyID == viewer, Open: p.Status == ProposalSent, SentAt: p.SentAt}
	mp.NotAhead = p.Status == ProposalDeclined || p.Status == ProposalWithdrawn
	other := p.BuddyID
	mp.MyAnswer = p.RequesterAnswer
	if mp.AsBuddy {
		other, mp.MyAnswer = p.RequesterID, p.BuddyAnswer
	}
	o, err := loadPerson(ctx, q, other)
	if err != nil {
		return mp, fmt.Errorf("buddies: proposal: %w", err)
	}
	mp.OtherName = o.name()
	for _, r := range p.Reasons {
		if !strings.HasPrefix(r, "both follow ") {
			mp.Reasons = append(mp.Reasons, r)
		}
	}
	if mp.AsBuddy {
		err = q.QueryRow(ctx, `SELECT hopes FROM buddy_requests WHERE id = ?`, p.RequestID).Scan(&mp.OtherText)
	} else {
		var meeting string
		err = q.QueryRow(ctx, `SELECT about, availability, meeting FROM buddy_offers WHERE id = ?`, p.OfferID).
			Scan(&mp.OtherText, &mp.OtherAvailability, &meeting)
		mp.OtherMeeting = Label(Meetings, meeting)
	}
	if err != nil {
		return mp, fmt.Errorf("buddies: proposal: %w", db.Err(err))
	}
	return mp, nil
}

// Coordination is the coordinator's page: counts, the latest run's drafts
// and the settings.
type Coordination struct {
	Settings Settings
	// Waiting and Offers count waiting requests and active offers.
	Waiting, Offers int
	// Sent counts proposals waiting for answers; Pairings current pairings.
	Sent, Pairings int
	// LastRun is the latest run (nil when none), with its drafts.
	LastRun *Run
	Drafts  []ProposalView
}

// Coordinate returns the coordinator's page for the actor's program
// (coordinators and admins; others are access.ErrNotFound). The read is
// audited: drafts name people and their shared facts.
func Coordinate(ctx context.Context, d *db.DB, actor access.Actor) (*Coordination, error) {
	if err := access.CoordinateBuddies(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	c := &Coordination{}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		pid := actor.ProgramID
		var err error
		if c.Settings, err = GetSettings(ctx, tx, pid); err != nil {
			return err
		}
		for _, x := range []struct {
			n     *int
			query string
		}{
			{&c.Waiting, `SELECT COUNT(*) FROM buddy_requests WHERE program_id = ? AND status = 'waiting'`},
			{&c.Offers, `SELECT COUNT(*) FROM buddy_offers WHERE program_id = ? AND status = 'active'`},
			{&c.Sent, `SELECT COUNT(*) FROM buddy_proposals WHERE program_id = ? AND status = 'sent'`},
			{&c.Pairings, `SELECT COUNT(*) FROM buddy_pairings WHERE program_id = ? AND ended_at IS NULL`},
		} {
			if err := tx.QueryRow(ctx, x.query, pid).Scan(x.n); err != nil {
				return fmt.Errorf("buddies: coordinate: %w", err)
			}
		}
		var r Run
		err = db.Err(tx.QueryRow(ctx, `SELECT id, run_by, requests, offers, created_at FROM buddy_runs WHERE program_id = ?
			ORDER BY created_at DESC, id DESC LIMIT 1`, pid).Scan(&r.ID, &r.RunBy, &r.Requests, &r.Offers, &r.CreatedAt))
		if err == nil {
			c.LastRun = &r
		} else if !errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("buddies: coordinate: %w", err)
		}
		ps, err := loadProposals(ctx, tx, `WHERE program_id = ? AND status = 'draft'`, pid)
		if err != nil {
			return err
		}
		for _, p := range ps {
			c.Drafts = append(c.Drafts, ProposalView{Proposal: *p})
		}
		if err := nameProposals(ctx, tx, c.Drafts); err != nil {
			return err
		}
		sortByScore(c.Drafts)
		return audit.Record(ctx, tx, actor, audit.Event{Action: "buddy.coordinate.view", SubjectType: "program", SubjectID: pid,
			Detail: map[string]string{"drafts": fmt.Sprint(len(c.Drafts))}})
	})
	return c, err
}

// nameProposals fills in the display names.
func nameProposals(ctx context.Context, q db.Querier, ps []ProposalView) error {
	ids := map[string]bool{}
	for _, p := range ps {
		ids[p.RequesterID], ids[p.BuddyID] = true, true
	}
	n, err := names(ctx, q, ids)
	if err != nil {
		return err
	}
	for i := range ps {
		ps[i].RequesterName, ps[i].BuddyName = n[ps[i].RequesterID], n[ps[i].BuddyID]
	}
	return nil
}

// sortByScore orders proposals best first, then by names and id.
func sortByScore(ps []ProposalView) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.RequesterName != b.RequesterName {
			return a.RequesterName < b.RequesterName
		}
		return a.ID < b.ID
	})
}
