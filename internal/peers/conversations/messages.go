package conversations

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// storedMessage is a message row, still sealed.
type storedMessage struct {
	id, convID, authorID, keyID string
	nonce, body                 []byte
	sentAt                      time.Time
	hidden                      bool
}

const messageCols = `id, conversation_id, author_id, key_id, nonce, body, sent_at, hidden`

func loadMessages(ctx context.Context, q db.Querier, query string, args []any) ([]storedMessage, error) {
	if len(args) == 0 {
		return nil, nil
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("conversations: messages: %w", err)
	}
	defer rows.Close()
	var out []storedMessage
	for rows.Next() {
		var m storedMessage
		if err := rows.Scan(&m.id, &m.convID, &m.authorID, &m.keyID, &m.nonce, &m.body, &m.sentAt, &m.hidden); err != nil {
			return nil, fmt.Errorf("conversations: messages: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("conversations: messages: %w", err)
	}
	return out, nil
}

// Messages returns a page of conversation id's messages for actor, a
// member (anyone else is access.ErrNotFound), oldest first. Messages of
// people in a block with actor are left out; messages hidden by a
// moderator are there with Hidden set and no body. A page cursor that is
// not a message of the conversation is a ValidationError on before or
// after. Members reading their own conversations are not audited.
func Messages(ctx context.Context, q db.Querier, actor access.Actor, id string, page Page) ([]Message, error) {
	c, err := memberConv(ctx, q, actor, id)
	if err != nil {
		return nil, err
	}
	blocked, err := safety.BlockedIDs(ctx, q, actor.UserID)
	if err != nil {
		return nil, err
	}
	return pageOf(ctx, q, c, actor.UserID, page, blocked)
}

// pageOf reads a page of c's messages as viewer sees them.
func pageOf(ctx context.Context, q db.Querier, c *convRow, viewer string, page Page, blocked map[string]bool) ([]Message, error) {
	limit := page.Limit
	if limit <= 0 {
		limit = DefaultPage
	}
	limit = min(limit, MaxPage)
	if page.Before != "" && page.After != "" {
		return nil, ValidationError{{Field: "after", Message: "Use either before or after, not both."}}
	}
	query := `SELECT ` + messageCols + ` FROM conversation_messages WHERE conversation_id = ?`
	args := []any{c.id}
	var skip []any
	for id := range blocked {
		skip = append(skip, id)
	}
	if len(skip) > 0 {
		query += ` AND author_id NOT IN (` + db.Placeholders(len(skip)) + `)`
		args = append(args, skip...)
	}
	asc := false
	for _, cur := range []struct{ field, id, op string }{{"before", page.Before, "<"}, {"after", page.After, ">"}} {
		if cur.id == "" {
			continue
		}
		var at time.Time
		err := q.QueryRow(ctx, `SELECT sent_at FROM conversation_messages WHERE id = ? AND conversation_id = ?`, cur.id, c.id).Scan(&at)
		if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
			return nil, ValidationError{{Field: cur.field, Message: "This is not a message of the conversation."}}
		} else if err != nil {
			return nil, fmt.Errorf("conversations: messages: %w", err)
		}
		query += ` AND sent_at ` + cur.op + ` ?`
		args = append(args, at)
		asc = cur.op == ">"
	}
	if asc {
		query += ` ORDER BY sent_at, id`
	} else {
		query += ` ORDER BY sent_at DESC, id DESC`
	}
	query += fmt.Sprintf(` LIMIT %d`, limit)
	stored, err := loadMessages(ctx, q, query, args)
	if err != nil {
		return nil, err
	}
	if !asc {
		slices.Reverse(stored)
	}
	names := map[string]string{}
	for _, m := range c.members {
		names[m.userID] = m.name
	}
	out := make([]Message, 0, len(stored))
	for _, s := range stored {
		name, ok := names[s.authorID]
		if !ok {
			name = formerMember // left the group, or an account deleted
		}
		m := Message{ID: s.id, ConversationID: s.convID, AuthorID: s.authorID, AuthorName: name,
			SentAt: s.sentAt, Hidden: s.hidden, Mine: s.authorID == viewer}
		if !s.hidden {
			if m.Body, err = decrypt(ctx, q, s.keyID, s.convID, s.id, s.nonce, s.body); err != nil {
				return nil, err
			}
		}
		out = append(out, m)
	}
	return out, nil
}
