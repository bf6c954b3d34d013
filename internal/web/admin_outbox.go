package web

import (
	"net/http"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// outboxPageSize is how many messages the outbox page lists.
const outboxPageSize = 100

// adminOutboxData is the outbox list.
type adminOutboxData struct {
	Messages []*notify.OutboxEntry
	Statuses []string
}

// adminOutbox lists the program's email, newest first, optionally of one
// status. Bodies are not listed; each message's page shows its text.
func (s *Server) adminOutbox(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.ViewOutbox(a, a.ProgramID); err != nil {
		return err
	}
	data := &adminOutboxData{Statuses: []string{notify.StatusQueued, notify.StatusSent, notify.StatusFailed}}
	v := s.adminView(r, "Outbox", data)
	v.Form = r.URL.Query()
	status := strings.TrimSpace(r.URL.Query().Get("status"))
	switch status {
	case "", notify.StatusQueued, notify.StatusSent, notify.StatusFailed:
	default:
		return s.formError(w, r, "admin_outbox", v, "status", "Choose queued, sent or failed.")
	}
	list, err := notify.ListOutbox(r.Context(), s.db, a, status, outboxPageSize)
	if err != nil {
		return err
	}
	data.Messages = list
	return s.render(w, r, "admin_outbox", v)
}

// adminOutboxMessage shows one message with its text body, so that without
// a mail server an admin can pass an invitation link on by hand. Reading it
// is audited by notify.GetOutbox.
func (s *Server) adminOutboxMessage(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.ViewOutbox(a, a.ProgramID); err != nil {
		return err
	}
	m, err := notify.GetOutbox(r.Context(), s.db, a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, "admin_outbox_message", s.adminView(r, "Email: "+m.Subject, m))
}
