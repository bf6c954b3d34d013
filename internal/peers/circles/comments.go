package circles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/crisis"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// Comment is one comment on a post as the actor sees it.
type Comment struct {
	ID        string
	PostID    string
	AuthorID  string
	Author    string
	Body      string
	Hidden    bool
	CreatedAt time.Time
	EditedAt  time.Time
	// Mod reports whether the actor moderates the circle; Own whether the
	// actor wrote the comment.
	Mod, Own bool
}

// Shown reports whether the comment's words are shown to the actor.
func (c *Comment) Shown() bool { return !c.Hidden || c.Mod }

// Comments lists the comments on a post, oldest first, leaving out those
// by people blocked with the actor.
func Comments(ctx context.Context, q db.Querier, actor access.Actor, circleID, postID string) ([]*Comment, error) {
	p, err := loadPost(ctx, q, actor, circleID, postID)
	if err != nil {
		return nil, err
	}
	blocked, err := safety.BlockedIDs(ctx, q, actor.UserID)
	if err != nil {
		return nil, err
	}
	mod := access.ModerateCircle(actor, p.circle.rule()) == nil
	rows, err := q.Query(ctx, `SELECT k.id, k.post_id, k.author_id, u.first_name, u.last_name, u.email, k.body, k.hidden, k.created_at, k.edited_at
		FROM circle_comments k JOIN users u ON u.id = k.author_id
		WHERE k.post_id = ? AND k.deleted_at IS NULL ORDER BY k.created_at, k.id`, postID)
	if err != nil {
		return nil, fmt.Errorf("circles: comments: %w", err)
	}
	defer rows.Close()
	var out []*Comment
	for rows.Next() {
		c := &Comment{Mod: mod}
		var u auth.User
		var edited sql.NullTime
		if err := rows.Scan(&c.ID, &c.PostID, &c.AuthorID, &u.FirstName, &u.LastName, &u.Email, &c.Body, &c.Hidden, &c.CreatedAt, &edited); err != nil {
			return nil, fmt.Errorf("circles: comments: %w", err)
		}
		if blocked[c.AuthorID] {
			continue
		}
		c.Author, c.EditedAt, c.Own = u.DisplayName(), edited.Time, c.AuthorID == actor.UserID
		if c.Hidden && !mod {
			c.Body = ""
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddComment adds the actor's comment to a post (members and staff) and
// returns its id and whether its words held crisis language (it is saved
// either way).
func AddComment(ctx context.Context, d *db.DB, actor access.Actor, circleID, postID, body string) (string, bool, error) {
	id := newID()
	var flagged bool
	err := d.Tx(ctx, func(tx *db.Tx) error {
		p, err := loadPost(ctx, tx, actor, circleID, postID)
		if err != nil {
			return err
		}
		if err := access.WriteInCircle(actor, p.circle.rule()); err != nil {
			return err
		}
		if body, err = checkBody("body", body, MaxCommentLen); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO circle_comments (id, post_id, circle_id, program_id, author_id, body, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, postID, p.circle.ID, p.circle.ProgramID, actor.UserID, body, now()); err != nil {
			return fmt.Errorf("circles: comment: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE circle_posts SET comment_count = comment_count + 1 WHERE id = ?`, postID); err != nil {
			return fmt.Errorf("circles: comment: %w", err)
		}
		if err := audit.Record(ctx, tx, actor, audit.Event{Action: "circle.comment", SubjectType: "circle_comment", SubjectID: id,
			Detail: map[string]string{"post_id": postID}}); err != nil {
			return err
		}
		if flagged, err = crisis.Check(ctx, tx, actor, body, crisis.Source{Kind: "comment", ID: id,
			Link: "/circles/" + p.circle.ID + "/posts/" + postID + "#comment-" + id}); err != nil {
			return err
		}
		return touch(ctx, tx, p.circle.ID) // the post's comment count
	})
	if err != nil {
		return "", false, err
	}
	return id, flagged, nil
}

// commentRow reads comment id of post postID with the post's checks.
func commentRow(ctx context.Context, q db.Querier, actor access.Actor, circleID, postID, id string) (*postRow, string, error) {
	p, err := loadPost(ctx, q, actor, circleID, postID)
	if err != nil {
		return nil, "", err
	}
	var author string
	if err := q.QueryRow(ctx, `SELECT author_id FROM circle_comments WHERE id = ? AND post_id = ? AND deleted_at IS NULL`, id, postID).Scan(&author); err != nil {
		if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
			return nil, "", access.ErrNotFound
		}
		return nil, "", fmt.Errorf("circles: comment: %w", err)
	}
	if blocked, err := safety.Blocked(ctx, q, actor.UserID, author); err != nil || blocked {
		if err == nil {
			err = access.ErrNotFound
		}
		return nil, "", err
	}
	return p, author, nil
}

// DeleteComment deletes a comment: its author, or a moderator.
func DeleteComment(ctx context.Context, d *db.DB, actor access.Actor, circleID, postID, id string) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		p, author, err := commentRow(ctx, tx, actor, circleID, postID, id)
		if err != nil {
			return err
		}
		if author != actor.UserID && access.ModerateCircle(actor, p.circle.rule()) != nil {
			return access.ErrNotFound
		}
		if _, err := tx.Exec(ctx, `UPDATE circle_comments SET deleted_at = ? WHERE id = ?`, now(), id); err != nil {
			return fmt.Errorf("circles: delete comment: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE circle_posts SET comment_count = comment_count - 1 WHERE id = ?`, postID); err != nil {
			return fmt.Errorf("circles: delete comment: %w", err)
		}
		if err := audit.Record(ctx, tx, actor, audit.Event{Action: "circle.comment.delete", SubjectType: "circle_comment", SubjectID: id}); err != nil {
			return err
		}
		return touch(ctx, tx, p.circle.ID) // the post's comment count
	})
}

// HideComment hides (or shows again) a comment, for moderators.
func HideComment(ctx context.Context, d *db.DB, actor access.Actor, circleID, postID, id string, hide bool) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		p, _, err := commentRow(ctx, tx, actor, circleID, postID, id)
		if err != nil {
			return err
		}
		if err := access.ModerateCircle(actor, p.circle.rule()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE circle_comments SET hidden = ? WHERE id = ?`, hide, id); err != nil {
			return fmt.Errorf("circles: hide comment: %w", err)
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "circle.comment.hide", SubjectType: "circle_comment", SubjectID: id,
			Detail: map[string]string{"on": fmt.Sprint(hide)}})
	})
}

// EditComment changes the words of the actor's own comment. The new words
// go through the crisis check; it reports whether they held crisis
// language (they are saved either way).
func EditComment(ctx context.Context, d *db.DB, actor access.Actor, circleID, postID, id, body string) (bool, error) {
	var flagged bool
	err := d.Tx(ctx, func(tx *db.Tx) error {
		p, author, err := commentRow(ctx, tx, actor, circleID, postID, id)
		if err != nil {
			return err
		}
		if author != actor.UserID || access.WriteInCircle(actor, p.circle.rule()) != nil {
			return access.ErrNotFound
		}
		if body, err = checkBody("body", body, MaxCommentLen); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE circle_comments SET body = ?, edited_at = ? WHERE id = ?`, body, now(), id); err != nil {
			return fmt.Errorf("circles: edit comment: %w", err)
		}
		if err := audit.Record(ctx, tx, actor, audit.Event{Action: "circle.comment.edit", SubjectType: "circle_comment", SubjectID: id}); err != nil {
			return err
		}
		flagged, err = crisis.Check(ctx, tx, actor, body, crisis.Source{Kind: "comment", ID: id,
			Link: "/circles/" + p.circle.ID + "/posts/" + postID + "#comment-" + id})
		return err
	})
	return flagged, err
}
