package circles

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// Posts and comments are reportable (safety kinds "post" and "comment"):
// the moderation queue loads them, checks that the reporter may see them,
// and hides them.
func init() {
	for name, k := range registered {
		safety.RegisterKind(name, k)
	}
}

// registered are the safety kinds of circles, by name.
var registered = map[string]safety.Kind{
	"post":    {Load: loadPostContent, Visible: postVisible, SetHidden: setPostHidden},
	"comment": {Load: loadCommentContent, Visible: commentVisible, SetHidden: setCommentHidden},
}

// excerpt is the start of a text for the moderation queue.
func excerpt(s string) string {
	const n = 200
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func notFound(err error) error {
	if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
		return db.ErrNotFound
	}
	return err
}

func loadPostContent(ctx context.Context, q db.Querier, id string) (safety.Content, error) {
	var c safety.Content
	var circleID string
	err := q.QueryRow(ctx, `SELECT program_id, author_id, body, hidden, circle_id FROM circle_posts WHERE id = ?`, id).
		Scan(&c.ProgramID, &c.AuthorID, &c.Excerpt, &c.Hidden, &circleID)
	if err != nil {
		return c, notFound(err)
	}
	c.Excerpt, c.Link = excerpt(c.Excerpt), "/circles/"+circleID+"/posts/"+id
	return c, nil
}

func postVisible(ctx context.Context, q db.Querier, actor access.Actor, id string) error {
	var circleID string
	if err := q.QueryRow(ctx, `SELECT circle_id FROM circle_posts WHERE id = ?`, id).Scan(&circleID); err != nil {
		return notFound(err)
	}
	_, err := loadPost(ctx, q, actor, circleID, id)
	return err
}

func setPostHidden(ctx context.Context, tx *db.Tx, id string, hidden bool) error {
	if _, err := tx.Exec(ctx, `UPDATE circle_posts SET hidden = ? WHERE id = ?`, hidden, id); err != nil {
		return fmt.Errorf("circles: hide post: %w", err)
	}
	var circleID string
	if err := tx.QueryRow(ctx, `SELECT circle_id FROM circle_posts WHERE id = ?`, id).Scan(&circleID); err != nil {
		return fmt.Errorf("circles: hide post: %w", err)
	}
	return touch(ctx, tx, circleID)
}

func loadCommentContent(ctx context.Context, q db.Querier, id string) (safety.Content, error) {
	var c safety.Content
	var circleID, postID string
	err := q.QueryRow(ctx, `SELECT program_id, author_id, body, hidden, circle_id, post_id FROM circle_comments WHERE id = ?`, id).
		Scan(&c.ProgramID, &c.AuthorID, &c.Excerpt, &c.Hidden, &circleID, &postID)
	if err != nil {
		return c, notFound(err)
	}
	c.Excerpt, c.Link = excerpt(c.Excerpt), "/circles/"+circleID+"/posts/"+postID+"#comment-"+id
	return c, nil
}

func commentVisible(ctx context.Context, q db.Querier, actor access.Actor, id string) error {
	var circleID, postID string
	if err := q.QueryRow(ctx, `SELECT circle_id, post_id FROM circle_comments WHERE id = ?`, id).Scan(&circleID, &postID); err != nil {
		return notFound(err)
	}
	_, _, err := commentRow(ctx, q, actor, circleID, postID, id)
	return err
}

func setCommentHidden(ctx context.Context, tx *db.Tx, id string, hidden bool) error {
	if _, err := tx.Exec(ctx, `UPDATE circle_comments SET hidden = ? WHERE id = ?`, hidden, id); err != nil {
		return fmt.Errorf("circles: hide comment: %w", err)
	}
	return nil
}
