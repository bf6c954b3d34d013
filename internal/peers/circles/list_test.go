package circles

import (
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// firstOf lists the first page of circle id as a and returns it by post id,
// with the ids in order.
func firstOf(t *testing.T, w *world, a access.Actor, id string) (map[string]*Post, []string) {
	t.Helper()
	page, err := Posts(w.ctx, w.d, a, id, "")
	if err != nil {
		t.Fatalf("posts as %s: %v", a.UserID, err)
	}
	byID := map[string]*Post{}
	var order []string
	for _, p := range page.Posts {
		byID[p.ID] = p
		order = append(order, p.ID)
	}
	return byID, order
}

// TestFirstPageCopyFollowsEveryChange checks that the in-memory copy of a
// circle's first page (list.go) never shows a change late, nor one
// reader's parts to another. Each change is made after the page was read
// (and so copied), and must show on the next read. The copy is only ever
// invalidated through the circle's posts_version in the database, so this
// holds as well for a change made by another instance.
func TestFirstPageCopyFollowsEveryChange(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.circle(t, KindInterest, "Running", JoinOpen)
		for _, a := range []access.Actor{w.alex, w.pat, w.bo} {
			w.join(t, a, c.ID, "member")
		}
		first, _, err := CreatePost(w.ctx, d, w.pat, c.ID, "Morning run?")
		if err != nil {
			t.Fatal(err)
		}
		firstOf(t, w, w.alex, c.ID) // copied

		// A new post.
		second, _, err := CreatePost(w.ctx, d, w.alex, c.ID, "Evening run!")
		if err != nil {
			t.Fatal(err)
		}
		posts, order := firstOf(t, w, w.bo, c.ID)
		if len(order) != 2 || order[0] != second {
			t.Fatalf("after a new post: %v", order)
		}
		if posts[second].Own {
			t.Errorf("bo is not the author of alex's post")
		}
		if posts, _ := firstOf(t, w, w.alex, c.ID); !posts[second].Own || posts[first].Own {
			t.Errorf("own flags for alex: %v %v", posts[second].Own, posts[first].Own)
		}

		// An edit.
		if _, err := EditPost(w.ctx, d, w.pat, c.ID, first, "Morning run at 7"); err != nil {
			t.Fatal(err)
		}
		if posts, _ := firstOf(t, w, w.alex, c.ID); posts[first].Body != "Morning run at 7" || posts[first].EditedAt.IsZero() {
			t.Errorf("after an edit: %q", posts[first].Body)
		}

		// A reaction: counted for all, "mine" for the one who gave it only.
		if _, err := React(w.ctx, d, w.alex, c.ID, first, "heart"); err != nil {
			t.Fatal(err)
		}
		posts, _ = firstOf(t, w, w.alex, c.ID)
		if p := posts[first]; p.Reactions["heart"] != 1 || !p.Mine["heart"] || p.Mine["thanks"] {
			t.Errorf("alex after reacting: %v %v", p.Reactions, p.Mine)
		}
		posts, _ = firstOf(t, w, w.bo, c.ID)
		if p := posts[first]; p.Reactions["heart"] != 1 || p.Mine["heart"] {
			t.Errorf("bo sees alex's reaction as his: %v %v", p.Reactions, p.Mine)
		}
		if _, err := React(w.ctx, d, w.alex, c.ID, first, "heart"); err != nil { // taken back
			t.Fatal(err)
		}
		if posts, _ := firstOf(t, w, w.alex, c.ID); posts[first].Reactions["heart"] != 0 || posts[first].Mine["heart"] {
			t.Errorf("after taking the reaction back: %v %v", posts[first].Reactions, posts[first].Mine)
		}

		// A comment, then its deletion.
		k, _, err := AddComment(w.ctx, d, w.bo, c.ID, first, "Count me in")
		if err != nil {
			t.Fatal(err)
		}
		if posts, _ := firstOf(t, w, w.alex, c.ID); posts[first].Comments != 1 {
			t.Errorf("comments after one = %d", posts[first].Comments)
		}
		if err := DeleteComment(w.ctx, d, w.bo, c.ID, first, k); err != nil {
			t.Fatal(err)
		}
		if posts, _ := firstOf(t, w, w.alex, c.ID); posts[first].Comments != 0 {
			t.Errorf("comments after the deletion = %d", posts[first].Comments)
		}

		// A pin moves the older post first.
		if err := PinPost(w.ctx, d, w.coach, c.ID, first, true); err != nil {
			t.Fatal(err)
		}
		if _, order := firstOf(t, w, w.alex, c.ID); order[0] != first {
			t.Errorf("after a pin: %v", order)
		}

		// A moderator's hide: members see it removed, moderators read it,
		// and a moderator's read does not show the words to the next member.
		if err := HidePost(w.ctx, d, w.coach, c.ID, first, true); err != nil {
			t.Fatal(err)
		}
		if posts, _ := firstOf(t, w, w.alex, c.ID); !posts[first].Hidden || posts[first].Body != "" || posts[first].Shown() {
			t.Errorf("hidden post for a member: %+v", posts[first])
		}
		if posts, _ := firstOf(t, w, w.coach, c.ID); posts[first].Body != "Morning run at 7" || !posts[first].Shown() {
			t.Errorf("hidden post for a moderator: %+v", posts[first])
		}
		if posts, _ := firstOf(t, w, w.bo, c.ID); posts[first].Body != "" {
			t.Errorf("a member read a hidden post's words after a moderator: %q", posts[first].Body)
		}
		// Shown again by the moderation queue's kind.
		err = d.Tx(w.ctx, func(tx *db.Tx) error { return kindNamed(t, "post").SetHidden(w.ctx, tx, first, false) })
		if err != nil {
			t.Fatal(err)
		}
		if posts, _ := firstOf(t, w, w.alex, c.ID); posts[first].Hidden || posts[first].Body != "Morning run at 7" {
			t.Errorf("after the queue showed it again: %+v", posts[first])
		}

		// A block, either way, hides the other's posts at once.
		if err := safety.Block(w.ctx, d, w.alex, w.pat.UserID); err != nil {
			t.Fatal(err)
		}
		if posts, _ := firstOf(t, w, w.alex, c.ID); posts[first] != nil {
			t.Errorf("alex sees the post of someone alex blocked")
		}
		if posts, _ := firstOf(t, w, w.pat, c.ID); posts[second] != nil {
			t.Errorf("pat sees the post of someone who blocked pat")
		}
		if posts, _ := firstOf(t, w, w.bo, c.ID); posts[first] == nil || posts[second] == nil {
			t.Errorf("someone outside the block misses a post")
		}

		// An author's new name (an account's deletion renames it), through
		// any code: the migration's trigger raises the version.
		if _, err := d.Exec(w.ctx, `UPDATE users SET first_name = 'Former', last_name = 'member' WHERE id = ?`, w.pat.UserID); err != nil {
			t.Fatal(err)
		}
		if posts, _ := firstOf(t, w, w.bo, c.ID); posts[first].Author != "Former M." {
			t.Errorf("after a rename: %q", posts[first].Author)
		}

		// A deletion.
		if err := DeletePost(w.ctx, d, w.alex, c.ID, second); err != nil {
			t.Fatal(err)
		}
		if posts, _ := firstOf(t, w, w.bo, c.ID); posts[second] != nil {
			t.Errorf("a deleted post is listed")
		}
		// A post's row removed with its author's account.
		if _, err := d.Exec(w.ctx, `DELETE FROM users WHERE id = ?`, w.pat.UserID); err != nil {
			t.Fatal(err)
		}
		if posts, order := firstOf(t, w, w.bo, c.ID); posts[first] != nil || len(order) != 0 {
			t.Errorf("posts of a removed account are listed: %v", order)
		}
	})
}

// TestFirstPageCopyNotForOutsiders checks that the copy never lets someone
// read a circle they may not: the rules run on every request.
func TestFirstPageCopyNotForOutsiders(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.circle(t, KindFamily, "Families", JoinRequest)
		w.join(t, w.fran, c.ID, "requested")
		if _, _, err := CreatePost(w.ctx, d, w.coach, c.ID, "Welcome, families"); err != nil {
			t.Fatal(err)
		}
		if posts, _ := firstOf(t, w, w.coach, c.ID); len(posts) != 1 { // copied
			t.Fatalf("staff list = %d posts", len(posts))
		}
		for _, a := range []access.Actor{w.alex, w.fran, w.alien} {
			if _, err := Posts(w.ctx, d, a, c.ID, ""); err == nil {
				t.Errorf("%s read a family circle's posts", a.UserID)
			}
		}
	})
}
