package conversations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// List lists actor's conversations, the newest activity first, with unread
// counts and previews. Reading one's own conversations is not audited.
func List(ctx context.Context, q db.Querier, actor access.Actor) ([]Conversation, error) {
	if err := access.UseConversations(actor); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT c.id, c.program_id, c.kind, c.title, c.created_at, c.last_message_at, c.last_message_id
		FROM conversations c JOIN conversation_members cm ON cm.conversation_id = c.id
		WHERE cm.user_id = ? AND c.program_id = ? ORDER BY c.last_message_at DESC, c.id DESC`, actor.UserID, actor.ProgramID)
	if err != nil {
		return nil, fmt.Errorf("conversations: list: %w", err)
	}
	var convs []*convRow
	for rows.Next() {
		c := &convRow{}
		if err := rows.Scan(&c.id, &c.programID, &c.kind, &c.title, &c.createdAt, &c.lastMessageAt, &c.lastMessageID); err != nil {
			rows.Close()
			return nil, fmt.Errorf("conversations: list: %w", err)
		}
		convs = append(convs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("conversations: list: %w", err)
	}
	return views(ctx, q, actor, convs)
}

// Get returns conversation id as actor, a member, sees it (anyone else is
// access.ErrNotFound). It is not audited: members read their own.
func Get(ctx context.Context, q db.Querier, actor access.Actor, id string) (*Conversation, error) {
	c, err := memberConv(ctx, q, actor, id)
	if err != nil {
		return nil, err
	}
	out, err := views(ctx, q, actor, []*convRow{c})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// views turns stored conversations into what actor sees: members, unread
// counts and previews, read in a few queries for the whole list.
func views(ctx context.Context, q db.Querier, actor access.Actor, convs []*convRow) ([]Conversation, error) {
	out := make([]Conversation, 0, len(convs))
	if len(convs) == 0 {
		return out, nil
	}
	ids := make([]string, 0, len(convs))
	var lastIDs []string
	for _, c := range convs {
		ids = append(ids, c.id)
		if c.lastMessageID != "" {
			lastIDs = append(lastIDs, c.lastMessageID)
		}
	}
	blocked, err := safety.BlockedIDs(ctx, q, actor.UserID)
	if err != nil {
		return nil, err
	}
	var members map[string][]memberRow
	if len(convs) == 1 && convs[0].members != nil {
		members = map[string][]memberRow{convs[0].id: convs[0].members}
	} else if members, err = loadMembers(ctx, q, ids); err != nil {
		return nil, err
	}
	unread, err := unreadCounts(ctx, q, actor.UserID, blocked)
	if err != nil {
		return nil, err
	}
	last, err := loadMessages(ctx, q, `SELECT `+messageCols+` FROM conversation_messages WHERE id IN (`+db.Placeholders(len(lastIDs))+`)`, anys(lastIDs))
	if err != nil {
		return nil, err
	}
	byID := map[string]*storedMessage{}
	for i := range last {
		byID[last[i].id] = &last[i]
	}
	for _, c := range convs {
		c.members = members[c.id]
		v := c.view(actor.UserID)
		v.Unread = unread[c.id]
		if c.kind == "direct" {
			v.Closed = len(c.members) < 2 // the other person's account was deleted
			for _, m := range c.members {
				v.Closed = v.Closed || (m.userID != actor.UserID && blocked[m.userID])
			}
		}
		if m := byID[c.lastMessageID]; m != nil && !m.hidden && !blocked[m.authorID] {
			// A damaged last message leaves the preview empty rather than
			// the whole list unreadable; Messages reports it.
			body, err := decrypt(ctx, q, m.keyID, m.convID, m.id, m.nonce, m.body)
			if err != nil && !errors.Is(err, ErrUnreadable) {
				return nil, err
			}
			v.Preview = preview(body)
		}
		out = append(out, v)
	}
	return out, nil
}

// preview is the start of body on one line.
func preview(body string) string {
	s := strings.Join(strings.Fields(body), " ")
	if utf8.RuneCountInString(s) <= PreviewLength {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:PreviewLength-1])) + "…"
}

// unreadCounts maps each of userID's conversations with unread messages to
// their number, leaving out hidden messages and those of people in a block
// with userID.
func unreadCounts(ctx context.Context, q db.Querier, userID string, blocked map[string]bool) (map[string]int, error) {
	rows, err := q.Query(ctx, `SELECT m.conversation_id, m.author_id, COUNT(*)
		FROM conversation_members cm JOIN conversation_messages m ON m.conversation_id = cm.conversation_id
		WHERE cm.user_id = ? AND m.author_id <> ? AND m.hidden = FALSE
		AND (cm.last_read_at IS NULL OR m.sent_at > cm.last_read_at)
		GROUP BY m.conversation_id, m.author_id`, userID, userID)
	if err != nil {
		return nil, fmt.Errorf("conversations: unread: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var conv, author string
		var n int
		if err := rows.Scan(&conv, &author, &n); err != nil {
			return nil, fmt.Errorf("conversations: unread: %w", err)
		}
		if !blocked[author] {
			out[conv] += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("conversations: unread: %w", err)
	}
	return out, nil
}

// UnreadTotal is the number of actor's conversations with unread messages,
// for the menu.
func UnreadTotal(ctx context.Context, q db.Querier, actor access.Actor) (int, error) {
	if err := access.UseConversations(actor); err != nil {
		return 0, err
	}
	return unreadTotal(ctx, q, actor.UserID)
}

func unreadTotal(ctx context.Context, q db.Querier, userID string) (int, error) {
	blocked, err := safety.BlockedIDs(ctx, q, userID)
	if err != nil {
		return 0, err
	}
	// Conversations whose last message is not newer than what the member
	// read are skipped at once; for the others one EXISTS stops at the
	// first unread message rather than counting them all.
	query := `SELECT COUNT(*) FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id
		WHERE cm.user_id = ? AND c.last_message_id <> ''
		AND (cm.last_read_at IS NULL OR c.last_message_at > cm.last_read_at) AND EXISTS (
		SELECT 1 FROM conversation_messages m WHERE m.conversation_id = cm.conversation_id
		AND (cm.last_read_at IS NULL OR m.sent_at > cm.last_read_at) AND m.author_id <> ? AND m.hidden = FALSE`
	args := []any{userID, userID}
	if len(blocked) > 0 {
		query += ` AND m.author_id NOT IN (` + db.Placeholders(len(blocked)) + `)`
		for id := range blocked {
			args = append(args, id)
		}
	}
	var n int
	if err := q.QueryRow(ctx, query+`)`, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("conversations: unread total: %w", err)
	}
	return n, nil
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
