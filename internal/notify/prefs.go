package notify

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Prefs are one person's notification preferences.
type Prefs struct {
	// Enabled holds the person's choices; a kind and channel missing from
	// it has its [Default].
	Enabled map[Kind]map[Channel]bool
	// QuietStart and QuietEnd are "HH:MM" in the person's time zone, or
	// both empty for no quiet hours. Quiet hours may run past midnight.
	QuietStart, QuietEnd string
	// TimeZone is an IANA zone name, or "" for the program's.
	TimeZone string
	// SMSPhone is the number for text messages in E.164 form (+15551234567),
	// or "".
	SMSPhone string
}

// Allows reports whether kind k may reach the person on channel c.
// KindAccount always goes by email and in-app, never by SMS; SMS needs a
// phone number.
func (p *Prefs) Allows(k Kind, c Channel) bool {
	if k == KindAccount {
		return c == ChannelEmail || c == ChannelInApp
	}
	if c == ChannelSMS && p.SMSPhone == "" {
		return false
	}
	return p.On(k, c)
}

// On reports the person's choice for k and c, or the default.
func (p *Prefs) On(k Kind, c Channel) bool {
	if v, ok := p.Enabled[k][c]; ok {
		return v
	}
	return Default(k, c)
}

// Set records a choice for k and c.
func (p *Prefs) Set(k Kind, c Channel, on bool) {
	if p.Enabled == nil {
		p.Enabled = map[Kind]map[Channel]bool{}
	}
	if p.Enabled[k] == nil {
		p.Enabled[k] = map[Channel]bool{}
	}
	p.Enabled[k][c] = on
}

func loadPrefs(ctx context.Context, q db.Querier, userID string) (*Prefs, error) {
	p := &Prefs{Enabled: map[Kind]map[Channel]bool{}}
	rows, err := q.Query(ctx, `SELECT kind, channel, enabled FROM notification_prefs WHERE user_id = ?`, userID)
	if err != nil {
		return nil, fmt.Errorf("notify: preferences: %w", err)
	}
	for rows.Next() {
		var k, c string
		var on bool
		if err := rows.Scan(&k, &c, &on); err != nil {
			rows.Close()
			return nil, fmt.Errorf("notify: preferences: %w", err)
		}
		p.Set(Kind(k), Channel(c), on)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("notify: preferences: %w", err)
	}
	err = q.QueryRow(ctx, `SELECT quiet_start, quiet_end, time_zone, sms_phone FROM notification_settings
		WHERE user_id = ?`, userID).Scan(&p.QuietStart, &p.QuietEnd, &p.TimeZone, &p.SMSPhone)
	if err = db.Err(err); err != nil && err != db.ErrNotFound {
		return nil, fmt.Errorf("notify: preferences: %w", err)
	}
	return p, nil
}

// GetPrefs returns the actor's own preferences.
func GetPrefs(ctx context.Context, d *db.DB, actor access.Actor) (*Prefs, error) {
	if actor.UserID == "" {
		return nil, access.ErrNotFound
	}
	return loadPrefs(ctx, d, actor.UserID)
}

var phoneChars = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "")
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// Validate checks and normalises p and returns a *FieldError for the
// first bad field: quiet_start, quiet_end, time_zone or sms_phone.
func (p *Prefs) Validate() error {
	p.QuietStart, p.QuietEnd = strings.TrimSpace(p.QuietStart), strings.TrimSpace(p.QuietEnd)
	p.TimeZone = strings.TrimSpace(p.TimeZone)
	if _, err := parseClock(p.QuietStart); err != nil {
		return &FieldError{"quiet_start", err.Error()}
	}
	if _, err := parseClock(p.QuietEnd); err != nil {
		return &FieldError{"quiet_end", err.Error()}
	}
	switch {
	case p.QuietStart == "" && p.QuietEnd != "":
		return &FieldError{"quiet_start", "is needed when quiet hours have an end"}
	case p.QuietStart != "" && p.QuietEnd == "":
		return &FieldError{"quiet_end", "is needed when quiet hours have a start"}
	case p.QuietStart != "" && p.QuietStart == p.QuietEnd:
		return &FieldError{"quiet_end", "must differ from the start"}
	}
	if p.TimeZone != "" {
		if _, err := time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "Local" || len(p.TimeZone) > 64 {
			return &FieldError{"time_zone", "is not a time zone name such as America/Chicago"}
		}
	}
	p.SMSPhone = phoneChars.Replace(strings.TrimSpace(p.SMSPhone))
	if p.SMSPhone != "" && !e164.MatchString(p.SMSPhone) {
		return &FieldError{"sms_phone", "must be a phone number with its country code, such as +1 555 123 4567"}
	}
	for k, m := range p.Enabled {
		if !k.configurable() {
			return &FieldError{"kind", "is not a kind of notification you can choose"}
		}
		for c, on := range m {
			if c != ChannelInApp && c != ChannelEmail && c != ChannelSMS {
				return &FieldError{"channel", "is not a channel"}
			}
			if c == ChannelSMS && on && p.SMSPhone == "" {
				return &FieldError{"sms_phone", "is needed to get text messages"}
			}
		}
	}
	return nil
}

// SavePrefs validates p and stores it as the actor's preferences, and
// records the change in the audit log. Every configurable kind and channel
// in p.Enabled is stored; the rest keep what they had.
func SavePrefs(ctx context.Context, d *db.DB, actor access.Actor, p *Prefs) error {
	if actor.UserID == "" {
		return access.ErrNotFound
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		for k, m := range p.Enabled {
			for c, on := range m {
				if err := setPref(ctx, tx, actor.UserID, k, c, on); err != nil {
					return err
				}
			}
		}
		res, err := tx.Exec(ctx, `UPDATE notification_settings SET quiet_start = ?, quiet_end = ?, time_zone = ?,
			sms_phone = ? WHERE user_id = ?`, p.QuietStart, p.QuietEnd, p.TimeZone, p.SMSPhone, actor.UserID)
		if err != nil {
			return fmt.Errorf("notify: save settings: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO notification_settings (user_id, quiet_start, quiet_end, time_zone, sms_phone)
				VALUES (?, ?, ?, ?, ?)`, actor.UserID, p.QuietStart, p.QuietEnd, p.TimeZone, p.SMSPhone); err != nil {
				return fmt.Errorf("notify: save settings: %w", err)
			}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "notify.preferences", SubjectType: "user", SubjectID: actor.UserID})
	})
}

// setPref stores one choice, replacing an earlier one.
func setPref(ctx context.Context, tx *db.Tx, userID string, k Kind, c Channel, on bool) error {
	res, err := tx.Exec(ctx, `UPDATE notification_prefs SET enabled = ? WHERE user_id = ? AND kind = ? AND channel = ?`,
		on, userID, string(k), string(c))
	if err != nil {
		return fmt.Errorf("notify: save preference: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO notification_prefs (user_id, kind, channel, enabled) VALUES (?, ?, ?, ?)`,
		userID, string(k), string(c), on)
	if err != nil {
		return fmt.Errorf("notify: save preference: %w", err)
	}
	return nil
}

// parseClock reads "HH:MM" (24-hour) as minutes after midnight; "" is -1.
func parseClock(s string) (int, error) {
	if s == "" {
		return -1, nil
	}
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("must be a time such as 22:00")
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, fmt.Errorf("must be a time between 00:00 and 23:59")
	}
	return h*60 + m, nil
}

// quietUntil returns when the person's quiet hours around now end, or the
// zero time when now is not in quiet hours.
func (p *Prefs) quietUntil(now time.Time, loc *time.Location) time.Time {
	start, err1 := parseClock(p.QuietStart)
	end, err2 := parseClock(p.QuietEnd)
	if err1 != nil || err2 != nil || start < 0 || end < 0 || start == end {
		return time.Time{}
	}
	t := now.In(loc)
	m := t.Hour()*60 + t.Minute()
	day := 0
	switch {
	case start < end && m >= start && m < end:
	case start > end && m >= start:
		day = 1
	case start > end && m < end:
	default:
		return time.Time{}
	}
	y, mo, d := t.Date()
	return time.Date(y, mo, d+day, end/60, end%60, 0, 0, loc).UTC()
}

var zones sync.Map // name → *time.Location

// loadZone returns the named zone, or UTC when it cannot be loaded.
func loadZone(name string) *time.Location {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil || name == "" {
		l = time.UTC
	}
	zones.Store(name, l)
	return l
}
