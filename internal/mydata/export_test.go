package mydata

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/circles"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// circleWorld gives Alex a circle with Pat: a post each, comments on each
// other's posts, and reactions. It returns the circle and the posts.
func circleWorld(t *testing.T, w *world) (c *circles.Circle, alexPost, patPost, patComment, alexComment string) {
	t.Helper()
	c, err := circles.Create(w.ctx, w.d, w.coord, circles.Input{Kind: "interest", Name: "Hiking", JoinPolicy: "open"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []access.Actor{w.alex, w.pat, w.bo} {
		if _, err := circles.Join(w.ctx, w.d, a, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	post := func(a access.Actor, body string) string {
		id, _, err := circles.CreatePost(w.ctx, w.d, a, c.ID, body)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	comment := func(a access.Actor, postID, body string) string {
		id, _, err := circles.AddComment(w.ctx, w.d, a, c.ID, postID, body)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	react := func(a access.Actor, postID, kind string) {
		if _, err := circles.React(w.ctx, w.d, a, c.ID, postID, kind); err != nil {
			t.Fatal(err)
		}
	}
	alexPost = post(w.alex, "Alex walked the ridge trail")
	patPost = post(w.pat, "Pat found a new lake")
	patComment = comment(w.pat, alexPost, "Pat says lovely ridge")
	alexComment = comment(w.alex, patPost, "Alex says lovely lake")
	comment(w.bo, alexPost, "Bo says well done")
	react(w.alex, patPost, "heart")
	react(w.alex, patPost, "thanks")
	react(w.pat, alexPost, "strength")
	react(w.bo, alexPost, "strength")
	return c, alexPost, patPost, patComment, alexComment
}

// TestExportHoldsEverythingAndNothingElse: Alex's download holds their
// circle posts, comments and reactions, conversations with messages
// decrypted, buddy proposals as Alex sees them, coach history, crisis
// flags, the block Alex made and the report Alex made; it holds nothing of
// the block against Alex, the report about Alex, nor other people's
// secrets.
func TestExportHoldsEverythingAndNothingElse(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		_, alexPost, _, patComment, _ := circleWorld(t, w)

		// Conversations: Alex and Pat; Bo and Alex (Bo then blocks Alex);
		// Pat and Dee (not Alex's).
		withPat, _, err := conversations.Start(w.ctx, d, w.alex, conversations.NewConversation{MemberIDs: []string{w.pat.UserID}, Body: "Alex writes to Pat"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := conversations.Send(w.ctx, d, w.pat, withPat.ID, "Pat answers Alex"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := conversations.Start(w.ctx, d, w.bo, conversations.NewConversation{MemberIDs: []string{w.alex.UserID}, Body: "Bo writes to Alex"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := conversations.Start(w.ctx, d, w.pat, conversations.NewConversation{MemberIDs: []string{w.dee.UserID}, Body: "Pat confides in Dee"}); err != nil {
			t.Fatal(err)
		}
		if err := safety.Block(w.ctx, d, w.bo, w.alex.UserID); err != nil {
			t.Fatal(err)
		}
		if err := safety.Block(w.ctx, d, w.alex, w.dee.UserID); err != nil {
			t.Fatal(err)
		}
		// Reports: Alex reports Pat's comment; Pat reports Alex's post.
		if _, err := safety.Report(w.ctx, d, w.alex, safety.ReportInput{Kind: "comment", ID: patComment, Reason: "spam", Note: "Alex thinks this is spam"}); err != nil {
			t.Fatal(err)
		}
		if _, err := safety.Report(w.ctx, d, w.pat, safety.ReportInput{Kind: "post", ID: alexPost, Reason: "other", Note: "Pat reports secretly"}); err != nil {
			t.Fatal(err)
		}

		// Buddies: a proposal sent to Alex (Pat declined it) and a draft
		// never sent (naming Bo).
		now := time.Now().UTC().Truncate(time.Second)
		w.exec(t, `INSERT INTO buddy_runs (id, program_id, created_at) VALUES ('run1', ?, ?)`, w.prog, now)
		w.exec(t, `INSERT INTO buddy_offers (id, program_id, user_id, capacity, about, created_at, updated_at) VALUES ('offer-pat', ?, ?, 1, 'Pat offers walks', ?, ?)`, w.prog, w.pat.UserID, now, now)
		w.exec(t, `INSERT INTO buddy_offers (id, program_id, user_id, capacity, about, created_at, updated_at) VALUES ('offer-bo', ?, ?, 1, 'Bo offers chess', ?, ?)`, w.prog, w.bo.UserID, now, now)
		w.exec(t, `INSERT INTO buddy_requests (id, program_id, user_id, hopes, status, created_at, updated_at) VALUES ('req-alex', ?, ?, 'Alex hopes for company', 'waiting', ?, ?)`, w.prog, w.alex.UserID, now, now)
		w.exec(t, `INSERT INTO buddy_proposals (id, program_id, run_id, request_id, offer_id, requester_id, buddy_id, score, reasons, status, requester_answer, buddy_answer, created_at, sent_at, decided_at)
			VALUES ('prop-sent', ?, 'run1', 'req-alex', 'offer-pat', ?, ?, 7, '["both enjoy hiking","both follow SMART Recovery"]', 'declined', 'accepted', 'declined', ?, ?, ?)`,
			w.prog, w.alex.UserID, w.pat.UserID, now, now, now)
		w.exec(t, `INSERT INTO buddy_proposals (id, program_id, run_id, request_id, offer_id, requester_id, buddy_id, score, reasons, status, created_at)
			VALUES ('prop-draft', ?, 'run1', 'req-alex', 'offer-bo', ?, ?, 3, '[]', 'draft', ?)`, w.prog, w.alex.UserID, w.bo.UserID, now)
		// Coach history and a crisis flag about Alex.
		w.exec(t, `INSERT INTO coach_assignment_history (member_id, coach_id, program_id, started_at) VALUES (?, ?, ?, ?)`, w.alex.UserID, w.coach.UserID, w.prog, now)
		w.exec(t, `INSERT INTO crisis_flags (id, program_id, user_id, source_kind, source_id, created_at) VALUES ('flag1', ?, ?, 'post', ?, ?)`, w.prog, w.alex.UserID, alexPost, now)

		e, err := Export(w.ctx, d, w.alex, now)
		if err != nil {
			t.Fatal(err)
		}
		b, err := members.MarshalExport(e)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Records map[string][]map[string]any `json:"records"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		recs := doc.Records
		text := string(b)

		// What must be there.
		for _, want := range []string{"Alex walked the ridge trail", "Alex says lovely lake", "Alex writes to Pat", "Pat answers Alex",
			"Alex thinks this is spam", "Alex hopes for company"} {
			if !strings.Contains(text, want) {
				t.Errorf("export lacks %q", want)
			}
		}
		wantCounts := map[string]int{"circle_members": 1, "circle_posts": 1, "circle_comments": 1, "circle_reactions": 2,
			"conversations": 2, "conversation_members": 2, "conversation_messages": 2, "blocks": 1, "reports": 1,
			"buddy_requests": 1, "buddy_offers": 0, "buddy_proposals": 1, "coach_assignment_history": 1, "crisis_flags": 1}
		for name, n := range wantCounts {
			if got := len(recs[name]); got != n {
				t.Errorf("%s: %d records, want %d: %v", name, got, n, recs[name])
			}
		}
		if bl := recs["blocks"]; len(bl) == 1 && (bl[0]["blocker_id"] != w.alex.UserID || bl[0]["blocked_id"] != w.dee.UserID) {
			t.Errorf("blocks = %v", bl)
		}
		if r := recs["reports"]; len(r) == 1 && r[0]["reporter_id"] != w.alex.UserID {
			t.Errorf("reports = %v", r)
		}
		if p := recs["buddy_proposals"]; len(p) == 1 && (p[0]["id"] != "prop-sent" || p[0]["my_answer"] != "accepted" || p[0]["outcome"] != "not_ahead") {
			t.Errorf("proposals = %v", p)
		}
		for _, m := range recs["conversation_messages"] {
			if m["mine"] == true && m["body"] != "Alex writes to Pat" || m["mine"] == false && m["body"] != "Pat answers Alex" {
				t.Errorf("message = %v", m)
			}
		}

		// What must not be: the block against Alex (Bo's messages are left
		// out as the app leaves them out), the report about Alex, Pat's
		// answer and pathway, the draft naming Bo, other people's words
		// and secrets, and the blocked-aware counts.
		for _, never := range []string{"Bo writes to Alex", "Pat reports secretly", "SMART", "both follow", "buddy_answer",
			"prop-draft", "Pat confides in Dee", "Pat offers walks", w.emails[w.pat.UserID], "token_hash", "password_hash",
			"comment_count", "strength_count", "nonce"} {
			if strings.Contains(text, never) {
				t.Errorf("export contains %q", never)
			}
		}
		for _, bl := range recs["blocks"] {
			if bl["blocker_id"] == w.bo.UserID {
				t.Errorf("export names the person who blocked Alex: %v", bl)
			}
		}
		for _, r := range recs["reports"] {
			if r["reporter_id"] == w.pat.UserID {
				t.Errorf("export names the person who reported Alex: %v", r)
			}
		}

		entries, err := audit.List(w.ctx, d, w.admin, audit.Filter{Action: "export.self"})
		if err != nil || len(entries) != 1 || entries[0].SubjectID != w.alex.UserID {
			t.Errorf("export.self audit = %+v, %v", entries, err)
		}
	})
}
