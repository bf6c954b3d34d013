package conversations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// notFoundPerson is what Start says about anyone the actor may not write
// to: unknown, in another program, not allowed, or in a block with them.
// It never says which.
const notFoundPerson = "We couldn't find one of the people you chose."

// Start starts a conversation between actor and in.MemberIDs: direct with
// one person, a group with two to 49 (MaxMembers with the actor). A direct
// conversation with someone the actor already has one with is that one
// (in.Body is then sent into it). The optional first message in.Body is
// sent as by Send; the bool reports that it held crisis language. People
// the actor may not write to (access.StartConversation, or a block either
// way) are a ValidationError on member_ids that does not say why.
func Start(ctx context.Context, d *db.DB, actor access.Actor, in NewConversation) (*Conversation, bool, error) {
	if err := access.UseConversations(actor); err != nil {
		return nil, false, err
	}
	ids, title, body, err := checkNew(actor, in)
	if err != nil {
		return nil, false, err
	}
	var convID string
	var crisis bool
	err = d.Tx(ctx, func(tx *db.Tx) error {
		if err := checkPeers(ctx, tx, actor, ids); err != nil {
			return err
		}
		var created bool
		var err error
		if len(ids) == 1 {
			convID, created, err = startDirect(ctx, tx, actor.ProgramID, actor.UserID, ids[0], actor.UserID)
		} else {
			convID, err = startGroup(ctx, tx, actor, ids, title)
			created = true
		}
		if err != nil {
			return err
		}
		if created {
			kind := "group"
			if len(ids) == 1 {
				kind = "direct"
			}
			if err := audit.Record(ctx, tx, actor, audit.Event{Action: "conversation.start", SubjectType: "conversation",
				SubjectID: convID, Detail: map[string]string{"kind": kind, "members": fmt.Sprint(len(ids) + 1)}}); err != nil {
				return err
			}
		}
		if body == "" {
			return nil
		}
		c, err := loadConv(ctx, tx, convID)
		if err != nil {
			return err
		}
		p, err := prepare(ctx, tx, actor, c)
		if err != nil {
			return err
		}
		_, crisis, err = send(ctx, tx, actor, c, body, p)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	c, err := Get(ctx, d, actor, convID)
	return c, crisis, err
}

// checkNew validates in and returns the other members (deduplicated,
// without the actor), the title and the body.
func checkNew(actor access.Actor, in NewConversation) ([]string, string, string, error) {
	var v ValidationError
	seen := map[string]bool{actor.UserID: true}
	var ids []string
	for _, id := range in.MemberIDs {
		id = strings.TrimSpace(id)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		ids = append(ids, id)
	}
	switch {
	case len(ids) == 0:
		addField(&v, "member_ids", "Choose at least one person to write to.")
	case len(ids) > MaxMembers-1:
		addField(&v, "member_ids", "A group can have at most %d people, you included.", MaxMembers)
	}
	title := strings.TrimSpace(in.Title)
	if len(ids) <= 1 {
		title = ""
	}
	switch {
	case !utf8.ValidString(title) || strings.ContainsAny(title, "\r\n\x00"):
		addField(&v, "title", "Please use one line of plain text.")
	case utf8.RuneCountInString(title) > MaxTitle:
		addField(&v, "title", "Please keep the title to %d characters or fewer.", MaxTitle)
	}
	body := in.Body
	if strings.TrimSpace(body) == "" {
		body = ""
	} else if msg := bodyProblem(body); msg != "" {
		addField(&v, "body", "%s", msg)
	}
	if len(v) > 0 {
		return nil, "", "", v
	}
	return ids, title, body, nil
}

// bodyProblem says what is wrong with a message body, or "".
func bodyProblem(body string) string {
	switch {
	case strings.TrimSpace(body) == "":
		return "Write a message first."
	case !utf8.ValidString(body) || strings.ContainsRune(body, 0):
		return "The message holds characters that are not text."
	case utf8.RuneCountInString(body) > MaxBody:
		return fmt.Sprintf("Please keep a message to %d characters or fewer (this one has %d).", MaxBody, utf8.RuneCountInString(body))
	}
	return ""
}

// checkPeers checks that actor may start a conversation with each of ids.
func checkPeers(ctx context.Context, tx *db.Tx, actor access.Actor, ids []string) error {
	blocked, err := safety.BlockedIDs(ctx, tx, actor.UserID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if blocked[id] {
			return ValidationError{{Field: "member_ids", Message: notFoundPerson}}
		}
		p, err := loadPeer(ctx, tx, actor, id)
		if errors.Is(err, db.ErrNotFound) {
			return ValidationError{{Field: "member_ids", Message: notFoundPerson}}
		} else if err != nil {
			return err
		}
		if access.StartConversation(actor, p) != nil {
			return ValidationError{{Field: "member_ids", Message: notFoundPerson}}
		}
	}
	return nil
}

// loadPeer reads what access.StartConversation needs about userID.
func loadPeer(ctx context.Context, q db.Querier, actor access.Actor, userID string) (access.Peer, error) {
	p := access.Peer{UserID: userID}
	var role string
	var disabled sql.NullTime
	err := q.QueryRow(ctx, `SELECT program_id, role, disabled_at FROM users WHERE id = ?`, userID).Scan(&p.ProgramID, &role, &disabled)
	if err = db.Err(err); err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return p, db.ErrNotFound
		}
		return p, fmt.Errorf("conversations: person: %w", err)
	}
	p.Role, p.Disabled = access.Role(role), disabled.Valid
	if (actor.Role == access.Family && p.Role == access.Alumnus) || (actor.Role == access.Alumnus && p.Role == access.Family) {
		alumnus, family := actor.UserID, userID
		if actor.Role == access.Family {
			alumnus, family = userID, actor.UserID
		}
		var n int
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM family_links WHERE alumnus_id = ? AND family_id = ?`, alumnus, family).Scan(&n); err != nil {
			return p, fmt.Errorf("conversations: family link: %w", err)
		}
		p.FamilyLinked = n > 0
	}
	return p, nil
}

// StartDirect finds or creates the direct conversation of a and b in
// programID, inside tx, for features that introduce two people (the buddy
// matcher). The caller has checked that they may meet. It returns the
// conversation's id.
func StartDirect(ctx context.Context, tx *db.Tx, programID, a, b string) (string, error) {
	if a == "" || b == "" || a == b {
		return "", errors.New("conversations: a direct conversation needs two different people")
	}
	id, _, err := startDirect(ctx, tx, programID, a, b, "")
	return id, err
}

// directKey names the direct conversation of a and b, in either order.
func directKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + ":" + b
}

// startDirect finds or creates the direct conversation of a and b, and
// reports whether it created it.
func startDirect(ctx context.Context, tx *db.Tx, programID, a, b, createdBy string) (string, bool, error) {
	key := directKey(a, b)
	var id string
	err := tx.QueryRow(ctx, `SELECT id FROM conversations WHERE direct_key = ?`, key).Scan(&id)
	if err = db.Err(err); err == nil {
		return id, false, nil
	} else if !errors.Is(err, db.ErrNotFound) {
		return "", false, fmt.Errorf("conversations: find direct: %w", err)
	}
	id = uuid.Must(uuid.NewV7()).String()
	at := now()
	res, err := tx.Exec(ctx, `INSERT INTO conversations (id, program_id, kind, title, direct_key, created_by, created_at, last_message_at)
		VALUES (?, ?, 'direct', '', ?, ?, ?, ?) ON CONFLICT DO NOTHING`, id, programID, key, createdBy, at, at)
	if err != nil {
		return "", false, fmt.Errorf("conversations: start direct: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 { // started at the same moment by someone else
		if err := tx.QueryRow(ctx, `SELECT id FROM conversations WHERE direct_key = ?`, key).Scan(&id); err != nil {
			return "", false, fmt.Errorf("conversations: find direct: %w", err)
		}
		return id, false, nil
	}
	if err := addMembers(ctx, tx, id, programID, []string{a, b}); err != nil {
		return "", false, err
	}
	return id, true, nil
}

// startGroup creates a group of actor and ids.
func startGroup(ctx context.Context, tx *db.Tx, actor access.Actor, ids []string, title string) (string, error) {
	id := uuid.Must(uuid.NewV7()).String()
	at := now()
	if _, err := tx.Exec(ctx, `INSERT INTO conversations (id, program_id, kind, title, created_by, created_at, last_message_at)
		VALUES (?, ?, 'group', ?, ?, ?, ?)`, id, actor.ProgramID, title, actor.UserID, at, at); err != nil {
		return "", fmt.Errorf("conversations: start group: %w", err)
	}
	return id, addMembers(ctx, tx, id, actor.ProgramID, append([]string{actor.UserID}, ids...))
}

func addMembers(ctx context.Context, tx *db.Tx, convID, programID string, userIDs []string) error {
	at := now()
	rows := make([][]any, len(userIDs))
	for i, u := range userIDs {
		rows[i] = []any{convID, u, programID, at}
	}
	if err := tx.InsertRows(ctx, `INSERT INTO conversation_members (conversation_id, user_id, program_id, joined_at) VALUES `, rows); err != nil {
		return fmt.Errorf("conversations: members: %w", err)
	}
	return nil
}
