package notify

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/db"
)

// Data is what a notification says. Title and Body are shown in-app and
// used by the email and SMS templates; Link is a path on this site
// ("/events/…"). None of it may hold health details the recipient may not
// see: email and SMS leave the site.
type Data struct{ Title, Body, Link string }

// Limits on Data.
const (
	maxTitle   = 200
	maxDataLen = 4000
	maxLink    = 2000
	maxSMS     = 320
)

// Validate checks d and returns a *FieldError for the first bad field.
func (d *Data) Validate() error {
	d.Title = strings.TrimSpace(d.Title)
	d.Body = strings.TrimSpace(d.Body)
	d.Link = strings.TrimSpace(d.Link)
	switch {
	case d.Title == "":
		return &FieldError{"title", "is required"}
	case !utf8.ValidString(d.Title) || !utf8.ValidString(d.Body):
		return &FieldError{"title", "is not valid UTF-8"}
	case strings.ContainsAny(d.Title, "\r\n"):
		return &FieldError{"title", "must be one line"}
	case utf8.RuneCountInString(d.Title) > maxTitle:
		return &FieldError{"title", fmt.Sprintf("is longer than %d characters", maxTitle)}
	case utf8.RuneCountInString(d.Body) > maxDataLen:
		return &FieldError{"body", fmt.Sprintf("is longer than %d characters", maxDataLen)}
	}
	if d.Link != "" {
		if len(d.Link) > maxLink || !strings.HasPrefix(d.Link, "/") || strings.HasPrefix(d.Link, "//") ||
			strings.HasPrefix(d.Link, "/\\") || strings.IndexFunc(d.Link, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			return &FieldError{"link", "must be a path on this site, such as /events/…"}
		}
	}
	return nil
}

//go:embed templates/*.tmpl
var templateFiles embed.FS

var (
	textTemplates = template.Must(template.ParseFS(templateFiles, "templates/email_subject.tmpl",
		"templates/email_text.tmpl", "templates/sms.tmpl"))
	htmlTemplates = htmltemplate.Must(htmltemplate.ParseFS(templateFiles, "templates/email_html.tmpl"))
)

// letter is what the message templates see: only the notification's own
// words and links.
type letter struct {
	Title, Body, Link     string
	Paragraphs            []string
	Unsubscribe, Settings string
}

func execText(name string, l *letter) (string, error) {
	var b bytes.Buffer
	if err := textTemplates.ExecuteTemplate(&b, name, l); err != nil {
		return "", fmt.Errorf("notify: template %s: %w", name, err)
	}
	return b.String(), nil
}

// recipient is what Send reads about the person it notifies.
type recipient struct {
	programID, email string
	disabled         bool
	prefs            *Prefs
	loc              *time.Location
}

func loadRecipient(ctx context.Context, q db.Querier, userID string) (*recipient, error) {
	r := &recipient{}
	var disabled sql.NullTime
	var programTZ string
	err := q.QueryRow(ctx, `SELECT u.program_id, u.email, u.disabled_at, p.timezone
		FROM users u JOIN programs p ON p.id = u.program_id WHERE u.id = ?`, userID).
		Scan(&r.programID, &r.email, &disabled, &programTZ)
	if err != nil {
		return nil, db.Err(err)
	}
	r.disabled = disabled.Valid
	if r.prefs, err = loadPrefs(ctx, q, userID); err != nil {
		return nil, err
	}
	tz := r.prefs.TimeZone
	if tz == "" {
		tz = programTZ
	}
	r.loc = loadZone(tz)
	return r, nil
}

// Send notifies userID about kind inside tx: it stores an in-app
// notification if the person allows in-app for kind, and queues one outbox
// message for each other channel they allow (email always for KindAccount;
// SMS only with a phone number). Quiet hours in the person's time zone
// delay email and SMS of kinds that are not urgent until the quiet hours
// end; support requests never wait. For an in-app notification it
// publishes a live "notification" event with the unread count, delivered
// when tx commits. It returns the notification's id, or "" when in-app is
// off. A disabled account gets nothing; an unknown one is db.ErrNotFound.
func Send(ctx context.Context, tx *db.Tx, userID string, kind Kind, data Data) (string, error) {
	if !kind.Valid() {
		return "", &FieldError{"kind", "is not a known kind of notification"}
	}
	if err := data.Validate(); err != nil {
		return "", err
	}
	r, err := loadRecipient(ctx, tx, userID)
	if err != nil {
		return "", fmt.Errorf("notify: send: recipient: %w", err)
	}
	if r.disabled {
		return "", nil
	}
	now := Now().UTC().Truncate(time.Microsecond)
	notBefore := time.Time{}
	if !kind.Urgent() {
		notBefore = r.prefs.quietUntil(now, r.loc)
	}
	id := ""
	if r.prefs.Allows(kind, ChannelInApp) {
		id = uuid.Must(uuid.NewV7()).String()
		_, err := tx.Exec(ctx, `INSERT INTO notifications (id, program_id, user_id, kind, title, body, link, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, r.programID, userID, string(kind), data.Title, data.Body, data.Link, now)
		if err != nil {
			return "", fmt.Errorf("notify: send: store: %w", err)
		}
	}
	l := &letter{Title: data.Title, Body: data.Body, Link: absolute(data.Link), Paragraphs: paragraphs(data.Body)}
	if r.prefs.Allows(kind, ChannelEmail) {
		m := Message{ProgramID: r.programID, To: r.email, NotBefore: notBefore}
		if kind != KindAccount {
			l.Unsubscribe = absolute("/unsubscribe/" + UnsubscribeToken(userID, kind))
			l.Settings = absolute("/account/notifications")
			m.Headers = map[string]string{
				"List-Unsubscribe":      "<" + l.Unsubscribe + ">",
				"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			}
		}
		if m.Subject, err = execText("email_subject.tmpl", l); err != nil {
			return "", err
		}
		m.Subject = strings.TrimSpace(m.Subject)
		if m.Text, err = execText("email_text.tmpl", l); err != nil {
			return "", err
		}
		var h bytes.Buffer
		if err := htmlTemplates.ExecuteTemplate(&h, "email_html.tmpl", l); err != nil {
			return "", fmt.Errorf("notify: template email_html.tmpl: %w", err)
		}
		m.HTML = h.String()
		if _, err := Enqueue(ctx, tx, m); err != nil {
			return "", err
		}
	}
	if r.prefs.Allows(kind, ChannelSMS) {
		s := *l
		s.Body = shorten(s.Body, maxSMS-utf8.RuneCountInString(s.Title)-len(s.Link)-4)
		text, err := execText("sms.tmpl", &s)
		if err != nil {
			return "", err
		}
		if _, err := enqueueSMS(ctx, tx, r.programID, r.prefs.SMSPhone, data.Title, strings.TrimSpace(text), notBefore); err != nil {
			return "", err
		}
	}
	if id != "" {
		if err := publishUnread(ctx, tx, userID, "notification"); err != nil {
			return "", err
		}
	}
	return id, nil
}

// shorten cuts s to at most n runes, ending with an ellipsis when cut.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if n <= 1 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// paragraphs splits a body into paragraphs at blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
