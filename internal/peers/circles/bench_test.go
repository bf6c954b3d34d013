package circles

import (
	"fmt"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
	"github.com/google/uuid"
)

// benchCircle fills a circle with n posts by members (3 comments and 4
// reactions each) and returns it with a member.
func benchCircle(b *testing.B, d *db.DB, n int) (*world, *Circle) {
	w := newWorld(b, d)
	c, err := Create(w.ctx, d, w.coord, Input{Kind: KindInterest, Name: "Bench", JoinPolicy: JoinOpen})
	if err != nil {
		b.Fatal(err)
	}
	for _, a := range []access.Actor{w.alex, w.pat, w.bo} {
		if _, err := Join(w.ctx, d, a, c.ID); err != nil {
			b.Fatal(err)
		}
	}
	now := time.Now().UTC()
	authors := []string{w.alex.UserID, w.pat.UserID, w.bo.UserID}
	kinds := []string{"heart", "thanks", "strength", "celebrate"}
	err = d.Tx(w.ctx, func(tx *db.Tx) error {
		for i := range n {
			id := uuid.Must(uuid.NewV7()).String()
			at := now.Add(-time.Duration(n-i) * time.Minute)
			if _, err := tx.Exec(w.ctx, `INSERT INTO circle_posts (id, circle_id, program_id, author_id, body, pinned, created_at,
				comment_count, heart_count, thanks_count, strength_count) VALUES (?, ?, ?, ?, ?, ?, ?, 3, 1, 1, 1)`,
				id, c.ID, w.prog, authors[i%3], fmt.Sprintf("Post %d", i), i < 2, at); err != nil {
				return err
			}
			for k := range 3 {
				if _, err := tx.Exec(w.ctx, `INSERT INTO circle_comments (id, post_id, circle_id, program_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
					uuid.Must(uuid.NewV7()).String(), id, c.ID, w.prog, authors[k], "Yes", at); err != nil {
					return err
				}
			}
			for k := range 3 {
				if _, err := tx.Exec(w.ctx, `INSERT INTO circle_reactions (post_id, user_id, kind, created_at) VALUES (?, ?, ?, ?)`,
					id, authors[k], kinds[k], at); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return w, c
}

// BenchmarkPosts lists the first page of a circle of 1,000 posts.
func BenchmarkPosts(b *testing.B) {
	d := testkit.SQLite(b)
	w, c := benchCircle(b, d, 1000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Posts(w.ctx, d, w.alex, c.ID, ""); err != nil {
			b.Fatal(err)
		}
	}
}
