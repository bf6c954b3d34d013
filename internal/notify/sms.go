package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
)

// SMSTransport delivers one text message. id is the outbox id, the same on
// every attempt, for the receiving side to drop duplicates. The shipped
// transport is [Webhook]; another gateway plugs in here.
type SMSTransport interface {
	SendSMS(ctx context.Context, id, to, body string) error
}

// SMSSender delivers queued text messages from the outbox through an
// [SMSTransport], with the same claims, retries and backoff as email.
type SMSSender struct {
	worker
	t SMSTransport
}

// NewSMSSender returns a sender of the outbox's text messages through t.
// A nil t returns a nil SMSSender: texts then stay in the outbox.
func NewSMSSender(d *db.DB, t SMSTransport, logger *slog.Logger) *SMSSender {
	if t == nil {
		return nil
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &SMSSender{worker: worker{d: d, channel: ChannelSMS, logger: logger, interval: pollInterval}, t: t}
}

// Run delivers due text messages every few seconds until ctx ends.
func (s *SMSSender) Run(ctx context.Context) { s.run(ctx, s.DeliverOnce) }

// DeliverOnce claims and sends the text messages that are due now and
// returns how many the transport accepted.
func (s *SMSSender) DeliverOnce(ctx context.Context) (int, error) {
	return s.deliverOnce(ctx, func(ctx context.Context, m *due) error {
		ctx, cancel := context.WithTimeout(ctx, sendTimeout)
		defer cancel()
		return s.t.SendSMS(ctx, m.id, m.to, m.text)
	})
}

// Webhook is the shipped SMS transport: it POSTs {"to", "body", "id"} as
// JSON to a URL (CAIRN_SMS_WEBHOOK_URL), with the outbox id also in the
// Idempotency-Key header. Any 2xx answer is success.
type Webhook struct {
	url    string
	client *http.Client
}

// NewWebhook returns a webhook transport posting to rawURL, which must be
// an http:// or https:// address. An empty rawURL returns nil and no
// error: SMS is off. client may be nil for a client with a 30-second
// timeout.
func NewWebhook(rawURL string, client *http.Client) (*Webhook, error) {
	if rawURL == "" {
		return nil, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("CAIRN_SMS_WEBHOOK_URL must be an http:// or https:// address")
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	return &Webhook{url: rawURL, client: client}, nil
}

// SendSMS posts one message. Errors never name the URL or the number.
func (w *Webhook) SendSMS(ctx context.Context, id, to, body string) error {
	b, err := json.Marshal(struct {
		To   string `json:"to"`
		Body string `json:"body"`
		ID   string `json:"id"`
	}{to, body, id})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(b))
	if err != nil {
		return errors.New("sms webhook: bad request")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", id)
	resp, err := w.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("sms webhook: %v", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("sms webhook answered %s", resp.Status)
	}
	return nil
}

// NewWebhookSender returns a sender of the outbox's text messages through
// the webhook at rawURL (CAIRN_SMS_WEBHOOK_URL), or nil when rawURL is
// empty: texts then stay in the outbox.
func NewWebhookSender(d *db.DB, rawURL string, logger *slog.Logger) (*SMSSender, error) {
	w, err := NewWebhook(rawURL, nil)
	if err != nil || w == nil {
		return nil, err
	}
	return NewSMSSender(d, w, logger), nil
}
