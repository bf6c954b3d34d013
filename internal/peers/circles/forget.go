package circles

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/db"
)

// ForgetUser removes a person's part in circles when their account is
// deleted (members.ConfirmDeletion runs it inside the deletion's
// transaction; the server wiring passes it, see internal/mydata), keeping
// every stored count equal to a fresh count:
//
//   - their memberships and requests to join go, and each circle's
//     member_count loses the memberships;
//   - their reactions go, and each post's reaction counts lose them;
//   - their posts and comments are marked deleted, as if they had deleted
//     them, and each post's comment_count loses their comments; their
//     words are erased, except those of content someone reported (the
//     report stays readable by staff, as for content its author deleted);
//   - every circle whose list of posts changed gets a new posts_version.
func ForgetUser(ctx context.Context, tx *db.Tx, userID string) error {
	at := now()
	// Circles whose posts list changes: where they wrote or reacted. Read
	// first, and bumped last: every other change locks a post's row before
	// its circle's, and so does this one, so that it never deadlocks
	// with a reaction or a comment on PostgreSQL.
	changed, err := forgetCircles(ctx, tx, userID)
	if err != nil {
		return err
	}
	steps := []forgetStep{
		{`UPDATE circle_posts SET comment_count = comment_count - (
			SELECT COUNT(*) FROM circle_comments k WHERE k.post_id = circle_posts.id AND k.author_id = ? AND k.deleted_at IS NULL)
			WHERE id IN (SELECT post_id FROM circle_comments WHERE author_id = ? AND deleted_at IS NULL)`, []any{userID, userID}},
		{`UPDATE circle_comments SET deleted_at = ? WHERE author_id = ? AND deleted_at IS NULL`, []any{at, userID}},
		{`UPDATE circle_comments SET body = '' WHERE author_id = ?
			AND id NOT IN (SELECT content_id FROM reports WHERE kind = 'comment')`, []any{userID}},
		{`UPDATE circle_posts SET deleted_at = ?, pinned = FALSE WHERE author_id = ? AND deleted_at IS NULL`, []any{at, userID}},
		{`UPDATE circle_posts SET body = '' WHERE author_id = ?
			AND id NOT IN (SELECT content_id FROM reports WHERE kind = 'post')`, []any{userID}},
	}
	for _, r := range Reactions {
		// r.Kind is one of the fixed set, so the column name is too.
		steps = append(steps, forgetStep{`UPDATE circle_posts SET ` + r.Kind + `_count = ` + r.Kind + `_count - 1
			WHERE id IN (SELECT post_id FROM circle_reactions WHERE user_id = ? AND kind = ?)`, []any{userID, r.Kind}})
	}
	steps = append(steps,
		forgetStep{`DELETE FROM circle_reactions WHERE user_id = ?`, []any{userID}},
		forgetStep{`UPDATE circles SET member_count = member_count - (
			SELECT COUNT(*) FROM circle_members m WHERE m.circle_id = circles.id AND m.user_id = ? AND m.state = 'member')
			WHERE id IN (SELECT circle_id FROM circle_members WHERE user_id = ? AND state = 'member')`, []any{userID, userID}},
		forgetStep{`DELETE FROM circle_members WHERE user_id = ?`, []any{userID}},
	)
	for _, id := range changed {
		steps = append(steps, forgetStep{`UPDATE circles SET posts_version = posts_version + 1 WHERE id = ?`, []any{id}})
	}
	for _, s := range steps {
		if _, err := tx.Exec(ctx, s.query, s.args...); err != nil {
			return fmt.Errorf("circles: forget user: %w", err)
		}
	}
	return nil
}

// forgetCircles returns, in a fixed order, the circles whose list of
// posts changes when userID is forgotten.
func forgetCircles(ctx context.Context, tx *db.Tx, userID string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT circle_id FROM circle_posts WHERE author_id = ? AND deleted_at IS NULL
		UNION SELECT circle_id FROM circle_comments WHERE author_id = ? AND deleted_at IS NULL
		UNION SELECT p.circle_id FROM circle_reactions r JOIN circle_posts p ON p.id = r.post_id WHERE r.user_id = ?
		ORDER BY 1`, userID, userID, userID)
	if err != nil {
		return nil, fmt.Errorf("circles: forget user: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("circles: forget user: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("circles: forget user: %w", err)
	}
	return ids, nil
}

// forgetStep is one statement of ForgetUser.
type forgetStep struct {
	query string
	args  []any
}
