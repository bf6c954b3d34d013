package circles

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// The first page of a circle's posts is what every member opens, and it
// is the same for everyone in no block: only the reactions one gave,
// whether one wrote a post and whether one moderates (and so reads a
// hidden post's words) differ. So each instance keeps that page in memory
// (listCache) with the circle's posts_version it was read at, and applies
// the reader's own parts on top of a copy.
//
// Every change to what the page shows raises posts_version in the
// change's own transaction: touch, for the changes this package makes;
// triggers (migration 00049) for a change to an author's name (an account
// deleted) and for post rows removed with an account or a circle. Every
// request reads posts_version with the circle (loadListed), so no instance
// serves a page older than the last committed change, whichever instance
// made it. People in a block (either way) are never served from the copy:
// their page leaves out posts and comments and is read and counted for
// them.

// listCacheSize bounds how many circles' first pages an instance keeps
// (at most 20 posts of 4,000 characters each).
const listCacheSize = 256

// listKey names a circle of a database.
type listKey struct {
	d  *db.DB
	id string
}

// listEntry is a circle's first page as read at version.
type listEntry struct {
	version int64
	// posts have Author set, Body as typed, and no reader's parts (Mine,
	// Mod, Own); they and their Reactions maps are never changed.
	posts []*Post
	// reactors holds, for each post, the reactions each person gave as
	// a bit mask in the order of Reactions.
	reactors []map[string]uint8
	next     string
}

// listCache holds first pages by circle.
type listCache struct {
	mu sync.RWMutex
	m  map[listKey]*listEntry
}

// firstPages is the instance's copy of circles' first pages.
var firstPages = &listCache{m: map[listKey]*listEntry{}}

// get returns the page of k read at version, or nil.
func (lc *listCache) get(k listKey, version int64) *listEntry {
	lc.mu.RLock()
	e := lc.m[k]
	lc.mu.RUnlock()
	if e == nil || e.version != version {
		return nil
	}
	return e
}

// put keeps e for k unless a page of a later version is kept already.
func (lc *listCache) put(k listKey, e *listEntry) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if old := lc.m[k]; old != nil && old.version > e.version {
		return
	}
	if _, ok := lc.m[k]; !ok && len(lc.m) >= listCacheSize {
		for other := range lc.m { // drop one at random
			delete(lc.m, other)
			break
		}
	}
	lc.m[k] = e
}

// touch raises the posts_version of circle id: its first page of posts
// changed. Call it as the last statement of the change's transaction: on
// PostgreSQL the circle's row then stays locked until the commit, and a
// transaction that holds it must not wait for any other row.
func touch(ctx context.Context, tx *db.Tx, id string) error {
	if _, err := tx.Exec(ctx, `UPDATE circles SET posts_version = posts_version + 1 WHERE id = ?`, id); err != nil {
		return fmt.Errorf("circles: touch: %w", err)
	}
	return nil
}

// listed is a circle as loadListed reads it.
type listed struct {
	*Circle
	version int64
	// blocked reports whether the actor blocked anyone or was blocked.
	blocked bool
}

// loadListed is load with what a list of the circle's posts needs too:
// its posts_version and whether the actor is in a block (one query).
func loadListed(ctx context.Context, q db.Querier, actor access.Actor, id string) (*listed, error) {
	if id == "" || len(id) > 64 {
		return nil, access.ErrNotFound
	}
	query := circleSelectWith(`, c.posts_version,
	(EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?) OR EXISTS (SELECT 1 FROM blocks WHERE blocked_id = ?))`) + ` WHERE c.id = ?`
	c := &Circle{}
	l := &listed{Circle: c}
	err := q.QueryRow(ctx, query, actor.UserID, actor.UserID, actor.UserID, id).Scan(&c.ID, &c.ProgramID, &c.Kind, &c.Name,
		&c.Description, &c.Interest, &c.JoinPolicy, &c.Archived, &c.CreatedAt, &c.Members, &c.State, &c.Moderator, &l.version, &l.blocked)
	if err != nil {
		if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
			return nil, access.ErrNotFound
		}
		return nil, fmt.Errorf("circles: load: %w", err)
	}
	if err := access.SeeCircle(actor, c.rule()); err != nil {
		return nil, err
	}
	return l, nil
}

// GetWithPosts returns circle id as the actor sees it and, when the actor
// may read its posts, the page of them after the cursor (as Posts; nil
// when the actor may not read them). It costs one query fewer than Get
// and Posts.
func GetWithPosts(ctx context.Context, q db.Querier, actor access.Actor, id, after string) (*Circle, *Page, error) {
	l, err := loadListed(ctx, q, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if access.ReadCirclePosts(actor, l.rule()) != nil {
		return l.Circle, nil, nil
	}
	cur, err := parseCursor(after)
	if err != nil {
		return nil, nil, err
	}
	page, err := posts(ctx, q, actor, l, cur)
	if err != nil {
		return nil, nil, err
	}
	return l.Circle, page, nil
}

// listSelect is postFastSelect without the actor's reactions (a 0 in
// their place): the page as everyone in no block sees it.
const listSelect = `SELECT p.id, p.circle_id, p.author_id, u.first_name, u.last_name, u.email, p.body, p.pinned, p.hidden, p.created_at, p.edited_at,
	p.comment_count, p.heart_count, p.thanks_count, p.strength_count, p.celebrate_count, 0
	FROM circle_posts p JOIN users u ON u.id = p.author_id
	WHERE p.deleted_at IS NULL AND p.circle_id = ?
	ORDER BY p.pinned DESC, p.created_at DESC, p.id DESC LIMIT `

// firstPage is the first page of circle l's posts for an actor in no
// block, from the instance's copy when it is current.
func firstPage(ctx context.Context, d *db.DB, actor access.Actor, l *listed, mod bool) (*Page, error) {
	k := listKey{d, l.ID}
	if e := firstPages.get(k, l.version); e != nil {
		return e.page(actor.UserID, mod), nil
	}
	e, err := readFirstPage(ctx, d, l)
	if err != nil {
		return nil, err
	}
	firstPages.put(k, e)
	return e.page(actor.UserID, mod), nil
}

// readFirstPage reads circle l's first page with who gave each reaction.
func readFirstPage(ctx context.Context, d *db.DB, l *listed) (*listEntry, error) {
	e := &listEntry{version: l.version}
	rows, err := d.Query(ctx, listSelect+fmt.Sprint(PageSize+1), l.ID)
	if err != nil {
		return nil, fmt.Errorf("circles: posts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPost(rows, true, "") // as typed, even when hidden
		if err != nil {
			return nil, fmt.Errorf("circles: posts: %w", err)
		}
		p.Mine = nil
		e.posts = append(e.posts, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("circles: posts: %w", err)
	}
	rows.Close()
	if len(e.posts) > PageSize {
		e.posts = e.posts[:PageSize]
		last := e.posts[PageSize-1]
		e.next = cursor{Pinned: last.Pinned, At: last.CreatedAt, ID: last.ID}.String()
	}
	e.reactors = make([]map[string]uint8, len(e.posts))
	if len(e.posts) == 0 {
		return e, nil
	}
	at := make(map[string]int, len(e.posts))
	args := make([]any, len(e.posts))
	for i, p := range e.posts {
		at[p.ID], args[i] = i, p.ID
		e.reactors[i] = map[string]uint8{}
	}
	rows, err = d.Query(ctx, `SELECT post_id, user_id, kind FROM circle_reactions WHERE post_id IN (`+db.Placeholders(len(args))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("circles: reactions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var post, user, kind string
		if err := rows.Scan(&post, &user, &kind); err != nil {
			return nil, fmt.Errorf("circles: reactions: %w", err)
		}
		for i, r := range Reactions {
			if r.Kind == kind {
				e.reactors[at[post]][user] |= 1 << i
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("circles: reactions: %w", err)
	}
	return e, nil
}

// page is e as the actor sees it: their reactions, whether they wrote
// each post, and a hidden post's words for moderators alone.
func (e *listEntry) page(actorID string, mod bool) *Page {
	page := &Page{Posts: make([]*Post, len(e.posts)), Next: e.next}
	copies := make([]Post, len(e.posts))
	for i, shared := range e.posts {
		p := &copies[i]
		*p = *shared
		mine := e.reactors[i][actorID]
		p.Mine = make(map[string]bool, len(Reactions))
		for j, r := range Reactions {
			p.Mine[r.Kind] = mine&(1<<j) != 0
		}
		p.Mod, p.Own = mod, p.AuthorID == actorID
		if p.Hidden && !mod {
			p.Body = ""
		}
		page.Posts[i] = p
	}
	return page
}
