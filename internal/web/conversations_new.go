package web

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// maxContacts caps the people the new-conversation form lists at once;
// the search narrows a longer list.
const maxContacts = 200

// newConversationPage is the new-conversation form's data.
type newConversationPage struct {
	// People are those the person may write to, matching Query.
	People []contact
	Query  string
	// More reports that more people matched than are listed.
	More bool
	// Chosen holds the ids already ticked (from ?to= or the form).
	Chosen map[string]bool
}

// contact is a person one may start a conversation with.
type contact struct {
	ID, Name string
	Role     access.Role
}

// RoleLabel names the person's role when it is not alumnus.
func (c contact) RoleLabel() string {
	if c.Role == access.Alumnus {
		return ""
	}
	return c.Role.Label()
}

// conversationNew shows the form to start a conversation: a name search
// and the people one may write to.
func (s *Server) conversationNew(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.UseConversations(a); err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	chosen := map[string]bool{}
	for _, id := range r.URL.Query()["to"] {
		chosen[id] = true
	}
	return s.renderNewConversation(w, r, http.StatusOK, q, chosen, nil)
}

func (s *Server) renderNewConversation(w http.ResponseWriter, r *http.Request, status int, q string, chosen map[string]bool, errs map[string]string) error {
	a := actor(r)
	people, err := conversationContacts(r.Context(), s.db, a)
	if err != nil {
		return err
	}
	p := newConversationPage{Query: q, Chosen: chosen}
	needle := strings.ToLower(q)
	for _, c := range people {
		// The people already chosen stay listed whatever the search.
		if needle != "" && !strings.Contains(strings.ToLower(c.Name), needle) && !chosen[c.ID] {
			continue
		}
		if len(p.People) == maxContacts {
			p.More = true
			break
		}
		p.People = append(p.People, c)
	}
	v := s.newView(r, "New conversation", p)
	v.Nav, v.Errors = "messages", errs
	if r.Method == http.MethodPost {
		v.Form = r.PostForm
	}
	return s.renderView(w, r, status, "conversations_new", v)
}

// conversationStart starts a conversation with the people ticked, with an
// optional first message, and opens it.
func (s *Server) conversationStart(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	a := actor(r)
	ids := r.PostForm["member_ids"]
	c, crisis, err := conversations.Start(r.Context(), s.db, a, conversations.NewConversation{
		MemberIDs: ids, Title: r.PostFormValue("title"), Body: r.PostFormValue("body"),
	})
	var ve conversations.ValidationError
	if errors.As(err, &ve) {
		chosen := map[string]bool{}
		for _, id := range ids {
			chosen[id] = true
		}
		return s.renderNewConversation(w, r, http.StatusUnprocessableEntity, strings.TrimSpace(r.PostFormValue("q")), chosen, fieldErrors(ve))
	}
	if err != nil {
		return err
	}
	s.afterWrite(w, r, "/conversations/"+c.ID+"#bottom", crisis)
	return nil
}

// conversationContacts lists the people of a's program whom a may start a
// conversation with (access.StartConversation), sorted by name. People in a
// block with a are left out, and so are alumni hidden from the directory
// unless a is staff, so that the list reveals no more than the directory.
//
// This belongs in internal/peers/conversations (a Contacts function); it
// lives here until the store offers one.
func conversationContacts(ctx context.Context, q db.Querier, a access.Actor) ([]contact, error) {
	if err := access.UseConversations(a); err != nil {
		return nil, err
	}
	blocked, err := safety.BlockedIDs(ctx, q, a.UserID)
	if err != nil {
		return nil, err
	}
	linked := map[string]bool{}
	if a.Role == access.Alumnus || a.Role == access.Family {
		query := `SELECT family_id FROM family_links WHERE alumnus_id = ?`
		if a.Role == access.Family {
			query = `SELECT alumnus_id FROM family_links WHERE family_id = ?`
		}
		rows, err := q.Query(ctx, query, a.UserID)
		if err != nil {
			return nil, fmt.Errorf("web: contacts: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("web: contacts: %w", err)
			}
			linked[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("web: contacts: %w", err)
		}
	}
	seeHidden := access.SeeHiddenMembers(a, a.ProgramID) == nil
	rows, err := q.Query(ctx, `SELECT u.id, u.first_name, u.last_name, u.email, u.role, p.hidden
		FROM users u LEFT JOIN profiles p ON p.user_id = u.id
		WHERE u.program_id = ? AND u.disabled_at IS NULL AND u.id <> ?`, a.ProgramID, a.UserID)
	if err != nil {
		return nil, fmt.Errorf("web: contacts: %w", err)
	}
	defer rows.Close()
	var out []contact
	for rows.Next() {
		var id, first, last, email, role string
		var hidden sql.NullBool
		if err := rows.Scan(&id, &first, &last, &email, &role, &hidden); err != nil {
			return nil, fmt.Errorf("web: contacts: %w", err)
		}
		if blocked[id] || (hidden.Bool && !seeHidden && !linked[id]) {
			continue
		}
		peer := access.Peer{UserID: id, ProgramID: a.ProgramID, Role: access.Role(role), FamilyLinked: linked[id]}
		if access.StartConversation(a, peer) != nil {
			continue
		}
		u := auth.User{FirstName: first, LastName: last, Email: email}
		out = append(out, contact{ID: id, Name: u.DisplayName(), Role: access.Role(role)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("web: contacts: %w", err)
	}
	slices.SortFunc(out, func(x, y contact) int {
		if c := strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	return out, nil
}
