package web

import (
	"net/http"
	"time"

	"github.com/cairn-recovery/cairn/internal/peers/conversations"
)

// reportConversationPage is the conversation around a reported message.
type reportConversationPage struct {
	*conversations.ReportContext
	Messages []reportedMessage
}

// reportedMessage is one message of that page.
type reportedMessage struct {
	conversations.Message
	// Reported marks the message the report is about.
	Reported bool
	// When is the time sent, in full; ISO the same instant for <time>.
	When, ISO string
}

// moderationConversation shows staff the messages before and after a
// reported message, reached from the report only. The read is audited
// with the report (see conversations.ReportedConversation); anyone who may
// not read it gets the not-found page.
func (s *Server) moderationConversation(w http.ResponseWriter, r *http.Request) error {
	c, err := conversations.ReportedConversation(r.Context(), s.db, actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	v := s.moderationView(r, "Conversation around the reported message", nil)
	p := &reportConversationPage{ReportContext: c, Messages: make([]reportedMessage, len(c.Messages))}
	for i, m := range c.Messages {
		p.Messages[i] = reportedMessage{Message: m, Reported: m.ID == c.MessageID,
			When: m.SentAt.In(v.Loc).Format("Mon 2 Jan 2006, 15:04"), ISO: m.SentAt.UTC().Format(time.RFC3339)}
	}
	v.Data = p
	return s.render(w, r, "moderation_conversation", v)
}
