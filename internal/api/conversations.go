package api

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/peers/conversations"
)

// conversationRoutes are the caller's conversations and their messages.
func (a *API) conversationRoutes() []route {
	return []route{
		{"GET /api/v1/conversations", false, a.listConversations},
		{"POST /api/v1/conversations", false, a.startConversation},
		{"GET /api/v1/conversations/{id}/messages", false, a.listMessages},
		{"POST /api/v1/conversations/{id}/messages", false, a.sendMessage},
		{"POST /api/v1/conversations/{id}/read", false, a.readConversation},
		{"PUT /api/v1/conversations/{id}/mute", false, a.muteConversation},
	}
}

// conversationMemberJSON is a person in a conversation.
type conversationMemberJSON struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
}

// conversationJSON is a conversation as the caller sees it.
type conversationJSON struct {
	ID            string                   `json:"id"`
	Kind          string                   `json:"kind"`
	Title         string                   `json:"title"`
	Members       []conversationMemberJSON `json:"members"`
	LastMessageAt time.Time                `json:"last_message_at"`
	Unread        int                      `json:"unread"`
	Muted         bool                     `json:"muted"`
	Preview       string                   `json:"preview"`
	Closed        bool                     `json:"closed"`
}

func toConversationJSON(c *conversations.Conversation) conversationJSON {
	j := conversationJSON{ID: c.ID, Kind: c.Kind, Title: c.Title, Members: make([]conversationMemberJSON, 0, len(c.Members)),
		LastMessageAt: c.LastMessageAt.UTC(), Unread: c.Unread, Muted: c.Muted, Preview: c.Preview, Closed: c.Closed}
	for _, m := range c.Members {
		j.Members = append(j.Members, conversationMemberJSON{UserID: m.UserID, Name: m.Name})
	}
	return j
}

// messageJSON is one message. body is empty when hidden.
type messageJSON struct {
	ID             string    `json:"id"`
	ConversationID string    `json:"conversation_id"`
	AuthorID       string    `json:"author_id"`
	AuthorName     string    `json:"author_name"`
	Body           string    `json:"body"`
	SentAt         time.Time `json:"sent_at"`
	Hidden         bool      `json:"hidden"`
	Mine           bool      `json:"mine"`
}

func toMessageJSON(m *conversations.Message) messageJSON {
	return messageJSON{ID: m.ID, ConversationID: m.ConversationID, AuthorID: m.AuthorID, AuthorName: m.AuthorName,
		Body: m.Body, SentAt: m.SentAt.UTC(), Hidden: m.Hidden, Mine: m.Mine}
}

// conversationsJSON is the answer of GET /api/v1/conversations.
type conversationsJSON struct {
	Items []conversationJSON `json:"items"`
	// UnreadTotal is the number of conversations with unread messages.
	UnreadTotal int `json:"unread_total"`
}

// startConversationRequest is the body of POST /api/v1/conversations.
type startConversationRequest struct {
	MemberIDs []string `json:"member_ids"`
	Title     string   `json:"title"`
	Body      string   `json:"body"`
}

// startConversationJSON is a started (or found) conversation, with the
// crisis numbers when its first message held crisis language.
type startConversationJSON struct {
	conversationJSON
	CrisisSupport *crisisSupport `json:"crisis_support,omitempty"`
}

// sendMessageRequest is the body of POST /api/v1/conversations/{id}/messages.
type sendMessageRequest struct {
	Body *string `json:"body"`
}

// sentMessageJSON is a sent message, with the crisis numbers when it held
// crisis language.
type sentMessageJSON struct {
	messageJSON
	CrisisSupport *crisisSupport `json:"crisis_support,omitempty"`
}

// muteRequest is the body of PUT /api/v1/conversations/{id}/mute.
type muteRequest struct {
	Muted *bool `json:"muted"`
}

// conversationsProblem turns a conversations.ValidationError into a 422
// problem naming the fields, and ErrClosed into a 409; other errors pass
// through.
func conversationsProblem(err error) error {
	var verr conversations.ValidationError
	switch {
	case errors.As(err, &verr):
		p := &Problem{Type: typeInvalid, Title: "Invalid request", Status: http.StatusUnprocessableEntity, Detail: verr.Error()}
		for _, f := range verr {
			p.Errors = append(p.Errors, FieldProblem{Field: f.Field, Message: f.Message})
		}
		return p
	case errors.Is(err, conversations.ErrClosed):
		return &Problem{Type: typeConflict, Title: "Conversation closed", Status: http.StatusConflict,
			Detail: conversations.ErrClosed.Error()}
	}
	return err
}

// pathID reads the {id} of the path; anything that cannot be an id is 404.
func pathID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if id == "" || len(id) > 64 {
		return "", errNotFound
	}
	return id, nil
}

// listConversations answers the caller's conversations, newest activity
// first, with unread counts.
func (a *API) listConversations(w http.ResponseWriter, r *http.Request, c *call) error {
	list, err := conversations.List(r.Context(), a.db, c.actor())
	if err != nil {
		return err
	}
	out := conversationsJSON{Items: make([]conversationJSON, 0, len(list))}
	for i := range list {
		out.Items = append(out.Items, toConversationJSON(&list[i]))
		if list[i].Unread > 0 {
			out.UnreadTotal++
		}
	}
	return writeJSON(w, out)
}

// startConversation starts a direct conversation (one member_id; an
// existing one with the same person is answered) or a group.
func (a *API) startConversation(w http.ResponseWriter, r *http.Request, c *call) error {
	var req startConversationRequest
	if err := decodeJSON(w, r, a.maxBody, &req); err != nil {
		return err
	}
	if len(req.MemberIDs) > 4*conversations.MaxMembers {
		return invalid("member_ids", "A group can have at most 50 people, you included.")
	}
	for _, id := range req.MemberIDs {
		if len(id) > 64 {
			return invalid("member_ids", "That is not the id of a person of the program.")
		}
	}
	conv, matched, err := conversations.Start(r.Context(), a.db, c.actor(),
		conversations.NewConversation{MemberIDs: req.MemberIDs, Title: req.Title, Body: req.Body})
	if err != nil {
		return conversationsProblem(err)
	}
	out := startConversationJSON{conversationJSON: toConversationJSON(conv)}
	if matched {
		out.CrisisSupport = a.crisisSupportFor(r, c)
	}
	return writeJSONStatus(w, http.StatusCreated, out)
}

// messageCursor is where the next (older) page of messages ends: before
// the message it names.
func messageCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("m1." + id))
}

func decodeMessageCursor(s string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	id, ok := strings.CutPrefix(string(b), "m1.")
	if err != nil || !ok || id == "" || len(id) > 64 || messageCursor(id) != s {
		return "", invalid("cursor", "Is not a cursor this list returned.")
	}
	return id, nil
}

// listMessages answers a page of a conversation's messages, oldest first:
// the newest page, or with ?cursor= (next_cursor of the page before) the
// older page before it, or with ?after=<message id> the messages newer
// than that one (to catch up after a live "message" event).
func (a *API) listMessages(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	limit, err := pageLimit(q)
	if err != nil {
		return err
	}
	page := conversations.Page{Limit: limit + 1}
	if s := q.Get("cursor"); s != "" {
		if page.Before, err = decodeMessageCursor(s); err != nil {
			return err
		}
	}
	if s := q.Get("after"); s != "" {
		if page.Before != "" {
			return invalid("after", "Use either cursor or after, not both.")
		}
		if len(s) > 64 {
			return invalid("after", "This is not a message of the conversation.")
		}
		page.After, page.Limit = s, limit
	}
	list, err := conversations.Messages(r.Context(), a.db, c.actor(), id, page)
	if err != nil {
		return conversationsProblem(err)
	}
	out := pageJSON[messageJSON]{Items: make([]messageJSON, 0, len(list))}
	if page.After == "" && len(list) > limit {
		list = list[len(list)-limit:]
		s := messageCursor(list[0].ID)
		out.NextCursor = &s
	}
	for i := range list {
		out.Items = append(out.Items, toMessageJSON(&list[i]))
	}
	return writeJSON(w, out)
}

// sendMessage sends a message into a conversation of the caller's.
func (a *API) sendMessage(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req sendMessageRequest
	if err := decodeJSON(w, r, a.maxBody, &req); err != nil {
		return err
	}
	if req.Body == nil {
		return invalid("body", "Write a message first.")
	}
	m, matched, err := conversations.Send(r.Context(), a.db, c.actor(), id, *req.Body)
	if err != nil {
		return conversationsProblem(err)
	}
	out := sentMessageJSON{messageJSON: toMessageJSON(m)}
	if matched {
		out.CrisisSupport = a.crisisSupportFor(r, c)
	}
	return writeJSONStatus(w, http.StatusCreated, out)
}

// readConversation marks a conversation read up to its newest message.
func (a *API) readConversation(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := conversations.MarkRead(r.Context(), a.db, c.actor(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// muteConversation mutes or unmutes a conversation for the caller.
func (a *API) muteConversation(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req muteRequest
	if err := decodeJSON(w, r, a.maxBody, &req); err != nil {
		return err
	}
	if req.Muted == nil {
		return invalid("muted", "Send true to mute the conversation or false to hear from it again.")
	}
	if err := conversations.SetMuted(r.Context(), a.db, c.actor(), id, *req.Muted); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
