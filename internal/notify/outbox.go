// Package notify sends what Cairn has to tell people outside the app. Email
// goes through an outbox: every message is recorded in the same transaction
// as the change that caused it, and a [Sender] delivers it over SMTP when one
// is configured. Without SMTP the mail stays queued and admins read it in
// the outbox.
package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"regexp"
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
type Message struct {
	ProgramID, To, Subject, Text, HTML string
	// Headers are extra header fields, such as List-Unsubscribe. Names
	// the sender sets itself (From, To, Subject, Date, Message-ID,
	// Content-*, MIME-Version) are refused.
	Headers map[string]string
	// NotBefore delays the first attempt (quiet hours); zero sends now.
	NotBefore time.Time
}

var headerName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,63}$`)

// reservedHeader reports whether the sender sets the header itself.
func reservedHeader(name string) bool {
	switch n := strings.ToLower(name); {
	case strings.HasPrefix(n, "content-"):
		return true
	default:
		switch n {
		case "from", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version", "sender", "reply-to", "return-path", "auto-submitted":
			return true
		}
	}
	return false
}

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
	for k, v := range m.Headers {
		if !headerName.MatchString(k) || reservedHeader(k) {
			return &FieldError{"headers", "has a header name that may not be set"}
		}
		if strings.ContainsAny(v, "\r\n") || !utf8.ValidString(v) || len(v) > 998 {
			return &FieldError{"headers", "has a value that is not one line"}
		}
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
	headers := ""
	if len(m.Headers) > 0 {
		b, err := json.Marshal(m.Headers)
		if err != nil {
			return "", &FieldError{"headers", "cannot be stored"}
		}
		headers = string(b)
	}
	return insertOutbox(ctx, tx, ChannelEmail, m.ProgramID, m.To, m.Subject, m.Text, m.HTML, headers, m.NotBefore)
}

// insertOutbox records one message of either channel, due at notBefore
// (or now).
func insertOutbox(ctx context.Context, tx *db.Tx, ch Channel, programID, to, subject, text, html, headers string, notBefore time.Time) (string, error) {
	id := uuid.Must(uuid.NewV7()).String()
	now := Now().UTC().Truncate(time.Microsecond)
	next := now
	if notBefore.After(now) {
		next = notBefore.UTC().Truncate(time.Microsecond)
	}
	_, err := tx.Exec(ctx, `INSERT INTO mail_outbox (id, program_id, to_address, subject, body_text,
		body_html, status, error, attempts, created_at, next_attempt_at, channel, headers)
		VALUES (?, ?, ?, ?, ?, ?, ?, '', 0, ?, ?, ?, ?)`,
		id, programID, to, subject, text, html, StatusQueued, now, next, string(ch), headers)
	if err != nil {
		return "", fmt.Errorf("notify: enqueue: %w", err)
	}
	return id, nil
}

// enqueueSMS records a text message to phone (E.164) in the outbox.
func enqueueSMS(ctx context.Context, tx *db.Tx, programID, phone, subject, text string, notBefore time.Time) (string, error) {
	if !e164.MatchString(phone) {
		return "", &FieldError{"sms_phone", "is not a phone number"}
	}
	subject = shorten(subject, maxSubject)
	if subject == "" || strings.TrimSpace(text) == "" {
		return "", &FieldError{"text", "is required"}
	}
	return insertOutbox(ctx, tx, ChannelSMS, programID, phone, subject, text, "", "", notBefore)
}
