package conversations

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
)

// convRow is a conversation as stored, with its members.
type convRow struct {
	id, programID, kind, title string
	createdAt, lastMessageAt   time.Time
	lastMessageID              string
	members                    []memberRow
}

// memberRow is one member of a conversation, with their read state.
type memberRow struct {
	userID, name string
	role         access.Role
	disabled     bool
	muted        bool
	lastReadAt   time.Time // zero when never
	lastReadID   string
	notifiedAt   time.Time // zero when never
	seenAt       time.Time // when they last marked it read; zero when never
}

// member returns the member userID, or nil.
func (c *convRow) member(userID string) *memberRow {
	for i := range c.members {
		if c.members[i].userID == userID {
			return &c.members[i]
		}
	}
	return nil
}

// displayName is how members see each other: first name and last initial.
func displayName(first, last, email string) string {
	u := auth.User{FirstName: first, LastName: last, Email: email}
	return u.DisplayName()
}

// loadConv reads conversation id and its members, or access.ErrNotFound,
// in one query (it runs before every send).
func loadConv(ctx context.Context, q db.Querier, id string) (*convRow, error) {
	rows, err := q.Query(ctx, `SELECT c.program_id, c.kind, c.title, c.created_at, c.last_message_at, c.last_message_id,
		m.user_id, u.first_name, u.last_name, u.email, u.role, u.disabled_at,
		m.muted, m.last_read_at, m.last_read_id, m.notified_at, m.seen_at
		FROM conversations c LEFT JOIN conversation_members m ON m.conversation_id = c.id
		LEFT JOIN users u ON u.id = m.user_id
		WHERE c.id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("conversations: load: %w", err)
	}
	defer rows.Close()
	var c *convRow
	for rows.Next() {
		var r convRow
		var userID, first, last, email, role, lastReadID sql.NullString
		var muted sql.NullBool
		var disabled, lastRead, notified, seen sql.NullTime
		if err := rows.Scan(&r.programID, &r.kind, &r.title, &r.createdAt, &r.lastMessageAt, &r.lastMessageID,
			&userID, &first, &last, &email, &role, &disabled, &muted, &lastRead, &lastReadID, &notified, &seen); err != nil {
			return nil, fmt.Errorf("conversations: load: %w", err)
		}
		if c == nil {
			r.id = id
			c = &r
		}
		if !userID.Valid {
			continue // a conversation without members
		}
		c.members = append(c.members, memberRow{userID: userID.String, name: displayName(first.String, last.String, email.String),
			role: access.Role(role.String), disabled: disabled.Valid, muted: muted.Bool,
			lastReadAt: lastRead.Time, lastReadID: lastReadID.String, notifiedAt: notified.Time, seenAt: seen.Time})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("conversations: load: %w", err)
	}
	if c == nil {
		return nil, access.ErrNotFound
	}
	sortMembers(c.members)
	return c, nil
}

// loadMembers reads the members of the conversations ids, by display name.
func loadMembers(ctx context.Context, q db.Querier, ids []string) (map[string][]memberRow, error) {
	out := map[string][]memberRow{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.Query(ctx, `SELECT m.conversation_id, m.user_id, u.first_name, u.last_name, u.email, u.role, u.disabled_at,
		m.muted, m.last_read_at, m.last_read_id, m.notified_at, m.seen_at
		FROM conversation_members m JOIN users u ON u.id = m.user_id
		WHERE m.conversation_id IN (`+db.Placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("conversations: members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var convID, first, last, email, role string
		var m memberRow
		var disabled, lastRead, notified, seen sql.NullTime
		if err := rows.Scan(&convID, &m.userID, &first, &last, &email, &role, &disabled,
			&m.muted, &lastRead, &m.lastReadID, &notified, &seen); err != nil {
			return nil, fmt.Errorf("conversations: members: %w", err)
		}
		m.name, m.role, m.disabled = displayName(first, last, email), access.Role(role), disabled.Valid
		m.lastReadAt, m.notifiedAt, m.seenAt = lastRead.Time, notified.Time, seen.Time
		out[convID] = append(out[convID], m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("conversations: members: %w", err)
	}
	for _, ms := range out {
		sortMembers(ms)
	}
	return out, nil
}

func sortMembers(ms []memberRow) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && strings.ToLower(ms[j].name) < strings.ToLower(ms[j-1].name); j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// view is conversation c as viewer sees it, without unread count and
// preview.
func (c *convRow) view(viewer string) Conversation {
	out := Conversation{ID: c.id, ProgramID: c.programID, Kind: c.kind, Title: c.title, LastMessageAt: c.lastMessageAt}
	var others []string
	for _, m := range c.members {
		out.Members = append(out.Members, Member{UserID: m.userID, Name: m.name})
		if m.userID == viewer {
			out.Muted = m.muted
		} else {
			others = append(others, m.name)
		}
	}
	if out.Title == "" {
		switch {
		case len(others) == 0:
			out.Title = "Conversation"
		case len(others) <= 3:
			out.Title = strings.Join(others, ", ")
		default:
			out.Title = strings.Join(others[:3], ", ") + fmt.Sprintf(" and %d more", len(others)-3)
		}
	}
	return out
}

// memberConv loads conversation id for actor, who must be a member (anyone
// else is access.ErrNotFound).
func memberConv(ctx context.Context, q db.Querier, actor access.Actor, id string) (*convRow, error) {
	if err := access.UseConversations(actor); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, access.ErrNotFound
	}
	c, err := loadConv(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if err := access.ReadConversation(actor, c.programID, c.member(actor.UserID) != nil); err != nil {
		return nil, err
	}
	return c, nil
}
