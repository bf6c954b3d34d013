package conversations

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// ExportColumns are the references to a person whose records ExportMine
// exports, as "table.column".
var ExportColumns = []string{"conversation_members.user_id", "conversation_messages.author_id"}

// ExportMine returns the actor's conversations for their "my data"
// download (see members.ExportSection), with message bodies decrypted:
//
//   - "conversation_members": the actor's own membership rows (joined,
//     read up to, muted, notified);
//   - "conversations": each conversation they are in as they see it in the
//     app (kind, title, the members' display names);
//   - "conversation_messages": the messages of those conversations that
//     the app shows them, plus every message they wrote.
//
// The person's right of access covers what they wrote; messages others
// sent them are the others' words, but they are part of the person's own
// conversations and the app shows them, so they are included exactly as
// the app shows them and no further: messages by people in a block with
// the actor (either way) are left out, as the pages leave them out, so
// the export tells no more about a block than the pages do; messages a
// moderator hid have no body, except the actor's own (their own words).
// A message that cannot be decrypted is there with "unreadable" set
// rather than failing the whole download. Not audited here: the export
// as a whole is ("export.self").
func ExportMine(ctx context.Context, q db.Querier, actor access.Actor) (map[string][]map[string]any, error) {
	out := map[string][]map[string]any{"conversation_members": {}, "conversations": {}, "conversation_messages": {}}
	if actor.UserID == "" {
		return nil, access.ErrNotFound
	}
	mine, err := exportRows(ctx, q, `SELECT conversation_id, joined_at, last_read_at, last_read_id, muted, notified_at, seen_at
		FROM conversation_members WHERE user_id = ? ORDER BY joined_at, conversation_id`, actor.UserID)
	if err != nil {
		return nil, err
	}
	out["conversation_members"] = mine
	var convIDs []string
	for _, m := range mine {
		convIDs = append(convIDs, m["conversation_id"].(string))
	}
	convs := map[string]*convRow{}
	for _, id := range convIDs {
		c, err := loadConv(ctx, q, id)
		if err != nil {
			return nil, err
		}
		convs[id] = c
		v := c.view(actor.UserID)
		members := make([]map[string]any, 0, len(v.Members))
		for _, m := range v.Members {
			members = append(members, map[string]any{"user_id": m.UserID, "name": m.Name})
		}
		out["conversations"] = append(out["conversations"], map[string]any{"id": c.id, "kind": c.kind, "title": v.Title,
			"created_at": c.createdAt.UTC(), "last_message_at": c.lastMessageAt.UTC(), "members": members})
	}
	blocked, err := safety.BlockedIDs(ctx, q, actor.UserID)
	if err != nil {
		return nil, err
	}
	query := `SELECT ` + messageCols + ` FROM conversation_messages WHERE author_id = ?`
	args := []any{actor.UserID}
	if len(convIDs) > 0 {
		query += ` OR conversation_id IN (` + db.Placeholders(len(convIDs)) + `)`
		args = append(args, anys(convIDs)...)
	}
	stored, err := loadMessages(ctx, q, query+` ORDER BY sent_at, id`, args)
	if err != nil {
		return nil, err
	}
	for _, s := range stored {
		own := s.authorID == actor.UserID
		if !own && blocked[s.authorID] {
			continue
		}
		m := map[string]any{"id": s.id, "conversation_id": s.convID, "author_id": s.authorID,
			"sent_at": s.sentAt.UTC(), "hidden": s.hidden, "mine": own}
		if c := convs[s.convID]; c != nil {
			if a := c.member(s.authorID); a != nil {
				m["author_name"] = a.name
			}
		}
		if own || !s.hidden {
			body, err := decrypt(ctx, q, s.keyID, s.convID, s.id, s.nonce, s.body)
			switch {
			case errors.Is(err, ErrUnreadable):
				m["unreadable"] = true
			case err != nil:
				return nil, err
			default:
				m["body"] = body
			}
		}
		out["conversation_messages"] = append(out["conversation_messages"], m)
	}
	return out, nil
}

// exportRows reads the rows of query as maps of their columns (instants
// in UTC).
func exportRows(ctx context.Context, q db.Querier, query string, args ...any) ([]map[string]any, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("conversations: export: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("conversations: export: %w", err)
	}
	out := []map[string]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("conversations: export: %w", err)
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			m[c] = exportValue(vals[i])
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("conversations: export: %w", err)
	}
	return out, nil
}

// exportValue makes one scanned value JSON-friendly: text as a string,
// instants in UTC.
func exportValue(v any) any {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC()
	}
	return v
}
