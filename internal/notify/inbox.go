package notify

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Notification is one in-app notification.
type Notification struct {
	ID, ProgramID, UserID string
	Kind                  Kind
	Title, Body, Link     string
	CreatedAt             time.Time
	// ReadAt is when the person marked it read; nil while unread.
	ReadAt *time.Time
}

// Page sizes for List.
const (
	defaultPage = 20
	maxPage     = 100
)

// List returns the actor's own notifications, newest first, at most limit
// (20 when limit is not between 1 and 100), and the cursor of the next page
// ("" when there is none). cursor is what a previous call returned, or ""
// for the first page; a cursor that was not made by List is a *FieldError
// for "cursor".
func List(ctx context.Context, d *db.DB, actor access.Actor, cursor string, limit int) ([]*Notification, string, error) {
	if actor.UserID == "" {
		return nil, "", access.ErrNotFound
	}
	if limit <= 0 || limit > maxPage {
		limit = defaultPage
	}
	q := `SELECT id, program_id, user_id, kind, title, body, link, created_at, read_at
		FROM notifications WHERE user_id = ?`
	args := []any{actor.UserID}
	if cursor != "" {
		at, id, err := decodeCursor(cursor)
		if err != nil {
			return nil, "", err
		}
		q += ` AND (created_at < ? OR (created_at = ? AND id < ?))`
		args = append(args, at, at, id)
	}
	q += ` ORDER BY created_at DESC, id DESC LIMIT ?`
	args = append(args, limit+1)
	rows, err := d.Query(ctx, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("notify: list: %w", err)
	}
	defer rows.Close()
	var out []*Notification
	for rows.Next() {
		var n Notification
		var read sql.NullTime
		if err := rows.Scan(&n.ID, &n.ProgramID, &n.UserID, &n.Kind, &n.Title, &n.Body, &n.Link, &n.CreatedAt, &read); err != nil {
			return nil, "", fmt.Errorf("notify: list: %w", err)
		}
		n.CreatedAt = n.CreatedAt.UTC()
		if read.Valid {
			t := read.Time.UTC()
			n.ReadAt = &t
		}
		out = append(out, &n)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("notify: list: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = encodeCursor(last.CreatedAt, last.ID)
	}
	return out, next, nil
}

// encodeCursor makes the opaque cursor for the page after (at, id).
func encodeCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.UnixMicro(), 10) + "." + id))
}

func decodeCursor(c string) (time.Time, string, error) {
	bad := &FieldError{"cursor", "is not a cursor this list returned"}
	if len(c) > 200 {
		return time.Time{}, "", bad
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", bad
	}
	micros, id, ok := strings.Cut(string(b), ".")
	if !ok || id == "" || len(id) > 64 {
		return time.Time{}, "", bad
	}
	n, err := strconv.ParseInt(micros, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, "", bad
	}
	return time.UnixMicro(n).UTC(), id, nil
}

// MarkRead marks one of the actor's notifications read. Someone else's
// notification, or none, is access.ErrNotFound. Marking a read one again
// changes nothing.
func MarkRead(ctx context.Context, d *db.DB, actor access.Actor, id string) error {
	if actor.UserID == "" {
		return access.ErrNotFound
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		var read sql.NullTime
		err := tx.QueryRow(ctx, `SELECT read_at FROM notifications WHERE id = ? AND user_id = ?`, id, actor.UserID).Scan(&read)
		if err != nil {
			if err = db.Err(err); err == db.ErrNotFound {
				return access.ErrNotFound
			}
			return fmt.Errorf("notify: mark read: %w", err)
		}
		if read.Valid {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ?`,
			Now().UTC().Truncate(time.Microsecond), id, actor.UserID); err != nil {
			return fmt.Errorf("notify: mark read: %w", err)
		}
		return publishUnread(ctx, tx, actor.UserID, "unread")
	})
}

// MarkAllRead marks every unread notification of the actor read.
func MarkAllRead(ctx context.Context, d *db.DB, actor access.Actor) error {
	if actor.UserID == "" {
		return access.ErrNotFound
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`,
			Now().UTC().Truncate(time.Microsecond), actor.UserID)
		if err != nil {
			return fmt.Errorf("notify: mark all read: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return nil
		}
		return publishUnread(ctx, tx, actor.UserID, "unread")
	})
}

// UnreadCount returns how many of the actor's notifications are unread:
// one indexed count, cheap enough for every page.
func UnreadCount(ctx context.Context, d *db.DB, actor access.Actor) (int, error) {
	if actor.UserID == "" {
		return 0, access.ErrNotFound
	}
	return unread(ctx, d, actor.UserID)
}

func unread(ctx context.Context, q db.Querier, userID string) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("notify: unread count: %w", err)
	}
	return n, nil
}
