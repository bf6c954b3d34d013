package circles

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/peers/crisis"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// PageSize is how many posts a page of a circle lists.
const PageSize = 20

// Post is one post as the actor sees it.
type Post struct {
	ID        string
	CircleID  string
	AuthorID  string
	Author    string
	Body      string
	Pinned    bool
	Hidden    bool
	CreatedAt time.Time
	EditedAt  time.Time
	// Comments counts the comments the actor sees.
	Comments int
	// Reactions counts each kind of reaction (the map may be shared
	// with other Posts: read it only); Mine holds the actor's.
	Reactions map[string]int
	Mine      map[string]bool
	// Mod reports whether the actor moderates the circle (and so sees a
	// hidden post's words); Own whether the actor wrote it.
	Mod, Own bool
}

// Shown reports whether the post's words are shown to the actor: hidden
// posts show "Removed by a moderator." except to moderators.
func (p *Post) Shown() bool { return !p.Hidden || p.Mod }

// ReactionCounts lists each reaction kind with its count and whether the
// actor gave it, in the fixed order.
func (p *Post) ReactionCounts() []ReactionCount {
	out := make([]ReactionCount, len(Reactions))
	for i, r := range Reactions {
		out[i] = ReactionCount{Kind: r.Kind, Emoji: r.Emoji, Label: r.Label, Count: p.Reactions[r.Kind], Mine: p.Mine[r.Kind]}
	}
	return out
}

// ReactionCount is one reaction kind on one post (its fields flat, for
// templates).
type ReactionCount struct {
	Kind, Emoji, Label string
	Count              int
	Mine               bool
}

// checkBody trims and checks a post or comment body.
func checkBody(field, body string, max int) (string, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	switch {
	case body == "":
		return "", ValidationError{{Field: field, Message: "Write something first."}}
	case !plainText(body, true):
		return "", ValidationError{{Field: field, Message: "Please use plain text."}}
	case utf8.RuneCountInString(body) > max:
		return "", ValidationError{{Field: field, Message: fmt.Sprintf("Please keep it to %d characters or fewer.", max)}}
	}
	return body, nil
}

// CreatePost adds the actor's post to circle id (members and staff) and
// returns its id and whether its words held crisis language (the post is
// saved either way; the caller shows the crisis numbers). The post is
// published live to every other member of the circle.
func CreatePost(ctx context.Context, d *db.DB, actor access.Actor, id, body string) (string, bool, error) {
	postID := newID()
	var flagged bool
	err := d.Tx(ctx, func(tx *db.Tx) error {
		c, err := load(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := access.WriteInCircle(actor, c.rule()); err != nil {
			return err
		}
		if body, err = checkBody("body", body, MaxPostLen); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO circle_posts (id, circle_id, program_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			postID, c.ID, c.ProgramID, actor.UserID, body, now()); err != nil {
			return fmt.Errorf("circles: post: %w", err)
		}
		if err := audit.Record(ctx, tx, actor, audit.Event{Action: "circle.post", SubjectType: "circle_post", SubjectID: postID,
			Detail: map[string]string{"circle_id": c.ID}}); err != nil {
			return err
		}
		link := "/circles/" + c.ID + "/posts/" + postID
		if flagged, err = crisis.Check(ctx, tx, actor, body, crisis.Source{Kind: "post", ID: postID, Link: link}); err != nil {
			return err
		}
		ids, err := memberIDs(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		data, _ := json.Marshal(map[string]string{"circle_id": c.ID, "post_id": postID})
		for _, m := range ids {
			if m == actor.UserID {
				continue
			}
			if err := live.Publish(ctx, tx, m, live.Event{Type: "circle_post", Data: data}); err != nil {
				return err
			}
		}
		return touch(ctx, tx, c.ID)
	})
	if err != nil {
		return "", false, err
	}
	return postID, flagged, nil
}

// postRow is a post's row with its circle, for the checks of a change.
type postRow struct {
	circle   *Circle
	authorID string
	body     string
	hidden   bool
	pinned   bool
}

// loadPost reads post postID of circle circleID for the actor, who must be
// able to read the circle's posts and not be blocked with its author.
// Deleted posts are access.ErrNotFound.
func loadPost(ctx context.Context, q db.Querier, actor access.Actor, circleID, postID string) (*postRow, error) {
	c, err := load(ctx, q, actor, circleID)
	if err != nil {
		return nil, err
	}
	if err := access.ReadCirclePosts(actor, c.rule()); err != nil {
		return nil, err
	}
	p := &postRow{circle: c}
	err = q.QueryRow(ctx, `SELECT author_id, body, hidden, pinned FROM circle_posts WHERE id = ? AND circle_id = ? AND deleted_at IS NULL`,
		postID, c.ID).Scan(&p.authorID, &p.body, &p.hidden, &p.pinned)
	if err != nil {
		if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
			return nil, access.ErrNotFound
		}
		return nil, fmt.Errorf("circles: post: %w", err)
	}
	if blocked, err := safety.Blocked(ctx, q, actor.UserID, p.authorID); err != nil || blocked {
		if err == nil {
			err = access.ErrNotFound
		}
		return nil, err
	}
	return p, nil
}

// EditPost changes the words of the actor's own post. The new words go
// through the crisis check.
func EditPost(ctx context.Context, d *db.DB, actor access.Actor, circleID, postID, body string) (bool, error) {
	var flagged bool
	err := d.Tx(ctx, func(tx *db.Tx) error {
		p, err := loadPost(ctx, tx, actor, circleID, postID)
		if err != nil {
			return err
		}
		if p.authorID != actor.UserID || access.WriteInCircle(actor, p.circle.rule()) != nil {
			return access.ErrNotFound
		}
		if body, err = checkBody("body", body, MaxPostLen); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE circle_posts SET body = ?, edited_at = ? WHERE id = ?`, body, now(), postID); err != nil {
			return fmt.Errorf("circles: edit post: %w", err)
		}
		if err := audit.Record(ctx, tx, actor, audit.Event{Action: "circle.post.edit", SubjectType: "circle_post", SubjectID: postID}); err != nil {
			return err
		}
		if flagged, err = crisis.Check(ctx, tx, actor, body, crisis.Source{Kind: "post", ID: postID, Link: "/circles/" + circleID + "/posts/" + postID}); err != nil {
			return err
		}
		return touch(ctx, tx, p.circle.ID)
	})
	return flagged, err
}

// DeletePost deletes a post: its author, or a moderator of the circle.
func DeletePost(ctx context.Context, d *db.DB, actor access.Actor, circleID, postID string) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		p, err := loadPost(ctx, tx, actor, circleID, postID)
		if err != nil {
			return err
		}
		if p.authorID != actor.UserID && access.ModerateCircle(actor, p.circle.rule()) != nil {
			return access.ErrNotFound
		}
		if _, err := tx.Exec(ctx, `UPDATE circle_posts SET deleted_at = ?, pinned = FALSE WHERE id = ?`, now(), postID); err != nil {
			return fmt.Errorf("circles: delete post: %w", err)
		}
		if err := audit.Record(ctx, tx, actor, audit.Event{Action: "circle.post.delete", SubjectType: "circle_post", SubjectID: postID}); err != nil {
			return err
		}
		return touch(ctx, tx, p.circle.ID)
	})
}

// PinPost pins (or unpins) a post, for the circle's moderators. Pinned
// posts are listed first.
func PinPost(ctx context.Context, d *db.DB, actor access.Actor, circleID, postID string, pin bool) error {
	return moderatePost(ctx, d, actor, circleID, postID, "pinned", pin, "circle.post.pin")
}

// HidePost hides (or shows again) a post, for the circle's moderators.
func HidePost(ctx context.Context, d *db.DB, actor access.Actor, circleID, postID string, hide bool) error {
	return moderatePost(ctx, d, actor, circleID, postID, "hidden", hide, "circle.post.hide")
}

func moderatePost(ctx context.Context, d *db.DB, actor access.Actor, circleID, postID, col string, on bool, action string) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		p, err := loadPost(ctx, tx, actor, circleID, postID)
		if err != nil {
			return err
		}
		if err := access.ModerateCircle(actor, p.circle.rule()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE circle_posts SET `+col+` = ? WHERE id = ?`, on, postID); err != nil {
			return fmt.Errorf("circles: %s: %w", action, err)
		}
		if err := audit.Record(ctx, tx, actor, audit.Event{Action: action, SubjectType: "circle_post", SubjectID: postID,
			Detail: map[string]string{"on": strconv.FormatBool(on)}}); err != nil {
			return err
		}
		return touch(ctx, tx, p.circle.ID)
	})
}

// Cursor marks where the next page of posts starts.
type cursor struct {
	Pinned bool
	At     time.Time
	ID     string
}

func (c cursor) String() string {
	p := "0"
	if c.Pinned {
		p = "1"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(p + "|" + strconv.FormatInt(c.At.UnixMicro(), 10) + "|" + c.ID))
}

// ErrBadCursor is returned for a cursor that this package did not make.
var ErrBadCursor = ValidationError{{Field: "cursor", Message: "This page link is not valid; start from the first page."}}

// parseCursor reads a cursor made by cursor.String.
func parseCursor(s string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > 200 {
		return nil, ErrBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, ErrBadCursor
	}
	parts := strings.SplitN(string(b), "|", 3)
	if len(parts) != 3 || (parts[0] != "0" && parts[0] != "1") || parts[2] == "" || len(parts[2]) > 64 {
		return nil, ErrBadCursor
	}
	us, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || us < 0 {
		return nil, ErrBadCursor
	}
	return &cursor{Pinned: parts[0] == "1", At: time.UnixMicro(us).UTC(), ID: parts[2]}, nil
}

// Page is one page of a circle's posts.
type Page struct {
	Posts []*Post
	// Next is the cursor of the following page ("" on the last).
	Next string
}

// blockedSet is the subquery of everyone blocked with the actor (two
// arguments: the actor's id twice).
const blockedSet = `(SELECT blocked_id FROM blocks WHERE blocker_id = ? UNION SELECT blocker_id FROM blocks WHERE blocked_id = ?)`

// postSelect reads posts with their comment count, their reaction counts
// and the actor's reactions in one statement. Its arguments are the
// actor's id five times (comment count blocks, reactions, author blocks).
const postSelect = `SELECT p.id, p.circle_id, p.author_id, u.first_name, u.last_name, u.email, p.body, p.pinned, p.hidden, p.created_at, p.edited_at,
	(SELECT COUNT(*) FROM circle_comments k WHERE k.post_id = p.id AND k.deleted_at IS NULL AND k.author_id NOT IN ` + blockedSet + `),
	(SELECT COUNT(*) FROM circle_reactions r WHERE r.post_id = p.id AND r.kind = 'heart'),
	(SELECT COUNT(*) FROM circle_reactions r WHERE r.post_id = p.id AND r.kind = 'thanks'),
	(SELECT COUNT(*) FROM circle_reactions r WHERE r.post_id = p.id AND r.kind = 'strength'),
	(SELECT COUNT(*) FROM circle_reactions r WHERE r.post_id = p.id AND r.kind = 'celebrate'),
	(SELECT COALESCE(SUM(CASE r.kind WHEN 'heart' THEN 1 WHEN 'thanks' THEN 2 WHEN 'strength' THEN 4 ELSE 8 END), 0)
		FROM circle_reactions r WHERE r.post_id = p.id AND r.user_id = ?)
	FROM circle_posts p JOIN users u ON u.id = p.author_id
	WHERE p.deleted_at IS NULL AND p.author_id NOT IN ` + blockedSet

// postFastSelect is postSelect for an actor in no block: the counts are
// read from the post's row. Its arguments are the actor's id once.
const postFastSelect = `SELECT p.id, p.circle_id, p.author_id, u.first_name, u.last_name, u.email, p.body, p.pinned, p.hidden, p.created_at, p.edited_at,
	p.comment_count, p.heart_count, p.thanks_count, p.strength_count, p.celebrate_count,
	(SELECT COALESCE(SUM(CASE r.kind WHEN 'heart' THEN 1 WHEN 'thanks' THEN 2 WHEN 'strength' THEN 4 ELSE 8 END), 0)
		FROM circle_reactions r WHERE r.post_id = p.id AND r.user_id = ?)
	FROM circle_posts p JOIN users u ON u.id = p.author_id
	WHERE p.deleted_at IS NULL`

// inBlock reports whether userID blocked anyone or was blocked by anyone.
func inBlock(ctx context.Context, q db.Querier, userID string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM blocks WHERE blocker_id = ? UNION ALL SELECT 1 FROM blocks WHERE blocked_id = ?) b`,
		userID, userID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("circles: blocks: %w", err)
	}
	return n > 0, nil
}

// postQuery returns the select of posts for the actor and its leading
// arguments: the counting one when the actor is in a block (so that
// comments of people blocked either way are not counted), the one that
// reads the kept counts otherwise.
func postQuery(ctx context.Context, q db.Querier, actorID string) (string, []any, error) {
	blocked, err := inBlock(ctx, q, actorID)
	if err != nil {
		return "", nil, err
	}
	if blocked {
		return postSelect, []any{actorID, actorID, actorID, actorID, actorID}, nil
	}
	return postFastSelect, []any{actorID}, nil
}

func scanPost(s scanner, mod bool, actorID string) (*Post, error) {
	p := &Post{Reactions: map[string]int{}, Mine: map[string]bool{}, Mod: mod}
	var u auth.User
	var edited sql.NullTime
	var counts [4]int
	var mine int
	if err := s.Scan(&p.ID, &p.CircleID, &p.AuthorID, &u.FirstName, &u.LastName, &u.Email, &p.Body, &p.Pinned, &p.Hidden,
		&p.CreatedAt, &edited, &p.Comments, &counts[0], &counts[1], &counts[2], &counts[3], &mine); err != nil {
		return nil, err
	}
	p.Author = u.DisplayName()
	p.EditedAt = edited.Time
	for i, r := range Reactions {
		p.Reactions[r.Kind] = counts[i]
		p.Mine[r.Kind] = mine&(1<<i) != 0
	}
	p.Own = p.AuthorID == actorID
	if p.Hidden && !mod {
		p.Body = ""
	}
	return p, nil
}

// Posts lists one page of circle id's posts for the actor: pinned first,
// then newest first, PageSize at a time, after the cursor (from a previous
// Page.Next; "" for the first page). Posts by people blocked with the
// actor are left out.
func Posts(ctx context.Context, q db.Querier, actor access.Actor, id, after string) (*Page, error) {
	cur, err := parseCursor(after)
	if err != nil {
		return nil, err
	}
	l, err := loadListed(ctx, q, actor, id)
	if err != nil {
		return nil, err
	}
	if err := access.ReadCirclePosts(actor, l.rule()); err != nil {
		return nil, err
	}
	return posts(ctx, q, actor, l, cur)
}

// posts reads a page of circle l's posts for the actor: the first page of
// an actor in no block from the instance's copy (list.go) when q is the
// database itself (never a transaction, whose changes may yet be undone).
func posts(ctx context.Context, q db.Querier, actor access.Actor, l *listed, cur *cursor) (*Page, error) {
	mod := access.ModerateCircle(actor, l.rule()) == nil
	if d, ok := q.(*db.DB); ok && cur == nil && !l.blocked {
		return firstPage(ctx, d, actor, l, mod)
	}
	u := actor.UserID
	query, args := postFastSelect, []any{u}
	if l.blocked {
		query, args = postSelect, []any{u, u, u, u, u}
	}
	query += ` AND p.circle_id = ?`
	args = append(args, l.ID)
	if cur != nil {
		query += ` AND (p.pinned < ? OR (p.pinned = ? AND (p.created_at < ? OR (p.created_at = ? AND p.id < ?))))`
		args = append(args, cur.Pinned, cur.Pinned, cur.At, cur.At, cur.ID)
	}
	query += ` ORDER BY p.pinned DESC, p.created_at DESC, p.id DESC LIMIT ` + strconv.Itoa(PageSize+1)
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("circles: posts: %w", err)
	}
	defer rows.Close()
	page := &Page{}
	for rows.Next() {
		p, err := scanPost(rows, mod, u)
		if err != nil {
			return nil, fmt.Errorf("circles: posts: %w", err)
		}
		page.Posts = append(page.Posts, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("circles: posts: %w", err)
	}
	if len(page.Posts) > PageSize {
		page.Posts = page.Posts[:PageSize]
		last := page.Posts[PageSize-1]
		page.Next = cursor{Pinned: last.Pinned, At: last.CreatedAt, ID: last.ID}.String()
	}
	return page, nil
}

// GetPost returns one post of circle circleID as the actor sees it.
func GetPost(ctx context.Context, q db.Querier, actor access.Actor, circleID, postID string) (*Circle, *Post, error) {
	pr, err := loadPost(ctx, q, actor, circleID, postID)
	if err != nil {
		return nil, nil, err
	}
	u := actor.UserID
	mod := access.ModerateCircle(actor, pr.circle.rule()) == nil
	query, args, err := postQuery(ctx, q, u)
	if err != nil {
		return nil, nil, err
	}
	p, err := scanPost(q.QueryRow(ctx, query+` AND p.id = ?`, append(args, postID)...), mod, u)
	if err != nil {
		if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
			return nil, nil, access.ErrNotFound
		}
		return nil, nil, fmt.Errorf("circles: post: %w", err)
	}
	return pr.circle, p, nil
}
