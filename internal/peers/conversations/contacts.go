package conversations

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// Contact is someone the actor may start a conversation with.
type Contact struct {
	UserID string
	// Name is the display name: first name and last initial.
	Name string
	Role access.Role
}

// Contacts lists the people of actor's program whom actor may start a
// conversation with (access.StartConversation), by name. People in a
// block with actor are left out, and so are alumni hidden from the
// directory unless actor is staff or linked to them as family, so that
// the list reveals no more than the directory does.
func Contacts(ctx context.Context, q db.Querier, actor access.Actor) ([]Contact, error) {
	if err := access.UseConversations(actor); err != nil {
		return nil, err
	}
	blocked, err := safety.BlockedIDs(ctx, q, actor.UserID)
	if err != nil {
		return nil, err
	}
	linked := map[string]bool{}
	if actor.Role == access.Alumnus || actor.Role == access.Family {
		query := `SELECT family_id FROM family_links WHERE alumnus_id = ?`
		if actor.Role == access.Family {
			query = `SELECT alumnus_id FROM family_links WHERE family_id = ?`
		}
		rows, err := q.Query(ctx, query, actor.UserID)
		if err != nil {
			return nil, fmt.Errorf("conversations: contacts: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("conversations: contacts: %w", err)
			}
			linked[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("conversations: contacts: %w", err)
		}
	}
	seeHidden := access.SeeHiddenMembers(actor, actor.ProgramID) == nil
	rows, err := q.Query(ctx, `SELECT u.id, u.first_name, u.last_name, u.email, u.role, (p.hidden OR p.moderation_hidden)
		FROM users u LEFT JOIN profiles p ON p.user_id = u.id
		WHERE u.program_id = ? AND u.disabled_at IS NULL AND u.id <> ?`, actor.ProgramID, actor.UserID)
	if err != nil {
		return nil, fmt.Errorf("conversations: contacts: %w", err)
	}
	defer rows.Close()
	var out []Contact
	for rows.Next() {
		var id, first, last, email, role string
		var hidden sql.NullBool
		if err := rows.Scan(&id, &first, &last, &email, &role, &hidden); err != nil {
			return nil, fmt.Errorf("conversations: contacts: %w", err)
		}
		if blocked[id] || (hidden.Bool && !seeHidden && !linked[id]) {
			continue
		}
		p := access.Peer{UserID: id, ProgramID: actor.ProgramID, Role: access.Role(role), FamilyLinked: linked[id]}
		if access.StartConversation(actor, p) != nil {
			continue
		}
		out = append(out, Contact{UserID: id, Name: displayName(first, last, email), Role: access.Role(role)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("conversations: contacts: %w", err)
	}
	slices.SortFunc(out, func(x, y Contact) int {
		if c := strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)); c != 0 {
			return c
		}
		return strings.Compare(x.UserID, y.UserID)
	})
	return out, nil
}
