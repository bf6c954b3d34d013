package web

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
)

// conversationRoutes are direct and group messages: the list, a new
// conversation, the thread with its send form, and the fragments the
// thread's script fetches for live updates.
func (s *Server) conversationRoutes() []route {
	return []route{
		{"GET /conversations", signedIn, s.conversationList},
		{"GET /conversations/new", signedIn, s.conversationNew},
		{"POST /conversations", signedIn, s.conversationStart},
		{"GET /conversations/unread", signedIn, s.conversationUnread},
		{"GET /conversations/{id}", signedIn, s.conversationThread},
		{"GET /conversations/{id}/messages", signedIn, s.conversationMessages},
		{"POST /conversations/{id}/messages", signedIn, s.conversationSend},
		{"POST /conversations/{id}/read", signedIn, s.conversationRead},
		{"POST /conversations/{id}/mute", signedIn, s.conversationMute},
	}
}

// threadPage is how many messages a thread page shows.
const threadPage = conversations.DefaultPage

// conversationListPage is the list page's data.
type conversationListPage struct {
	Items []conversationItem
	// Unread is how many conversations have unread messages.
	Unread int
}

// conversationItem is one row of the list.
type conversationItem struct {
	conversations.Conversation
	// When is the time of the last message, short.
	When string
	// Others names the other members of a group.
	Others string
}

// conversationList lists the person's conversations, newest first.
func (s *Server) conversationList(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	list, err := conversations.List(r.Context(), s.db, a)
	if err != nil {
		return err
	}
	p := conversationListPage{Items: make([]conversationItem, len(list))}
	v := s.newView(r, "Messages", nil)
	now := time.Now()
	for i, c := range list {
		p.Items[i] = conversationItem{Conversation: c, When: shortTime(c.LastMessageAt, v.Loc, now), Others: otherNames(c, a.UserID)}
		if c.Unread > 0 {
			p.Unread++
		}
	}
	v.Data = p
	v.Nav = "messages"
	return s.render(w, r, "conversations", v)
}

// conversationUnread answers {"unread": n}, the number of the person's
// conversations with unread messages, for the count in the menu (the page
// script asks once its live-update stream opens, so that a count missed
// while it was closed is caught up).
func (s *Server) conversationUnread(w http.ResponseWriter, r *http.Request) error {
	n, err := conversations.UnreadTotal(r.Context(), s.db, actor(r))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write([]byte(`{"unread":` + strconv.Itoa(n) + `}`))
	return err
}

// threadData is the thread page's data.
type threadData struct {
	Conv conversations.Conversation
	// Messages are oldest first.
	Messages []threadMessage
	// Earlier is the id to ask for earlier messages before ("" when there
	// are none).
	Earlier string
	// Older reports that this page shows earlier messages, not the newest.
	Older bool
	// Last is the newest message's id on the page, for the live updates.
	Last string
	// Others names the other members.
	Others string
	// Send is the send form.
	Send sendForm
}

// threadMessage is one message as the thread shows it.
type threadMessage struct {
	conversations.Message
	// BodyHTML is the body escaped, with links and line breaks.
	BodyHTML template.HTML
	// When is the time sent, short; ISO is the same instant for <time>.
	When, ISO string
}

// threadMessages prepares messages for the template.
func threadMessages(list []conversations.Message, loc *time.Location) []threadMessage {
	out := make([]threadMessage, len(list))
	now := time.Now()
	for i, m := range list {
		out[i] = threadMessage{Message: m, When: shortTime(m.SentAt, loc, now), ISO: m.SentAt.UTC().Format(time.RFC3339)}
		if !m.Hidden {
			out[i].BodyHTML = messageHTML(m.Body)
		}
	}
	return out
}

// loadThread reads the conversation named by the path and a page of its
// messages: before the message named by ?before=, or the newest.
func (s *Server) loadThread(r *http.Request, v *view) (*threadData, error) {
	a, id := actor(r), r.PathValue("id")
	if !validPathID(id) {
		return nil, errNotFound
	}
	c, err := conversations.Get(r.Context(), s.db, a, id)
	if err != nil {
		return nil, err
	}
	before := r.URL.Query().Get("before")
	if before != "" && !validPathID(before) {
		return nil, errNotFound
	}
	list, err := conversations.Messages(r.Context(), s.db, a, id, conversations.Page{Before: before, Limit: threadPage + 1})
	var ve conversations.ValidationError
	if errors.As(err, &ve) {
		// A cursor that is not a message here: an old or altered link.
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	d := &threadData{Conv: *c, Older: before != "", Others: otherNames(*c, a.UserID), Send: sendForm{ID: c.ID}}
	if len(list) > threadPage {
		list = list[1:]
		d.Earlier = list[0].ID
	}
	d.Messages = threadMessages(list, v.Loc)
	if n := len(list); n > 0 {
		d.Last = list[n-1].ID
	}
	return d, nil
}

// conversationThread shows a conversation, newest messages at the bottom,
// and marks it read.
func (s *Server) conversationThread(w http.ResponseWriter, r *http.Request) error {
	v := s.newView(r, "Messages", nil)
	d, err := s.loadThread(r, v)
	if err != nil {
		return err
	}
	if !d.Older {
		if err := conversations.MarkRead(r.Context(), s.db, actor(r), d.Conv.ID); err != nil {
			return err
		}
	}
	v.Title, v.Data, v.Nav = d.Conv.Title, d, "messages"
	return s.render(w, r, "conversations_thread", v)
}

// conversationMessages answers the list items of the messages after the
// one named by ?after=, for the thread's live updates.
func (s *Server) conversationMessages(w http.ResponseWriter, r *http.Request) error {
	a, id, after := actor(r), r.PathValue("id"), r.URL.Query().Get("after")
	if !validPathID(id) || (after != "" && !validPathID(after)) {
		return errNotFound
	}
	page := conversations.Page{After: after, Limit: conversations.MaxPage}
	if after == "" {
		page.Limit = threadPage
	}
	list, err := conversations.Messages(r.Context(), s.db, a, id, page)
	var ve conversations.ValidationError
	if errors.As(err, &ve) {
		return errStatus(http.StatusUnprocessableEntity, "That is not a message of this conversation. Please reload the page.")
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	t := s.tmpl.pages["conversations_thread"]
	loc := time.UTC
	if p := s.programFor(r); p != nil {
		loc = p.Location()
	}
	for _, m := range threadMessages(list, loc) {
		if err := t.ExecuteTemplate(&buf, "conversations-message", m); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
	return nil
}

// conversationSend sends a message. Without JavaScript it redirects back
// to the bottom of the thread; an htmx request gets a fresh, empty send
// form (the page's script then fetches the new message).
func (s *Server) conversationSend(w http.ResponseWriter, r *http.Request) error {
	a, id := actor(r), r.PathValue("id")
	if !validPathID(id) {
		return errNotFound
	}
	if err := parseForm(r); err != nil {
		return err
	}
	_, crisis, err := conversations.Send(r.Context(), s.db, a, id, r.PostFormValue("body"))
	var ve conversations.ValidationError
	switch {
	case errors.As(err, &ve):
		return s.threadFormError(w, r, fieldErrors(ve))
	case errors.Is(err, conversations.ErrClosed):
		return s.threadFormError(w, r, map[string]string{"body": err.Error()})
	case err != nil:
		return err
	}
	target := "/conversations/" + id + "#bottom"
	if isHTMX(r) && !crisis {
		return s.renderSendForm(w, http.StatusOK, id, nil, nil)
	}
	s.afterWrite(w, r, target, crisis)
	return nil
}

// threadFormError answers a send that could not be sent: the thread page
// again, or for htmx the send form alone, with the messages by their
// fields and what was typed.
func (s *Server) threadFormError(w http.ResponseWriter, r *http.Request, errs map[string]string) error {
	if isHTMX(r) {
		return s.renderSendForm(w, http.StatusUnprocessableEntity, r.PathValue("id"), errs, r.PostForm)
	}
	v := s.newView(r, "Messages", nil)
	d, err := s.loadThread(r, v)
	if err != nil {
		return err
	}
	d.Send.Errors, d.Send.Form = errs, r.PostForm
	v.Title, v.Data, v.Nav, v.Errors, v.Form = d.Conv.Title, d, "messages", errs, r.PostForm
	return s.renderView(w, r, http.StatusUnprocessableEntity, "conversations_thread", v)
}

// sendForm is the data of the send-form fragment.
type sendForm struct {
	ID     string
	Errors map[string]string
	Form   url.Values
}

// renderSendForm writes the send form alone, for htmx.
func (s *Server) renderSendForm(w http.ResponseWriter, status int, id string, errs map[string]string, form url.Values) error {
	var buf bytes.Buffer
	if err := s.tmpl.pages["conversations_thread"].ExecuteTemplate(&buf, "conversations-send", sendForm{ID: id, Errors: errs, Form: form}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// conversationRead marks a conversation read; the thread's script calls it
// when messages arrive while the page is in view.
func (s *Server) conversationRead(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if !validPathID(id) {
		return errNotFound
	}
	if err := conversations.MarkRead(r.Context(), s.db, actor(r), id); err != nil {
		return err
	}
	if isHTMX(r) || r.Header.Get("X-Requested-With") != "" {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	http.Redirect(w, r, "/conversations/"+id+"#bottom", http.StatusSeeOther)
	return nil
}

// conversationMute mutes (muted=on) or unmutes a conversation.
func (s *Server) conversationMute(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if !validPathID(id) {
		return errNotFound
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if err := conversations.SetMuted(r.Context(), s.db, actor(r), id, r.PostFormValue("muted") == "on"); err != nil {
		return err
	}
	http.Redirect(w, r, "/conversations/"+id+"?done=saved", http.StatusSeeOther)
	return nil
}

// fieldErrors turns ve into messages by field (the first for a field wins).
func fieldErrors(ve conversations.ValidationError) map[string]string {
	out := map[string]string{}
	for _, f := range ve {
		if _, dup := out[f.Field]; !dup {
			out[f.Field] = f.Message
		}
	}
	return out
}

// otherNames lists the members of c other than userID, by name.
func otherNames(c conversations.Conversation, userID string) string {
	var out []byte
	for _, m := range c.Members {
		if m.UserID == userID {
			continue
		}
		if len(out) > 0 {
			out = append(out, ", "...)
		}
		out = append(out, m.Name...)
	}
	return string(out)
}

// shortTime writes t for a list or a thread: the time alone today, the day
// and time this year, the full date before.
func shortTime(t time.Time, loc *time.Location, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	t, now = t.In(loc), now.In(loc)
	switch {
	case t.Year() == now.Year() && t.YearDay() == now.YearDay():
		return t.Format("3:04 PM")
	case t.Year() == now.Year():
		return t.Format("Jan 2, 3:04 PM")
	}
	return t.Format("Jan 2, 2006, 3:04 PM")
}

// messagesUnread is how many of the signed-in person's conversations have
// unread messages, for the home page; 0 when it cannot be read (logged).
func (s *Server) messagesUnread(r *http.Request) int {
	a := actor(r)
	if access.UseConversations(a) != nil {
		return 0
	}
	n, err := conversations.UnreadTotal(r.Context(), s.db, a)
	if err != nil {
		s.log.Error("conversations unread", "request_id", a.RequestID, "err", err)
		return 0
	}
	return n
}
