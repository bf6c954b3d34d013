// Package notify sends what Cairn has to tell people outside the app. Email
// goes through an outbox: every message is recorded in the same transaction
// as the change that caused it, and a [Sender] delivers it over SMTP when one
// is configured. Without SMTP the mail stays queued and admins read it in
// the outbox.
package notify

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/db"
)

// The statuses of an outbox entry.
const (
	// StatusQueued is a message waiting to be sent (or being sent).
	StatusQueued = "queued"
	// StatusSent is a message the SMTP server accepted.
	StatusSent = "sent"
	// StatusFailed is a message whose last attempt failed; it is retried
	// later unless it has used up its attempts.
	StatusFailed = "failed"
)

// Limits on what a message may hold.
const (
	maxSubject = 300
	maxBody    = 256 << 10
)

// Message is one email.
type Message struct{ ProgramID, To, Subject, Text, HTML string }

// FieldError names the field of a message that is wrong and says why.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return "notify: " + e.Field + ": " + e.Message }

// Validate checks the message and returns a *FieldError for the first bad
// field. The recipient must be a single bare address.
func (m *Message) Validate() error {
	m.To = strings.TrimSpace(m.To)
	m.Subject = strings.TrimSpace(m.Subject)
	switch {
	case m.To == "":
		return &FieldError{"to", "is required"}
	case len(m.To) > 254:
		return &FieldError{"to", "is too long"}
	}
	a, err := mail.ParseAddress(m.To)
	if err != nil || a.Address != m.To || a.Name != "" {
		return &FieldError{"to", "is not a single email address"}
	}
	switch {
	case m.Subject == "":
		return &FieldError{"subject", "is required"}
	case strings.ContainsAny(m.Subject, "\r\n"):
		return &FieldError{"subject", "must be one line"}
	case utf8.RuneCountInString(m.Subject) > maxSubject:
		return &FieldError{"subject", fmt.Sprintf("is longer than %d characters", maxSubject)}
	case !utf8.ValidString(m.Subject):
		return &FieldError{"subject", "is not valid UTF-8"}
	case strings.TrimSpace(m.Text) == "" && strings.TrimSpace(m.HTML) == "":
		return &FieldError{"text", "is required"}
	case len(m.Text) > maxBody:
		return &FieldError{"text", "is too long"}
	case len(m.HTML) > maxBody:
		return &FieldError{"html", "is too long"}
	case !utf8.ValidString(m.Text):
		return &FieldError{"text", "is not valid UTF-8"}
	case !utf8.ValidString(m.HTML):
		return &FieldError{"html", "is not valid UTF-8"}
	}
	return nil
}

// Now is the outbox's clock; tests replace it.
var Now = time.Now

// Enqueue records the message in the outbox inside tx (status queued) and
// returns its id. The message is sent only if tx commits.
func Enqueue(ctx context.Context, tx *db.Tx, m Message) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	id := uuid.Must(uuid.NewV7()).String()
	now := Now().UTC().Truncate(time.Microsecond)
	_, err := tx.Exec(ctx, `INSERT INTO mail_outbox (id, program_id, to_address, subject, body_text,
		body_html, status, error, attempts, created_at, next_attempt_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, '', 0, ?, ?)`,
		id, m.ProgramID, m.To, m.Subject, m.Text, m.HTML, StatusQueued, now, now)
	if err != nil {
		return "", fmt.Errorf("notify: enqueue: %w", err)
	}
	return id, nil
}
