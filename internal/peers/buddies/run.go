package buddies

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/match"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// Run is one run of the matcher and the draft proposals it made.
type Run struct {
	ID        string
	RunBy     string
	CreatedAt time.Time
	// Requests and Offers are how many waiting requests and available
	// offers took part.
	Requests, Offers int
	// Proposals are the drafts it made, by score, best first.
	Proposals []ProposalView
	// Unmatched is how many requests got no proposal.
	Unmatched int
}

// ProposalView is a proposal with the two people's display names, as a
// coordinator reviews it.
type ProposalView struct {
	Proposal
	RequesterName, BuddyName string
}

// pair is an unordered pair of people.
type pair [2]string

func pairOf(a, b string) pair {
	if a > b {
		a, b = b, a
	}
	return pair{a, b}
}

// matchInput is what a run hands to the matcher, with the people behind
// each request and offer.
type matchInput struct {
	reqs      []match.Request
	offers    []match.Offer
	reqUser   map[string]string // request id -> user id
	offerUser map[string]string // offer id -> user id
}

// RunMatcher runs the matcher over every waiting request and available
// offer of the actor's program (coordinators and admins; others get
// access.ErrNotFound) and stores its proposals as drafts for review,
// replacing the drafts of any earlier run. Blocked pairs, current buddies,
// the requester's own offer, pairs where one person declined before, and
// past buddies (unless the request is open to a previous buddy) are never
// proposed; offers of people below the minimum time in recovery, paused or
// withdrawn, or without room left, take no part.
func RunMatcher(ctx context.Context, d *db.DB, actor access.Actor) (*Run, error) {
	if err := access.CoordinateBuddies(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	var run *Run
	err := d.Tx(ctx, func(tx *db.Tx) error {
		programID := actor.ProgramID
		t := now()
		if _, err := tx.Exec(ctx, `UPDATE buddy_proposals SET status = 'replaced', decided_at = ? WHERE program_id = ? AND status = 'draft'`,
			t, programID); err != nil {
			return fmt.Errorf("buddies: run: %w", err)
		}
		in, err := loadMatchInput(ctx, tx, programID)
		if err != nil {
			return err
		}
		res := match.Match(in.reqs, in.offers, match.Options{MinDaysInRecovery: -1})
		run = &Run{ID: newID(), RunBy: actor.UserID, CreatedAt: t, Requests: len(in.reqs), Offers: len(in.offers), Unmatched: len(res.Unmatched)}
		if _, err := tx.Exec(ctx, `INSERT INTO buddy_runs (id, program_id, run_by, requests, offers, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			run.ID, programID, actor.UserID, run.Requests, run.Offers, t); err != nil {
			return fmt.Errorf("buddies: run: %w", err)
		}
		rows := make([][]any, 0, len(res.Proposals))
		for _, mp := range res.Proposals {
			reasons := mp.Reasons
			if reasons == nil {
				reasons = []string{}
			}
			p := Proposal{ID: newID(), ProgramID: programID, RunID: run.ID, RequestID: mp.RequestID, OfferID: mp.OfferID,
				RequesterID: in.reqUser[mp.RequestID], BuddyID: in.offerUser[mp.OfferID], Score: mp.Score, Reasons: reasons,
				Status: ProposalDraft, CreatedAt: t}
			rows = append(rows, []any{p.ID, p.ProgramID, p.RunID, p.RequestID, p.OfferID, p.RequesterID, p.BuddyID, p.Score,
				encodeList(p.Reasons), p.Status, t})
			run.Proposals = append(run.Proposals, ProposalView{Proposal: p})
		}
		for len(rows) > 0 {
			n := min(len(rows), 200)
			if err := tx.InsertRows(ctx, `INSERT INTO buddy_proposals (id, program_id, run_id, request_id, offer_id, requester_id,
				buddy_id, score, reasons, status, created_at) VALUES `, rows[:n]); err != nil {
				return fmt.Errorf("buddies: run: %w", err)
			}
			rows = rows[n:]
		}
		if err := nameProposals(ctx, tx, run.Proposals); err != nil {
			return err
		}
		sortByScore(run.Proposals)
		return audit.Record(ctx, tx, actor, audit.Event{Action: "buddy.match_run", SubjectType: "buddy_run", SubjectID: run.ID,
			Detail: map[string]string{"requests": fmt.Sprint(run.Requests), "offers": fmt.Sprint(run.Offers),
				"proposals": fmt.Sprint(len(run.Proposals))}})
	})
	return run, err
}

// loadMatchInput builds the matcher's requests and offers from the
// program's waiting requests, active offers and profiles, with every
// exclusion.
func loadMatchInput(ctx context.Context, q db.Querier, programID string) (*matchInput, error) {
	in := &matchInput{reqUser: map[string]string{}, offerUser: map[string]string{}}
	settings, err := GetSettings(ctx, q, programID)
	if err != nil {
		return nil, err
	}
	day, err := today(ctx, q, programID)
	if err != nil {
		return nil, err
	}
	type reqRow struct {
		r        match.Request
		userID   string
		previous bool
	}
	var reqs []reqRow
	rows, err := q.Query(ctx, `SELECT r.id, r.user_id, r.want_gender, r.want_language, r.pathway, r.meeting, r.life_stage,
		r.open_to_previous, `+profileSelect+`
		FROM buddy_requests r JOIN users u ON u.id = r.user_id LEFT JOIN profiles p ON p.user_id = r.user_id
		WHERE r.program_id = ? AND r.status = 'waiting' AND u.role = 'alumnus' AND u.disabled_at IS NULL AND u.program_id = ?`,
		programID, programID)
	if err != nil {
		return nil, fmt.Errorf("buddies: run requests: %w", err)
	}
	for rows.Next() {
		var x reqRow
		var pathway, meeting, stage string
		var prof profileRow
		if err := rows.Scan(append([]any{&x.r.ID, &x.userID, &x.r.WantGender, &x.r.WantLanguage, &pathway, &meeting, &stage,
			&x.previous}, prof.dest()...)...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("buddies: run requests: %w", err)
		}
		x.r.Languages, x.r.Interests, x.r.City, x.r.ContactTimes = prof.languages(), prof.interests(), prof.City, prof.times()
		x.r.Pathways = prof.pathways()
		if pathway != "" {
			x.r.Pathways = append(x.r.Pathways, members.PathwayLabel(pathway))
		}
		x.r.Meeting, x.r.LifeStage = meetingOf(meeting), strings.ToLower(label(LifeStages, stage))
		reqs = append(reqs, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("buddies: run requests: %w", err)
	}

	used, err := countBy(ctx, q, `SELECT buddy_id, COUNT(*) FROM buddy_pairings WHERE program_id = ? AND ended_at IS NULL GROUP BY buddy_id`, programID)
	if err != nil {
		return nil, err
	}
	pending, err := countBy(ctx, q, `SELECT buddy_id, COUNT(*) FROM buddy_proposals WHERE program_id = ? AND status = 'sent' GROUP BY buddy_id`, programID)
	if err != nil {
		return nil, err
	}
	starts, err := members.CurrentRecoveryStarts(ctx, q, programID)
	if err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT o.id, o.user_id, o.capacity, o.contact_times, o.meeting, o.gender, o.life_stage,
		`+profileSelect+`
		FROM buddy_offers o JOIN users u ON u.id = o.user_id LEFT JOIN profiles p ON p.user_id = o.user_id
		WHERE o.program_id = ? AND o.status = 'active' AND u.role = 'alumnus' AND u.disabled_at IS NULL AND u.program_id = ?`,
		programID, programID)
	if err != nil {
		return nil, fmt.Errorf("buddies: run offers: %w", err)
	}
	for rows.Next() {
		var o match.Offer
		var userID, times, meeting, stage string
		var prof profileRow
		if err := rows.Scan(append([]any{&o.ID, &userID, &o.Capacity, &times, &meeting, &o.Gender, &stage},
			prof.dest()...)...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("buddies: run offers: %w", err)
		}
		from, hasDate := starts[userID]
		if !eligible(settings, from, hasDate, day).OK {
			continue
		}
		if hasDate {
			o.DaysInRecovery = max(from.DaysUntil(day), 0)
		}
		o.Capacity -= used[userID] + pending[userID]
		if o.Capacity <= 0 {
			continue
		}
		for _, k := range decodeList(times) {
			o.ContactTimes = append(o.ContactTimes, Label(ContactTimes, k))
		}
		if len(o.ContactTimes) == 0 {
			o.ContactTimes = prof.times()
		}
		o.Languages, o.Interests, o.City, o.Pathways = prof.languages(), prof.interests(), prof.City, prof.pathways()
		o.Meeting, o.LifeStage = meetingOf(meeting), strings.ToLower(label(LifeStages, stage))
		in.offers = append(in.offers, o)
		in.offerUser[o.ID] = userID
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("buddies: run offers: %w", err)
	}

	// Exclusions: current buddies, past pairings, declined proposals,
	// blocks, and one's own offer.
	current, err := pairSet(ctx, q, `SELECT member_id, buddy_id FROM buddies WHERE program_id = ?
		UNION SELECT requester_id, buddy_id FROM buddy_pairings WHERE program_id = ? AND ended_at IS NULL`, programID, programID)
	if err != nil {
		return nil, err
	}
	past, err := pairSet(ctx, q, `SELECT requester_id, buddy_id FROM buddy_pairings WHERE program_id = ? AND ended_at IS NOT NULL`, programID)
	if err != nil {
		return nil, err
	}
	declined, err := pairSet(ctx, q, `SELECT requester_id, buddy_id FROM buddy_proposals WHERE program_id = ? AND status = 'declined'`, programID)
	if err != nil {
		return nil, err
	}
	for _, x := range reqs {
		blocked, err := safety.BlockedIDs(ctx, q, x.userID)
		if err != nil {
			return nil, err
		}
		for _, o := range in.offers {
			b := in.offerUser[o.ID]
			k := pairOf(x.userID, b)
			if b == x.userID || blocked[b] || current[k] || declined[k] || (past[k] && !x.previous) {
				x.r.ExcludedOfferIDs = append(x.r.ExcludedOfferIDs, o.ID)
			}
		}
		in.reqs = append(in.reqs, x.r)
		in.reqUser[x.r.ID] = x.userID
	}
	return in, nil
}

// profileSelect reads the profile columns the matcher uses (profileRow).
const profileSelect = `COALESCE(p.languages, '[]'), COALESCE(p.interests, '[]'), COALESCE(p.pathways, '[]'),
	COALESCE(p.vis_pathways, 'coach'), COALESCE(p.city, ''), COALESCE(p.contact_times, '')`

// profileRow holds a person's profile as the matcher uses it.
type profileRow struct {
	Languages, Interests, Pathways, VisPathways, City, ContactTimes string
}

func (p *profileRow) dest() []any {
	return []any{&p.Languages, &p.Interests, &p.Pathways, &p.VisPathways, &p.City, &p.ContactTimes}
}

func (p *profileRow) languages() []string { return decodeList(p.Languages) }
func (p *profileRow) interests() []string { return decodeList(p.Interests) }

// pathways are the profile's pathways by label, used only when the member
// shares them with a buddy or the whole program: the reasons of a match
// name shared pathways.
func (p *profileRow) pathways() []string {
	if p.VisPathways != string(access.VisBuddy) && p.VisPathways != string(access.VisProgram) {
		return nil
	}
	var out []string
	for _, k := range decodeList(p.Pathways) {
		out = append(out, members.PathwayLabel(k))
	}
	return out
}

// times splits the profile's free-text contact times ("Evenings,
// weekends") into parts.
func (p *profileRow) times() []string {
	f := func(r rune) bool { return r == ',' || r == ';' || r == '/' || r == '\n' }
	var out []string
	for _, part := range strings.FieldsFunc(p.ContactTimes, f) {
		for _, s := range strings.Split(part, " and ") {
			if s = strings.TrimSpace(s); s != "" && len(s) <= 40 {
				out = append(out, s)
			}
		}
	}
	return out
}

func meetingOf(key string) match.Meeting {
	switch key {
	case MeetInPerson:
		return match.MeetingInPerson
	case MeetOnline:
		return match.MeetingOnline
	}
	return match.MeetingAny
}

// countBy reads "id, count" rows into a map.
func countBy(ctx context.Context, q db.Querier, query string, args ...any) (map[string]int, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("buddies: counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("buddies: counts: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// pairSet reads "a, b" rows into a set of unordered pairs.
func pairSet(ctx context.Context, q db.Querier, query string, args ...any) (map[pair]bool, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("buddies: pairs: %w", err)
	}
	defer rows.Close()
	out := map[pair]bool{}
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			return nil, fmt.Errorf("buddies: pairs: %w", err)
		}
		out[pairOf(a, b)] = true
	}
	return out, rows.Err()
}
