package circles

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Reaction is one kind of reaction members give a post.
type Reaction struct {
	Kind  string
	Emoji string
	Label string
}

// Reactions is the fixed set, in the order pages show them (the post
// list's query counts them in this order).
var Reactions = []Reaction{
	{"heart", "❤️", "Heart"},
	{"thanks", "🙏", "Thanks"},
	{"strength", "💪", "Strength"},
	{"celebrate", "🎉", "Celebrate"},
}

// validReaction reports whether kind is one of Reactions.
func validReaction(kind string) bool {
	for _, r := range Reactions {
		if r.Kind == kind {
			return true
		}
	}
	return false
}

// React gives the actor's reaction of kind to a post, or takes it back
// when given already (a toggle). It returns whether the reaction is now
// given.
func React(ctx context.Context, d *db.DB, actor access.Actor, circleID, postID, kind string) (bool, error) {
	var on bool
	err := d.Tx(ctx, func(tx *db.Tx) error {
		p, err := loadPost(ctx, tx, actor, circleID, postID)
		if err != nil {
			return err
		}
		if err := access.WriteInCircle(actor, p.circle.rule()); err != nil {
			return err
		}
		if !validReaction(kind) {
			return ValidationError{{Field: "kind", Message: "Choose heart, thanks, strength or celebrate."}}
		}
		res, err := tx.Exec(ctx, `DELETE FROM circle_reactions WHERE post_id = ? AND user_id = ? AND kind = ?`, postID, actor.UserID, kind)
		if err != nil {
			return fmt.Errorf("circles: react: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			on = true
			if _, err := tx.Exec(ctx, `INSERT INTO circle_reactions (post_id, user_id, kind, created_at) VALUES (?, ?, ?, ?)`,
				postID, actor.UserID, kind, now()); err != nil {
				return fmt.Errorf("circles: react: %w", err)
			}
		}
		n := -1
		if on {
			n = 1
		}
		// kind is one of Reactions (checked above), so the column name is too.
		if _, err := tx.Exec(ctx, `UPDATE circle_posts SET `+kind+`_count = `+kind+`_count + ? WHERE id = ?`, n, postID); err != nil {
			return fmt.Errorf("circles: react: %w", err)
		}
		if err := audit.Record(ctx, tx, actor, audit.Event{Action: "circle.react", SubjectType: "circle_post", SubjectID: postID,
			Detail: map[string]string{"kind": kind, "on": fmt.Sprint(on)}}); err != nil {
			return err
		}
		return touch(ctx, tx, p.circle.ID)
	})
	return on, err
}
