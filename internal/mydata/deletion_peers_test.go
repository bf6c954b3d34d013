package mydata

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/buddies"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/peers/crisis"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// peersWorld gives Alex a part in every peer-support feature: a buddy
// offer and request, a sent proposal with Pat (Alex as buddy), a draft
// one with Dee (Alex asking), a pairing with Bo and its direct
// conversation, a group with Pat and Dee where Pat reported one of Alex's
// messages, blocks both ways, a crisis flag and a reach-out.
type peersWorld struct {
	sentProposal, draftProposal, pairing string
	direct, group                        string
	reportedMsg, erasedMsg, reportID     string
}

func newPeersWorld(t *testing.T, w *world) *peersWorld {
	t.Helper()
	ctx, d := w.ctx, w.d
	pw := &peersWorld{}
	if err := buddies.SaveSettings(ctx, d, w.coord, "0"); err != nil {
		t.Fatal(err)
	}
	alexOffer, err := buddies.SaveOffer(ctx, d, w.alex, buddies.OfferInput{Capacity: 2, About: "Alex offers calm walks",
		Availability: "Alex after six", Gender: "", Meeting: buddies.MeetEither})
	if err != nil {
		t.Fatal(err)
	}
	alexReq, err := buddies.AskForBuddy(ctx, d, w.alex, buddies.RequestInput{Hopes: "Alex hopes for company"})
	if err != nil {
		t.Fatal(err)
	}
	patReq, err := buddies.AskForBuddy(ctx, d, w.pat, buddies.RequestInput{Hopes: "Pat hopes"})
	if err != nil {
		t.Fatal(err)
	}
	boReq, err := buddies.AskForBuddy(ctx, d, w.bo, buddies.RequestInput{Hopes: "Bo hopes"})
	if err != nil {
		t.Fatal(err)
	}
	deeOffer, err := buddies.SaveOffer(ctx, d, w.dee, buddies.OfferInput{Capacity: 1, About: "Dee offers tea", Meeting: buddies.MeetEither})
	if err != nil {
		t.Fatal(err)
	}
	// The matcher's proposals, written as a run would write them.
	run := uuid.Must(uuid.NewV7()).String()
	now := time.Now().UTC()
	w.exec(t, `INSERT INTO buddy_runs (id, program_id, run_by, requests, offers, created_at) VALUES (?, ?, ?, 3, 2, ?)`, run, w.prog, w.coord.UserID, now)
	propose := func(req *buddies.Request, o *buddies.Offer) string {
		id := uuid.Must(uuid.NewV7()).String()
		w.exec(t, `INSERT INTO buddy_proposals (id, program_id, run_id, request_id, offer_id, requester_id, buddy_id, score, reasons, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 5, '["both enjoy hiking"]', 'draft', ?)`, id, w.prog, run, req.ID, o.ID, req.UserID, o.UserID, now)
		return id
	}
	pw.sentProposal = propose(patReq, alexOffer)
	toBo := propose(boReq, alexOffer)
	pw.draftProposal = propose(alexReq, deeOffer)
	if n, err := buddies.SendProposals(ctx, d, w.coord, []string{pw.sentProposal, toBo}); err != nil || n != 2 {
		t.Fatalf("send = %d, %v", n, err)
	}
	if _, err := buddies.Answer(ctx, d, w.bo, toBo, true); err != nil {
		t.Fatal(err)
	}
	p, err := buddies.Answer(ctx, d, w.alex, toBo, true)
	if err != nil || p == nil || p.ConversationID == "" {
		t.Fatalf("pairing = %+v, %v", p, err)
	}
	pw.pairing, pw.direct = p.ID, p.ConversationID

	// Conversations.
	if _, _, err := conversations.Send(ctx, d, w.alex, pw.direct, "Alex tells Bo a secret"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := conversations.Send(ctx, d, w.bo, pw.direct, "Bo answers Alex"); err != nil {
		t.Fatal(err)
	}
	g, _, err := conversations.Start(ctx, d, w.alex, conversations.NewConversation{MemberIDs: []string{w.pat.UserID, w.dee.UserID},
		Title: "Walkers", Body: "Alex greets the walkers"})
	if err != nil {
		t.Fatal(err)
	}
	pw.group = g.ID
	m, _, err := conversations.Send(ctx, d, w.alex, g.ID, "Alex says something reportable")
	if err != nil {
		t.Fatal(err)
	}
	pw.reportedMsg = m.ID
	m, _, err = conversations.Send(ctx, d, w.alex, g.ID, "Alex says goodbye")
	if err != nil {
		t.Fatal(err)
	}
	pw.erasedMsg = m.ID
	if _, _, err := conversations.Send(ctx, d, w.pat, g.ID, "Pat answers the group"); err != nil {
		t.Fatal(err)
	}
	if err := conversations.SetMuted(ctx, d, w.alex, g.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := conversations.MarkRead(ctx, d, w.alex, g.ID); err != nil {
		t.Fatal(err)
	}
	if pw.reportID, err = safety.Report(ctx, d, w.pat, safety.ReportInput{Kind: "message", ID: pw.reportedMsg, Reason: "unsafe"}); err != nil {
		t.Fatal(err)
	}

	// Blocks both ways, a crisis flag and a reach-out.
	if err := safety.Block(ctx, d, w.alex, w.dee.UserID); err != nil {
		t.Fatal(err)
	}
	if err := safety.Block(ctx, d, w.pat, w.alex.UserID); err != nil {
		t.Fatal(err)
	}
	if err := d.Tx(ctx, func(tx *db.Tx) error {
		return crisis.Flag(ctx, tx, w.alex, crisis.Source{Kind: "message", ID: pw.erasedMsg, Link: "/conversations/" + g.ID})
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := crisis.ReachOut(ctx, d, w.alex); err != nil {
		t.Fatal(err)
	}
	return pw
}

// TestDeletionForgetsPeerSupport deletes Alex, who took part in buddies,
// conversations, blocks and crisis support: none of Alex's words remain
// but the reported message, the others' pairings, proposals and threads
// still work and say what happened, and no block or crisis row is left.
func TestDeletionForgetsPeerSupport(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		_, _, patPost, patComment, _ := circleWorld(t, w)
		// Alex's reports: one closed, one still open.
		closed, err := safety.Report(w.ctx, d, w.alex, safety.ReportInput{Kind: "comment", ID: patComment, Reason: "spam", Note: "Alex's closed note"})
		if err != nil {
			t.Fatal(err)
		}
		if err := safety.Dismiss(w.ctx, d, w.coord, closed); err != nil {
			t.Fatal(err)
		}
		open, err := safety.Report(w.ctx, d, w.alex, safety.ReportInput{Kind: "post", ID: patPost, Reason: "other", Note: "Alex's open note"})
		if err != nil {
			t.Fatal(err)
		}
		pw := newPeersWorld(t, w)
		alex := w.alex.UserID
		if n := w.count(t, `SELECT COUNT(*) FROM crisis_flags WHERE user_id = ?`, alex); n != 1 {
			t.Fatalf("crisis flags before = %d, want 1", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE kind = 'support_request' AND link = ?`, "/members/"+alex); n == 0 {
			t.Fatal("no one was told of Alex's flag")
		}

		req, err := members.RequestDeletion(w.ctx, d, w.alex, testNow)
		if err != nil {
			t.Fatal(err)
		}
		if err := ConfirmDeletion(w.ctx, d, w.admin, req.ID, testNow); err != nil {
			t.Fatal(err)
		}
		storedCountsRight(t, w)

		for q, want := range map[string]int{
			// Buddies: offer and requests withdrawn, their words gone.
			`SELECT COUNT(*) FROM buddy_offers WHERE user_id = ? AND (status <> 'withdrawn' OR about <> '' OR availability <> '')`: 0,
			`SELECT COUNT(*) FROM buddy_requests WHERE user_id = ? AND (status <> 'withdrawn' OR hopes <> '')`:                     0,
			`SELECT COUNT(*) FROM buddy_proposals WHERE (requester_id = ? OR buddy_id = ?) AND status IN ('draft', 'sent')`:        0,
			`SELECT COUNT(*) FROM buddy_proposals WHERE (requester_id = ? OR buddy_id = ?) AND reasons <> '[]'`:                    0,
			`SELECT COUNT(*) FROM buddy_pairings WHERE (requester_id = ? OR buddy_id = ?) AND ended_at IS NULL`:                    0,
			`SELECT COUNT(*) FROM buddies WHERE member_id = ? OR buddy_id = ?`:                                                     0,
			// Conversations: no memberships; every message hidden.
			`SELECT COUNT(*) FROM conversation_members WHERE user_id = ?`:                                                            0,
			`SELECT COUNT(*) FROM conversation_messages WHERE author_id = ? AND NOT hidden`:                                          0,
			`SELECT COUNT(*) FROM conversation_messages WHERE author_id = ?`:                                                         4,
			`SELECT COUNT(*) FROM conversations WHERE id IN (SELECT conversation_id FROM conversation_messages WHERE author_id = ?)`: 2,
			// Safety: no blocks; the report stays.
			`SELECT COUNT(*) FROM blocks WHERE blocker_id = ? OR blocked_id = ?`: 0,
			// Crisis: nothing left, nor the urgent notes about Alex.
			`SELECT COUNT(*) FROM crisis_flags WHERE user_id = ?`:         0,
			`SELECT COUNT(*) FROM crisis_reach_outs WHERE user_id = ?`:    0,
			`SELECT COUNT(*) FROM crisis_notify_claims WHERE user_id = ?`: 0,
		} {
			args := []any{alex}
			if countMarksTest(q) == 2 {
				args = append(args, alex)
			}
			if n := w.count(t, q, args...); n != want {
				t.Errorf("%s = %d, want %d", q, n, want)
			}
		}
		// Every sealed body of Alex's but the reported one is empty (an
		// empty AES-GCM seal is its 16-byte tag).
		if n := w.count(t, `SELECT COUNT(*) FROM conversation_messages WHERE author_id = ? AND id <> ? AND LENGTH(body) > 16`,
			alex, pw.reportedMsg); n != 0 {
			t.Errorf("%d of Alex's messages keep their words", n)
		}
		// Alex's reports stay, naming Alex; the note of the closed one goes,
		// the open one's stays for the moderator still to act on it.
		if n := w.count(t, `SELECT COUNT(*) FROM reports WHERE id = ? AND reporter_id = ? AND note = ''`, closed, alex); n != 1 {
			t.Error("Alex's closed report is gone or keeps its note")
		}
		if n := w.count(t, `SELECT COUNT(*) FROM reports WHERE id = ? AND reporter_id = ? AND note = 'Alex''s open note'`, open, alex); n != 1 {
			t.Error("Alex's open report lost its note")
		}
		if n := w.count(t, `SELECT COUNT(*) FROM reports WHERE id = ? AND reporter_id = ?`, pw.reportID, w.pat.UserID); n != 1 {
			t.Error("Pat's report of Alex's message is gone")
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE kind = 'support_request' AND link IN (?, ?)`,
			"/members/"+alex, "/admin/people/"+alex); n != 0 {
			t.Errorf("%d urgent notifications about Alex remain", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'crisis.reach_out' AND subject_id = ?`, alex); n != 1 {
			t.Errorf("audit entries of the reach-out = %d, want 1 (kept)", n)
		}

		// Pat's proposal did not go ahead, in the usual words, and Pat's
		// request waits again; Bo's pairing is over, in the history.
		pat, err := buddies.MyState(w.ctx, d, w.pat)
		if err != nil {
			t.Fatal(err)
		}
		if len(pat.Proposals) != 1 || !pat.Proposals[0].NotAhead || pat.Proposals[0].OtherText != "" {
			t.Errorf("Pat's proposals = %+v, want one that did not go ahead, without Alex's words", pat.Proposals)
		}
		if pat.Request == nil || pat.Request.Status != buddies.RequestWaiting {
			t.Errorf("Pat's request = %+v, want waiting", pat.Request)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND body = ?`, w.pat.UserID, buddies.NotAheadText); n != 1 {
			t.Errorf("Pat was told %d times that the match did not go ahead, want 1", n)
		}
		bo, err := buddies.MyState(w.ctx, d, w.bo)
		if err != nil {
			t.Fatal(err)
		}
		if len(bo.Pairings) != 0 || bo.PastPairings != 1 {
			t.Errorf("Bo's pairings = %d current, %d past; want 0 and 1", len(bo.Pairings), bo.PastPairings)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM buddy_pairings WHERE id = ? AND ended_by = ?`, pw.pairing, alex); n != 1 {
			t.Error("the pairing is not ended by Alex")
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title = 'Your buddy pairing has ended'`, w.bo.UserID); n != 1 {
			t.Errorf("Bo was told %d times that the pairing ended, want 1", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM buddy_proposals WHERE id = ? AND status = 'withdrawn'`, pw.draftProposal); n != 1 {
			t.Error("the draft proposal for Alex is still open")
		}

		// Bo's direct conversation and Pat's group still load, with Alex's
		// messages in place, removed.
		for _, c := range []struct {
			who  string
			conv string
			msgs int
		}{{"Bo", pw.direct, 2}, {"Pat", pw.group, 4}} {
			actor := w.bo
			if c.who == "Pat" {
				actor = w.pat
			}
			if _, err := conversations.Get(w.ctx, d, actor, c.conv); err != nil {
				t.Fatalf("%s's conversation: %v", c.who, err)
			}
			ms, err := conversations.Messages(w.ctx, d, actor, c.conv, conversations.Page{})
			if err != nil {
				t.Fatalf("%s's messages: %v", c.who, err)
			}
			if len(ms) != c.msgs {
				t.Errorf("%s sees %d messages, want %d", c.who, len(ms), c.msgs)
			}
			for _, m := range ms {
				if m.AuthorID == alex && (!m.Hidden || m.Body != "" || m.AuthorName != "Someone no longer here") {
					t.Errorf("%s sees Alex's message %+v", c.who, m)
				}
			}
			if _, err := conversations.List(w.ctx, d, actor); err != nil {
				t.Fatalf("%s's list: %v", c.who, err)
			}
		}
		// Bo's direct conversation is closed: nobody is left to read it.
		if _, _, err := conversations.Send(w.ctx, d, w.bo, pw.direct, "Are you there?"); !errors.Is(err, conversations.ErrClosed) {
			t.Errorf("Bo writes to a deleted account: %v, want ErrClosed", err)
		}
		bl, err := conversations.List(w.ctx, d, w.bo)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range bl {
			if v.ID == pw.direct && !v.Closed {
				t.Error("Bo's list does not show the conversation closed")
			}
		}
		g, err := conversations.Get(w.ctx, d, w.pat, pw.group)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range g.Members {
			if m.UserID == alex {
				t.Error("Alex is still a member of the group")
			}
		}

		// Staff reading the report see the reported words, and nothing of
		// Alex's other messages.
		rc, err := conversations.ReportedConversation(w.ctx, d, w.coord, pw.reportID)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{}
		for _, m := range rc.Messages {
			seen[m.ID] = m.Body
		}
		if seen[pw.reportedMsg] != "Alex says something reportable" {
			t.Errorf("reported message reads %q for staff", seen[pw.reportedMsg])
		}
		if b, ok := seen[pw.erasedMsg]; !ok || b != "" {
			t.Errorf("erased message reads %q (shown %v) for staff, want empty", b, ok)
		}
	})
}

// countMarksTest counts the ? placeholders of a query.
func countMarksTest(q string) int {
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
		}
	}
	return n
}
