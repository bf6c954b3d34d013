package mydata

import (
	"testing"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/circles"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// storedCountsRight fails the test for every stored circle count that
// differs from a fresh count of its rows.
func storedCountsRight(t *testing.T, w *world) {
	t.Helper()
	if n := w.count(t, `SELECT COUNT(*) FROM circles c WHERE c.member_count <>
		(SELECT COUNT(*) FROM circle_members m WHERE m.circle_id = c.id AND m.state = 'member')`); n != 0 {
		t.Errorf("%d circles with a wrong member count", n)
	}
	if n := w.count(t, `SELECT COUNT(*) FROM circle_posts p WHERE p.comment_count <>
		(SELECT COUNT(*) FROM circle_comments k WHERE k.post_id = p.id AND k.deleted_at IS NULL)`); n != 0 {
		t.Errorf("%d posts with a wrong comment count", n)
	}
	for _, r := range circles.Reactions {
		if n := w.count(t, `SELECT COUNT(*) FROM circle_posts p WHERE p.`+r.Kind+`_count <>
			(SELECT COUNT(*) FROM circle_reactions x WHERE x.post_id = p.id AND x.kind = ?)`, r.Kind); n != 0 {
			t.Errorf("%d posts with a wrong %s count", n, r.Kind)
		}
	}
}

// TestDeletionKeepsCircleCountsRight deletes Alex, a member of two circles
// (one by request, still waiting) with posts, comments and reactions:
// every stored count still equals a fresh count, Alex's words are gone
// except those someone reported, and the circle's list of posts changes
// version.
func TestDeletionKeepsCircleCountsRight(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c, alexPost, patPost, _, alexComment := circleWorld(t, w)
		closed, err := circles.Create(w.ctx, d, w.coord, circles.Input{Kind: "interest", Name: "Chess", JoinPolicy: "request"})
		if err != nil {
			t.Fatal(err)
		}
		if st, err := circles.Join(w.ctx, d, w.alex, closed.ID); err != nil || st != "requested" {
			t.Fatalf("join by request = %q, %v", st, err)
		}
		// A second comment of Alex's, which Alex deleted before.
		old, _, err := circles.AddComment(w.ctx, d, w.alex, c.ID, alexPost, "Alex takes this back")
		if err != nil {
			t.Fatal(err)
		}
		if err := circles.DeleteComment(w.ctx, d, w.alex, c.ID, alexPost, old); err != nil {
			t.Fatal(err)
		}
		// Bo reports Alex's comment: its words stay for staff.
		if _, err := safety.Report(w.ctx, d, w.bo, safety.ReportInput{Kind: "comment", ID: alexComment, Reason: "spam"}); err != nil {
			t.Fatal(err)
		}
		storedCountsRight(t, w)
		var before int64
		if err := d.QueryRow(w.ctx, `SELECT posts_version FROM circles WHERE id = ?`, c.ID).Scan(&before); err != nil {
			t.Fatal(err)
		}

		req, err := members.RequestDeletion(w.ctx, d, w.alex, testNow)
		if err != nil {
			t.Fatal(err)
		}
		if err := ConfirmDeletion(w.ctx, d, w.admin, req.ID, testNow); err != nil {
			t.Fatal(err)
		}

		storedCountsRight(t, w)
		if n := w.count(t, `SELECT member_count FROM circles WHERE id = ?`, c.ID); n != 2 {
			t.Errorf("member count = %d, want 2 (Pat and Bo)", n)
		}
		if n := w.count(t, `SELECT comment_count FROM circle_posts WHERE id = ?`, patPost); n != 0 {
			t.Errorf("Pat's post counts %d comments after Alex's went", n)
		}
		if n := w.count(t, `SELECT heart_count + thanks_count FROM circle_posts WHERE id = ?`, patPost); n != 0 {
			t.Errorf("Pat's post counts %d of Alex's reactions", n)
		}
		for q, want := range map[string]int{
			`SELECT COUNT(*) FROM circle_members WHERE user_id = ?`:                                       0,
			`SELECT COUNT(*) FROM circle_reactions WHERE user_id = ?`:                                     0,
			`SELECT COUNT(*) FROM circle_posts WHERE author_id = ? AND deleted_at IS NULL`:                0,
			`SELECT COUNT(*) FROM circle_comments WHERE author_id = ? AND deleted_at IS NULL`:             0,
			`SELECT COUNT(*) FROM circle_posts WHERE author_id = ? AND body <> ''`:                        0,
			`SELECT COUNT(*) FROM circle_comments WHERE author_id = ? AND body = 'Alex says lovely lake'`: 1,
			`SELECT COUNT(*) FROM circle_comments WHERE author_id = ? AND body <> ''`:                     1,
		} {
			if n := w.count(t, q, w.alex.UserID); n != want {
				t.Errorf("%s = %d, want %d", q, n, want)
			}
		}
		var after int64
		if err := d.QueryRow(w.ctx, `SELECT posts_version FROM circles WHERE id = ?`, c.ID).Scan(&after); err != nil {
			t.Fatal(err)
		}
		if after <= before {
			t.Errorf("posts_version %d -> %d: cached lists would keep Alex's words", before, after)
		}
		// The others still read the circle, without Alex's post.
		page, err := circles.Posts(w.ctx, d, w.pat, c.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Posts {
			if p.ID == alexPost {
				t.Error("Alex's post is still listed")
			}
		}
	})
}
