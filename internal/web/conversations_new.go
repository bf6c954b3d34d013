package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
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
	list, err := conversations.Contacts(r.Context(), s.db, a)
	if err != nil {
		return err
	}
	people := make([]contact, len(list))
	for i, c := range list {
		people[i] = contact{ID: c.UserID, Name: c.Name, Role: c.Role}
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
