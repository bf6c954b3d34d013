package buddies

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestOfferNeedsTimeInRecovery(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		newer := w.alum("Nia", 100)
		older := w.alum("Omar", 800)
		nodate := w.alum("Ike", -1)
		in := OfferInput{Capacity: 2, About: "Walks and coffee.", Meeting: MeetOnline}

		_, err := SaveOffer(w.ctx, d, newer, in)
		var ve members.ValidationError
		if !errors.As(err, &ve) || !strings.Contains(ve.For("recovery_date"), "You can offer to be a buddy from ") {
			t.Fatalf("too early: %v", err)
		}
		from := members.Today(time.UTC, time.Now()).AddDays(-100).AddMonths(12)
		if !strings.Contains(ve.For("recovery_date"), from.Label()) {
			t.Errorf("message %q does not name %s", ve.For("recovery_date"), from.Label())
		}
		if _, err := SaveOffer(w.ctx, d, nodate, in); !errors.As(err, &ve) || !strings.Contains(ve.For("recovery_date"), "recovery date") {
			t.Errorf("no date: %v", err)
		}
		if _, err := SaveOffer(w.ctx, d, older, in); err != nil {
			t.Fatalf("eligible: %v", err)
		}
		for _, a := range []access.Actor{w.coord, w.coach, w.fam, {}} {
			if _, err := SaveOffer(w.ctx, d, a, in); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%q offered: %v", a.Role, err)
			}
		}
		// The coordinator lowers the minimum: now the newer alumnus may.
		if err := SaveSettings(w.ctx, d, newer, "3"); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("alumnus changed the setting: %v", err)
		}
		if err := SaveSettings(w.ctx, d, w.coord, "7"); !errors.As(err, &ve) || ve.For("min_months") == "" {
			t.Errorf("odd minimum: %v", err)
		}
		if err := SaveSettings(w.ctx, d, w.coord, "3"); err != nil {
			t.Fatal(err)
		}
		if _, err := SaveOffer(w.ctx, d, newer, in); err != nil {
			t.Fatalf("after the change: %v", err)
		}
		// Bad input names the field and changes nothing.
		for field, bad := range map[string]OfferInput{
			"capacity": {Capacity: 4}, "about": {Capacity: 1, About: strings.Repeat("a", MaxText+1)},
			"meeting": {Capacity: 1, Meeting: "teleport"}, "gender": {Capacity: 1, Gender: "x"},
			"contact_times": {Capacity: 1, ContactTimes: []string{"midnight"}}, "life_stage": {Capacity: 1, LifeStage: "x"},
		} {
			if _, err := SaveOffer(w.ctx, d, older, bad); !errors.As(err, &ve) || ve.For(field) == "" {
				t.Errorf("%s: %v", field, err)
			}
		}
		if n := w.count(`SELECT capacity FROM buddy_offers WHERE user_id = ?`, older.UserID); n != 2 {
			t.Errorf("capacity changed to %d", n)
		}
		// Pause and withdraw.
		if err := SetOfferStatus(w.ctx, d, older, OfferPaused); err != nil {
			t.Fatal(err)
		}
		if err := SetOfferStatus(w.ctx, d, nodate, OfferPaused); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("pause without an offer: %v", err)
		}
		st, err := MyState(w.ctx, d, older)
		if err != nil || st.Offer == nil || st.Offer.Status != OfferPaused || !st.Eligibility.OK {
			t.Fatalf("state = %+v, %v", st, err)
		}
		if !w.audited("buddy.offer.save", older.UserID) || !w.audited("buddy.offer.paused", older.UserID) || !w.audited("buddy.settings", w.coord.UserID) {
			t.Error("offer writes not audited")
		}
	})
}

func TestOneOpenRequest(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.alum("Ana", 30)
		r := w.ask(a, RequestInput{Hopes: "Someone to walk with.", WantGender: "woman", Pathway: "SMART Recovery"})
		if r.Pathway != "smart" || r.Status != RequestWaiting {
			t.Errorf("request = %+v", r)
		}
		_, err := AskForBuddy(w.ctx, d, a, RequestInput{Hopes: "again"})
		var ve members.ValidationError
		if !errors.As(err, &ve) || ve.For("request") == "" {
			t.Fatalf("second request: %v", err)
		}
		if n := w.count(`SELECT COUNT(*) FROM buddy_requests WHERE user_id = ?`, a.UserID); n != 1 {
			t.Errorf("%d requests", n)
		}
		for field, bad := range map[string]RequestInput{
			"hopes": {Hopes: strings.Repeat("é", MaxText+1)}, "want_gender": {WantGender: "robot"},
			"pathway": {Pathway: "astrology"}, "meeting": {Meeting: "x"}, "life_stage": {LifeStage: "x"},
		} {
			if _, err := bad.Validate(); !errors.As(err, &ve) || ve.For(field) == "" {
				t.Errorf("%s: %v", field, err)
			}
		}
		if _, err := AskForBuddy(w.ctx, d, w.coord, RequestInput{}); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("coordinator asked: %v", err)
		}
		if err := WithdrawRequest(w.ctx, d, a); err != nil {
			t.Fatal(err)
		}
		if err := WithdrawRequest(w.ctx, d, a); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("withdraw twice: %v", err)
		}
		w.ask(a, RequestInput{})
		if !w.audited("buddy.request.open", a.UserID) || !w.audited("buddy.request.withdraw", a.UserID) {
			t.Error("request writes not audited")
		}
	})
}

func TestRunRespectsBlocksAndPastPairs(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		b1 := w.alum("Bea", 900, "hiking", "art")
		w.offer(b1, 3)
		r1 := w.alum("Rae", 10, "hiking", "art")
		r2 := w.alum("Sol", 10, "hiking")
		self := w.alum("Cy", 900)
		w.offer(self, 1)
		w.block(b1, r1) // the buddy blocked r1: never proposed, either way round
		w.ask(r1, RequestInput{})
		w.ask(r2, RequestInput{})
		w.ask(self, RequestInput{})
		run, got := w.run()
		if got[r1.UserID] == b1.UserID {
			t.Error("blocked pair proposed")
		}
		if got[self.UserID] == self.UserID {
			t.Error("own offer proposed")
		}
		if got[r2.UserID] != b1.UserID {
			t.Errorf("r2 got %q, want b1; run %+v", got[r2.UserID], run)
		}
		if run.Requests != 3 || run.Offers != 2 {
			t.Errorf("run counted %d requests, %d offers", run.Requests, run.Offers)
		}
		// The pair r2–b1 is ended in the past: not proposed again unless
		// r2 is open to a previous buddy.
		if _, err := d.Exec(w.ctx, `INSERT INTO buddy_pairings (id, program_id, requester_id, buddy_id, started_at, ended_at, ended_by)
			VALUES ('past1', ?, ?, ?, ?, ?, ?)`, w.prog, r2.UserID, b1.UserID, time.Now().UTC().Add(-48*time.Hour), time.Now().UTC(), r2.UserID); err != nil {
			t.Fatal(err)
		}
		if _, got = w.run(); got[r2.UserID] == b1.UserID {
			t.Error("past pair proposed without asking")
		}
		if n := w.count(`SELECT COUNT(*) FROM buddy_proposals WHERE program_id = ? AND status = 'draft'`, w.prog); n != len(got) {
			t.Errorf("%d drafts after a second run, want %d (earlier drafts replaced)", n, len(got))
		}
		if err := WithdrawRequest(w.ctx, d, r2); err != nil {
			t.Fatal(err)
		}
		w.ask(r2, RequestInput{OpenToPrevious: true})
		if _, got = w.run(); got[r2.UserID] != b1.UserID {
			t.Error("past pair not proposed although asked for")
		}
		if !w.audited("buddy.match_run", w.coord.UserID) {
			t.Error("run not audited")
		}
	})
}

func TestProposalsCarryReasonsAndAccessIsForCoordinators(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		b := w.alum("Bea", 900, "hiking", "art")
		r := w.alum("Rae", 10, "Hiking")
		w.offer(b, 1)
		w.ask(r, RequestInput{Meeting: MeetEither})
		for _, a := range []access.Actor{r, b, w.coach, w.fam, w.out, {}} {
			if _, err := RunMatcher(w.ctx, d, a); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%q ran the matcher: %v", a.Role, err)
			}
			if _, err := Coordinate(w.ctx, d, a); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%q saw the drafts: %v", a.Role, err)
			}
		}
		run, _ := w.run()
		if len(run.Proposals) != 1 {
			t.Fatalf("proposals = %+v", run.Proposals)
		}
		p := run.Proposals[0]
		if !slices.Contains(p.Reasons, "both enjoy Hiking") || !slices.Contains(p.Reasons, "both in Austin") || p.Score <= 0 {
			t.Errorf("reasons %q score %d", p.Reasons, p.Score)
		}
		if p.RequesterName != "Rae L." || p.BuddyName != "Bea L." {
			t.Errorf("names %q %q", p.RequesterName, p.BuddyName)
		}
		for _, a := range []access.Actor{r, b, w.coach} {
			if err := DropProposal(w.ctx, d, a, p.ID); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%q dropped: %v", a.Role, err)
			}
			if _, err := SendProposals(w.ctx, d, a, nil); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%q sent: %v", a.Role, err)
			}
		}
		// A draft is not for the two people to see or answer yet.
		if _, err := Answer(w.ctx, d, r, p.ID, true); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("answered a draft: %v", err)
		}
		c, err := Coordinate(w.ctx, d, w.coord)
		if err != nil || len(c.Drafts) != 1 || c.Waiting != 1 || c.Offers != 1 || c.LastRun == nil {
			t.Fatalf("coordination = %+v, %v", c, err)
		}
		if !w.audited("buddy.coordinate.view", w.coord.UserID) {
			t.Error("coordinator read not audited")
		}
		if err := DropProposal(w.ctx, d, w.coord, p.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := SendProposals(w.ctx, d, w.coord, nil); err != nil || n != 0 {
			t.Errorf("sent %d after drop, %v", n, err)
		}
		if !w.audited("buddy.proposal.drop", w.coord.UserID) {
			t.Error("drop not audited")
		}
	})
}

// sendOne runs the matcher and sends its one proposal.
func sendOne(t *testing.T, w *world) *ProposalView {
	t.Helper()
	run, _ := w.run()
	if len(run.Proposals) != 1 {
		t.Fatalf("proposals = %+v", run.Proposals)
	}
	if n, err := SendProposals(w.ctx, w.d, w.coord, nil); err != nil || n != 1 {
		t.Fatalf("sent %d, %v", n, err)
	}
	return &run.Proposals[0]
}

func TestAcceptAcceptStartsPairing(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		var convs [][2]string
		real := StartConversation
		StartConversation = func(ctx context.Context, tx *db.Tx, programID, a, b string) (string, error) {
			convs = append(convs, [2]string{a, b})
			return "conv-1", nil
		}
		t.Cleanup(func() { StartConversation = real })
		b := w.alum("Bea", 900, "hiking")
		r := w.alum("Rae", 10, "hiking")
		third := w.alum("Tia", 10)
		w.offer(b, 1)
		w.ask(r, RequestInput{Hopes: "Someone to call on Sundays."})
		p := sendOne(t, w)
		if n := w.count(`SELECT COUNT(*) FROM notifications WHERE user_id IN (?, ?) AND link = '/buddies'`, r.UserID, b.UserID); n != 2 {
			t.Errorf("%d notifications of the match", n)
		}
		st, err := MyState(w.ctx, d, b)
		if err != nil || len(st.Proposals) != 1 || !st.Proposals[0].AsBuddy || st.Proposals[0].OtherText != "Someone to call on Sundays." {
			t.Fatalf("buddy's state = %+v, %v", st, err)
		}
		if _, err := Answer(w.ctx, d, third, p.ID, true); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("a third person answered: %v", err)
		}
		if pr, err := Answer(w.ctx, d, r, p.ID, true); err != nil || pr != nil {
			t.Fatalf("first yes: %v, %v", pr, err)
		}
		pr, err := Answer(w.ctx, d, b, p.ID, true)
		if err != nil || pr == nil || pr.ConversationID != "conv-1" {
			t.Fatalf("second yes: %+v, %v", pr, err)
		}
		if len(convs) != 1 {
			t.Errorf("conversations started: %v", convs)
		}
		if n := w.count(`SELECT COUNT(*) FROM buddies WHERE (member_id = ? AND buddy_id = ?) OR (member_id = ? AND buddy_id = ?)`,
			r.UserID, b.UserID, b.UserID, r.UserID); n != 2 {
			t.Errorf("%d buddies rows", n)
		}
		for _, a := range []access.Actor{r, b} {
			st, err := MyState(w.ctx, d, a)
			if err != nil || len(st.Pairings) != 1 || st.Pairings[0].ConversationID != "conv-1" {
				t.Errorf("state of %s = %+v, %v", a.UserID, st, err)
			}
		}
		if st, _ := MyState(w.ctx, d, r); st.Request != nil {
			t.Error("request still open after the pairing")
		}
		if !w.audited("buddy.pairing.start", b.UserID) || !w.audited("buddy.proposal.accept", r.UserID) {
			t.Error("pairing not audited")
		}
		// The buddy is full now: a new request is not proposed to them.
		r2 := w.alum("Uma", 10, "hiking")
		w.ask(r2, RequestInput{})
		if _, got := w.run(); got[r2.UserID] != "" {
			t.Error("full buddy proposed")
		}

		// Ending: only the two of them; the other is told kindly.
		if err := EndPairing(w.ctx, d, third, pr.ID); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("third ended: %v", err)
		}
		if err := EndPairing(w.ctx, d, r, pr.ID); err != nil {
			t.Fatal(err)
		}
		if err := EndPairing(w.ctx, d, r, pr.ID); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("ended twice: %v", err)
		}
		if n := w.count(`SELECT COUNT(*) FROM buddies WHERE member_id IN (?, ?)`, r.UserID, b.UserID); n != 0 {
			t.Errorf("%d buddies rows after the end", n)
		}
		if n := w.count(`SELECT COUNT(*) FROM buddy_pairings WHERE id = ? AND ended_at IS NOT NULL`, pr.ID); n != 1 {
			t.Error("pairing not kept in history")
		}
		if n := w.count(`SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title = 'Your buddy pairing has ended'`, b.UserID); n != 1 {
			t.Errorf("buddy told %d times", n)
		}
		st, _ = MyState(w.ctx, d, b)
		if len(st.Pairings) != 0 || st.PastPairings != 1 {
			t.Errorf("after end: %+v", st)
		}
		if !w.audited("buddy.pairing.end", r.UserID) {
			t.Error("end not audited")
		}
	})
}

func TestDeclineIsPrivate(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		b := w.alum("Bea", 900, "hiking")
		r := w.alum("Rae", 10, "hiking")
		w.offer(b, 1)
		w.ask(r, RequestInput{})
		p := sendOne(t, w)
		if _, err := Answer(w.ctx, d, r, p.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := Answer(w.ctx, d, b, p.ID, false); err != nil {
			t.Fatal(err)
		}
		// The requester sees only the neutral words, never the answer.
		st, err := MyState(w.ctx, d, r)
		if err != nil || len(st.Proposals) != 1 || !st.Proposals[0].NotAhead || st.Proposals[0].MyAnswer != AnswerAccepted {
			t.Fatalf("requester's state = %+v, %v", st, err)
		}
		if st.Request == nil || st.Request.Status != RequestWaiting {
			t.Errorf("request not waiting again: %+v", st.Request)
		}
		rows, err := d.Query(w.ctx, `SELECT title, body FROM notifications WHERE user_id = ?`, r.UserID)
		if err != nil {
			t.Fatal(err)
		}
		var told bool
		for rows.Next() {
			var title, body string
			if err := rows.Scan(&title, &body); err != nil {
				t.Fatal(err)
			}
			text := strings.ToLower(title + " " + body)
			if strings.Contains(text, "declin") || strings.Contains(text, "bea") {
				t.Errorf("notification says who or how: %q", text)
			}
			told = told || body == NotAheadText
		}
		rows.Close()
		if !told {
			t.Error("requester not told that the match didn't go ahead")
		}
		// The decliner is not notified of their own answer.
		if n := w.count(`SELECT COUNT(*) FROM notifications WHERE user_id = ? AND body = ?`, b.UserID, NotAheadText); n != 0 {
			t.Error("decliner notified")
		}
		// Answering again is not possible, and the pair is not proposed again.
		if _, err := Answer(w.ctx, d, b, p.ID, true); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("answer after close: %v", err)
		}
		if _, got := w.run(); got[r.UserID] == b.UserID {
			t.Error("declined pair proposed again")
		}
		if !w.audited("buddy.proposal.decline", b.UserID) {
			t.Error("decline not audited")
		}
	})
}

func TestRunLeavesOutPausedAndTooRecentOffers(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		paused := w.alum("Pia", 900, "art")
		recent := w.alum("Rex", 500, "art") // eligible at 1 year, not at 2
		w.offer(paused, 1)
		w.offer(recent, 1)
		if err := SetOfferStatus(w.ctx, d, paused, OfferPaused); err != nil {
			t.Fatal(err)
		}
		r := w.alum("Una", 5, "art")
		w.ask(r, RequestInput{})
		if err := SaveSettings(w.ctx, d, w.coord, "24"); err != nil {
			t.Fatal(err)
		}
		if run, got := w.run(); len(got) != 0 || run.Offers != 0 {
			t.Errorf("run with no usable offer: %+v", run)
		}
		if st, _ := MyState(w.ctx, d, recent); st.Eligibility.OK || !strings.Contains(st.Eligibility.Message(), "from") {
			t.Errorf("recent buddy's eligibility: %+v", st.Eligibility)
		}
		if err := SetOfferStatus(w.ctx, d, paused, OfferActive); err != nil {
			t.Fatal(err)
		}
		if _, got := w.run(); got[r.UserID] != paused.UserID {
			t.Errorf("resumed offer not used: %v", got)
		}
	})
}

func TestCrisisLanguageIsSavedAndFlagged(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.alum("Ana", 10)
		r, err := AskForBuddy(w.ctx, d, a, RequestInput{Hopes: "Some nights I want to die and I need someone to call."})
		if err != nil || !r.Flagged || !strings.Contains(r.Hopes, "want to die") {
			t.Fatalf("request %+v, %v", r, err)
		}
		if n := w.count(`SELECT COUNT(*) FROM crisis_flags WHERE user_id = ?`, a.UserID); n != 1 {
			t.Errorf("%d crisis flags", n)
		}
		b := w.alum("Bo", 900)
		o, err := SaveOffer(w.ctx, d, b, OfferInput{Capacity: 1, About: "Walks by the lake."})
		if err != nil || o.Flagged {
			t.Errorf("plain offer flagged: %+v, %v", o, err)
		}
	})
}
