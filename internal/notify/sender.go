package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/cairn-recovery/cairn/internal/db"
)

// Delivery tuning. A claim holds a message for lease; if the sender dies
// mid-send the claim expires and the message is tried again with the same
// Message-ID, so a duplicate can be recognised by the receiving side.
const (
	// MaxAttempts is how many times a message is tried before it stays failed.
	MaxAttempts  = 8
	lease        = 10 * time.Minute
	firstBackoff = time.Minute
	maxBackoff   = 6 * time.Hour
	batchSize    = 20
	sendTimeout  = time.Minute
	pollInterval = 5 * time.Second
)

// worker is the delivery loop both senders share: it claims due outbox
// rows of one channel, hands each to send, and records the outcome with
// backoff.
type worker struct {
	d        *db.DB
	channel  Channel
	logger   *slog.Logger
	interval time.Duration
}

// Sender delivers queued outbox mail through an SMTP server.
type Sender struct {
	worker
	client *gomail.Client
	from   string
	domain string
}

// NewSender returns a sender for the server named by smtpURL
// (smtp://user:pass@host:587 uses STARTTLS when the server offers it,
// smtps://user:pass@host:465 uses TLS from the start; credentials are
// optional). An empty smtpURL returns a nil Sender and no error: mail then
// stays in the outbox. from is the sender address (CAIRN_MAIL_FROM).
func NewSender(d *db.DB, smtpURL, from string, logger *slog.Logger) (*Sender, error) {
	if smtpURL == "" {
		return nil, nil
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	u, err := url.Parse(smtpURL)
	if err != nil || u.Hostname() == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, errors.New("CAIRN_SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465")
	}
	fa, err := mail.ParseAddress(from)
	if err != nil {
		return nil, errors.New("CAIRN_MAIL_FROM is not an email address")
	}
	opts := []gomail.Option{gomail.WithTimeout(sendTimeout)}
	if u.Scheme == "smtps" {
		opts = append(opts, gomail.WithSSL(), gomail.WithPort(465))
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic), gomail.WithPort(587))
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, errors.New("CAIRN_SMTP_URL has a bad port")
		}
		opts = append(opts, gomail.WithPort(n))
	}
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	c, err := gomail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, errors.New("CAIRN_SMTP_URL: " + err.Error())
	}
	domain := "cairn.invalid"
	if i := strings.LastIndexByte(fa.Address, '@'); i >= 0 && i < len(fa.Address)-1 {
		domain = fa.Address[i+1:]
	}
	return &Sender{worker: worker{d: d, channel: ChannelEmail, logger: logger, interval: pollInterval},
		client: c, from: fa.String(), domain: domain}, nil
}

// Run delivers due mail every few seconds until ctx ends.
func (s *Sender) Run(ctx context.Context) { s.run(ctx, s.DeliverOnce) }

func (w *worker) run(ctx context.Context, deliver func(context.Context) (int, error)) {
	t := time.NewTicker(w.interval)
	defer t.Stop()
	for {
		if _, err := deliver(ctx); err != nil && ctx.Err() == nil {
			w.logger.Error("outbox delivery", "channel", string(w.channel), "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// due is a message claimed for one attempt.
type due struct {
	id, to, subject, text, html, headers string
	attempts                             int // after the claim
}

// DeliverOnce claims and sends the mail that is due now, one message at a
// time, and returns how many the server accepted. A message that fails is
// marked failed with the server's error (without the recipient's address)
// and tried again later, up to [MaxAttempts] times.
func (s *Sender) DeliverOnce(ctx context.Context) (sent int, err error) {
	return s.deliverOnce(ctx, s.send)
}

func (w *worker) deliverOnce(ctx context.Context, send func(context.Context, *due) error) (sent int, err error) {
	now := Now().UTC()
	rows, err := w.d.Query(ctx, `SELECT id, to_address, subject, body_text, body_html, headers, attempts
		FROM mail_outbox
		WHERE channel = ? AND ((status IN ('queued', 'failed') AND next_attempt_at <= ?)
		   OR (status = 'queued' AND next_attempt_at IS NULL))
		ORDER BY created_at LIMIT ?`, string(w.channel), now, batchSize)
	if err != nil {
		return 0, fmt.Errorf("notify: find due mail: %w", err)
	}
	var list []due
	for rows.Next() {
		var m due
		if err := rows.Scan(&m.id, &m.to, &m.subject, &m.text, &m.html, &m.headers, &m.attempts); err != nil {
			rows.Close()
			return 0, fmt.Errorf("notify: find due mail: %w", err)
		}
		list = append(list, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("notify: find due mail: %w", err)
	}
	var errs []error
	for _, m := range list {
		if ctx.Err() != nil {
			break
		}
		ok, err := w.claim(ctx, &m)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !ok {
			continue // another sender took it
		}
		if err := send(ctx, &m); err != nil {
			errs = append(errs, w.markFailed(ctx, &m, err))
			continue
		}
		if err := w.markSent(ctx, &m); err != nil {
			errs = append(errs, err)
			continue
		}
		sent++
	}
	return sent, errors.Join(errs...)
}

// claim records the attempt before anything is sent: attempts goes up and
// the message is held for the lease. The update only succeeds if nobody
// else claimed the message since it was read.
func (w *worker) claim(ctx context.Context, m *due) (bool, error) {
	now := Now().UTC()
	res, err := w.d.Exec(ctx, `UPDATE mail_outbox SET attempts = attempts + 1, status = 'queued',
		last_attempt_at = ?, next_attempt_at = ?
		WHERE id = ? AND attempts = ? AND status IN ('queued', 'failed')`,
		now, now.Add(lease), m.id, m.attempts)
	if err != nil {
		return false, fmt.Errorf("notify: claim %s: %w", m.id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("notify: claim %s: %w", m.id, err)
	}
	m.attempts++
	return n == 1, nil
}

func (s *Sender) send(ctx context.Context, m *due) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return errors.New("bad sender address")
	}
	if err := msg.To(m.to); err != nil {
		return errors.New("bad recipient address")
	}
	msg.Subject(m.subject)
	msg.SetMessageIDWithValue(m.id + "@" + s.domain)
	msg.SetDate()
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	if m.headers != "" {
		var hs map[string]string
		if err := json.Unmarshal([]byte(m.headers), &hs); err != nil {
			return errors.New("stored headers are not readable")
		}
		for k, v := range hs {
			if headerName.MatchString(k) && !reservedHeader(k) {
				msg.SetGenHeader(gomail.Header(k), v)
			}
		}
	}
	switch {
	case m.text != "" && m.html != "":
		msg.SetBodyString(gomail.TypeTextPlain, m.text)
		msg.AddAlternativeString(gomail.TypeTextHTML, m.html)
	case m.html != "":
		msg.SetBodyString(gomail.TypeTextHTML, m.html)
	default:
		msg.SetBodyString(gomail.TypeTextPlain, m.text)
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	return s.client.DialAndSendWithContext(ctx, msg)
}

func (w *worker) markSent(ctx context.Context, m *due) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, err := w.d.Exec(ctx, `UPDATE mail_outbox SET status = 'sent', sent_at = ?, error = '',
		next_attempt_at = NULL WHERE id = ? AND attempts = ?`, Now().UTC(), m.id, m.attempts)
	if err != nil {
		return fmt.Errorf("notify: mark %s sent: %w", m.id, err)
	}
	w.logger.Info("outbox message sent", "channel", string(w.channel), "outbox_id", m.id, "attempt", m.attempts)
	return nil
}

// markFailed records the failure and when to try again, and returns an
// error for the caller that does not name the recipient.
func (w *worker) markFailed(ctx context.Context, m *due, sendErr error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	text := cleanError(sendErr.Error(), m.to)
	var next any
	if m.attempts < MaxAttempts {
		next = Now().UTC().Add(Backoff(m.attempts))
	}
	_, err := w.d.Exec(ctx, `UPDATE mail_outbox SET status = 'failed', error = ?, next_attempt_at = ?
		WHERE id = ? AND attempts = ?`, text, next, m.id, m.attempts)
	if err != nil {
		return fmt.Errorf("notify: mark %s failed: %w", m.id, err)
	}
	w.logger.Warn("outbox message not sent", "channel", string(w.channel), "outbox_id", m.id, "attempt", m.attempts, "final", next == nil, "err", text)
	return fmt.Errorf("notify: send %s (attempt %d): %s", m.id, m.attempts, text)
}

// Backoff is how long to wait after the given failed attempt (1-based)
// before the next: one minute, doubling, at most six hours.
func Backoff(attempt int) time.Duration {
	d := firstBackoff
	for i := 1; i < attempt && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

var emailLike = regexp.MustCompile(`[^\s<>"'(),;:\[\]]+@[^\s<>"'(),;:\[\]]+`)

// cleanError makes a server's error safe to store and show: no recipient
// or other address, one line, bounded length.
func cleanError(s, to string) string {
	if to != "" {
		s = replaceFold(s, to, "[recipient]")
	}
	s = emailLike.ReplaceAllString(s, "[address]")
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 500 {
		s = strings.ToValidUTF8(s[:500], "") + "…"
	}
	if s == "" {
		s = "unknown error"
	}
	return s
}

// replaceFold replaces every case-insensitive occurrence of old in s.
func replaceFold(s, old, repl string) string {
	lo, lold := strings.ToLower(s), strings.ToLower(old)
	if len(lo) != len(s) || lold == "" {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(lo, lold)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, lo = s[i+len(lold):], lo[i+len(lold):]
	}
}
