// Package config reads Cairn's settings once, from command-line flags and
// their CAIRN_* environment twins, validates them, and hands a typed Config
// to whoever needs it. Nothing else reads the environment.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of one cairn process.
type Config struct {
	// Addr is the address the server listens on (CAIRN_ADDR).
	Addr string
	// DataDir holds the SQLite database and the generated secret key (CAIRN_DATA_DIR).
	DataDir string
	// DatabaseURL selects PostgreSQL when it is a postgres:// URL; empty
	// means the SQLite file in DataDir (CAIRN_DATABASE_URL).
	DatabaseURL string
	// BaseURL is the public address of the site, used in links sent by
	// email (CAIRN_BASE_URL). Defaults to http://Addr.
	BaseURL string
	// SecretKey keys HMACs and encryption of second-factor secrets
	// (CAIRN_SECRET_KEY, at least 32 bytes; generated into the data dir
	// when unset).
	SecretKey []byte
	// DemoPassword is the password of the demo accounts (CAIRN_DEMO_PASSWORD).
	DemoPassword string
	// Demo seeds and serves the demo program (--demo).
	Demo bool
	// StaffIdle and MemberIdle are the idle timeouts of sessions for staff
	// and for alumni and family (CAIRN_STAFF_IDLE_TIMEOUT, CAIRN_MEMBER_IDLE_TIMEOUT).
	StaffIdle  time.Duration
	MemberIdle time.Duration
	// SessionLifetime is the absolute lifetime of a session (CAIRN_SESSION_LIFETIME).
	SessionLifetime time.Duration
	// MaxBodyBytes caps request bodies (CAIRN_MAX_BODY_BYTES).
	MaxBodyBytes int64
	// SMTPURL is the mail server, e.g. smtp://user:pass@host:587
	// (CAIRN_SMTP_URL); empty keeps mail in the outbox.
	SMTPURL string
	// MailFrom is the sender address of Cairn's mail (CAIRN_MAIL_FROM).
	MailFrom string
	// SMSWebhookURL receives text messages as JSON POSTs
	// (CAIRN_SMS_WEBHOOK_URL); empty keeps texts in the outbox.
	SMSWebhookURL string
	// TrustProxy takes the client address from X-Forwarded-For (CAIRN_TRUST_PROXY).
	TrustProxy bool
	// LogLevel is debug, info, warn or error (CAIRN_LOG_LEVEL).
	LogLevel string
	// APIRate is the JSON API's rate limit per token or session, in
	// requests per second, with bursts of twice as many (CAIRN_API_RATE).
	APIRate float64
}

// Error is a configuration problem, naming the setting.
type Error struct {
	Setting string
	Problem string
}

func (e *Error) Error() string { return e.Setting + ": " + e.Problem }

// SQLitePath is the SQLite database file in the data dir.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "cairn.db") }

// DatabaseTarget is what db.Open takes: the PostgreSQL URL or the SQLite path.
func (c *Config) DatabaseTarget() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return c.SQLitePath()
}

// TLS reports whether the public address is https, which turns on Secure
// cookies with the __Host- prefix and HSTS.
func (c *Config) TLS() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// Flags declares the settings on fs, each defaulting to its environment
// twin, and returns a function that validates and completes the Config
// after fs.Parse.
func Flags(fs *flag.FlagSet, getenv func(string) string) (*Config, func() error) {
	c := &Config{}
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	var secret, staffIdle, memberIdle, lifetime, maxBody, trustProxy, apiRate string
	fs.StringVar(&c.Addr, "addr", env("CAIRN_ADDR", "127.0.0.1:8080"), "listen address (CAIRN_ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", env("CAIRN_DATA_DIR", "./cairn-data"), "data folder (CAIRN_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database-url", env("CAIRN_DATABASE_URL", ""), "postgres:// URL; empty uses SQLite in the data folder (CAIRN_DATABASE_URL)")
	fs.StringVar(&c.BaseURL, "base-url", env("CAIRN_BASE_URL", ""), "public address, e.g. https://alumni.example.org (CAIRN_BASE_URL)")
	fs.StringVar(&secret, "secret-key", env("CAIRN_SECRET_KEY", ""), "secret key, at least 32 characters; generated when unset (CAIRN_SECRET_KEY)")
	fs.StringVar(&c.DemoPassword, "demo-password", env("CAIRN_DEMO_PASSWORD", ""), "password of the demo accounts (CAIRN_DEMO_PASSWORD)")
	fs.StringVar(&staffIdle, "staff-idle-timeout", env("CAIRN_STAFF_IDLE_TIMEOUT", "30m"), "idle timeout of staff sessions (CAIRN_STAFF_IDLE_TIMEOUT)")
	fs.StringVar(&memberIdle, "member-idle-timeout", env("CAIRN_MEMBER_IDLE_TIMEOUT", "12h"), "idle timeout of alumni and family sessions (CAIRN_MEMBER_IDLE_TIMEOUT)")
	fs.StringVar(&lifetime, "session-lifetime", env("CAIRN_SESSION_LIFETIME", "720h"), "absolute session lifetime (CAIRN_SESSION_LIFETIME)")
	fs.StringVar(&maxBody, "max-body-bytes", env("CAIRN_MAX_BODY_BYTES", "1048576"), "request body cap in bytes (CAIRN_MAX_BODY_BYTES)")
	fs.StringVar(&c.SMTPURL, "smtp-url", env("CAIRN_SMTP_URL", ""), "mail server, smtp://user:pass@host:587; empty keeps mail in the outbox (CAIRN_SMTP_URL)")
	fs.StringVar(&c.SMSWebhookURL, "sms-webhook-url", env("CAIRN_SMS_WEBHOOK_URL", ""), "text messages are POSTed here as JSON; empty keeps them in the outbox (CAIRN_SMS_WEBHOOK_URL)")
	fs.StringVar(&c.MailFrom, "mail-from", env("CAIRN_MAIL_FROM", "cairn@localhost"), "sender address (CAIRN_MAIL_FROM)")
	fs.StringVar(&trustProxy, "trust-proxy", env("CAIRN_TRUST_PROXY", "false"), "take client addresses from X-Forwarded-For (CAIRN_TRUST_PROXY)")
	fs.StringVar(&apiRate, "api-rate", env("CAIRN_API_RATE", "20"), "JSON API requests per second per token, bursts of twice that (CAIRN_API_RATE)")
	fs.StringVar(&c.LogLevel, "log-level", env("CAIRN_LOG_LEVEL", "info"), "debug, info, warn or error (CAIRN_LOG_LEVEL)")
	return c, func() error {
		var err error
		if err = c.validateAddr(); err != nil {
			return err
		}
		if c.DataDir == "" {
			return &Error{"CAIRN_DATA_DIR", "must not be empty"}
		}
		if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
			return &Error{"CAIRN_DATABASE_URL", "must be a postgres:// URL, or empty for SQLite"}
		}
		if c.BaseURL == "" {
			c.BaseURL = "http://" + c.Addr
		}
		u, perr := url.Parse(c.BaseURL)
		if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &Error{"CAIRN_BASE_URL", "must be an http:// or https:// address"}
		}
		c.BaseURL = strings.TrimRight(c.BaseURL, "/")
		if c.StaffIdle, err = duration("CAIRN_STAFF_IDLE_TIMEOUT", staffIdle); err != nil {
			return err
		}
		if c.MemberIdle, err = duration("CAIRN_MEMBER_IDLE_TIMEOUT", memberIdle); err != nil {
			return err
		}
		if c.SessionLifetime, err = duration("CAIRN_SESSION_LIFETIME", lifetime); err != nil {
			return err
		}
		var n int64
		if _, serr := fmt.Sscanf(maxBody, "%d", &n); serr != nil || n < 1024 || fmt.Sprint(n) != maxBody {
			return &Error{"CAIRN_MAX_BODY_BYTES", "must be a whole number of bytes, at least 1024"}
		}
		c.MaxBodyBytes = n
		switch strings.ToLower(trustProxy) {
		case "true", "1", "yes":
			c.TrustProxy = true
		case "false", "0", "no", "":
		default:
			return &Error{"CAIRN_TRUST_PROXY", "must be true or false"}
		}
		rate, rerr := strconv.ParseFloat(apiRate, 64)
		if rerr != nil || !(rate >= 0.1 && rate <= 100000) {
			return &Error{"CAIRN_API_RATE", "must be a number of requests per second between 0.1 and 100000"}
		}
		c.APIRate = rate
		switch c.LogLevel {
		case "debug", "info", "warn", "error":
		default:
			return &Error{"CAIRN_LOG_LEVEL", "must be debug, info, warn or error"}
		}
		if c.SMTPURL != "" {
			su, serr := url.Parse(c.SMTPURL)
			if serr != nil || (su.Scheme != "smtp" && su.Scheme != "smtps") || su.Host == "" {
				return &Error{"CAIRN_SMTP_URL", "must look like smtp://user:pass@host:587"}
			}
		}
		if c.SMSWebhookURL != "" {
			wu, werr := url.Parse(c.SMSWebhookURL)
			if werr != nil || (wu.Scheme != "http" && wu.Scheme != "https") || wu.Host == "" {
				return &Error{"CAIRN_SMS_WEBHOOK_URL", "must be an http:// or https:// address"}
			}
		}
		if c.DemoPassword != "" && len(c.DemoPassword) < 8 {
			return &Error{"CAIRN_DEMO_PASSWORD", "must be at least 8 characters"}
		}
		if secret != "" {
			if len(secret) < 32 {
				return &Error{"CAIRN_SECRET_KEY", "must be at least 32 characters"}
			}
			c.SecretKey = []byte(secret)
		}
		return nil
	}
}

func (c *Config) validateAddr() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return &Error{"CAIRN_ADDR", "must be host:port, e.g. 127.0.0.1:8080"}
	}
	return nil
}

func duration(setting, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, &Error{setting, "must be a duration such as 30m or 12h"}
	}
	return d, nil
}

// EnsureSecretKey loads the secret key from the data dir, generating it
// with mode 0600 on first start, unless CAIRN_SECRET_KEY set one.
func (c *Config) EnsureSecretKey() error {
	if len(c.SecretKey) > 0 {
		return nil
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return &Error{"CAIRN_DATA_DIR", fmt.Sprintf("cannot create %s: %v", c.DataDir, err)}
	}
	path := filepath.Join(c.DataDir, "secret.key")
	b, err := os.ReadFile(path)
	if err == nil {
		key := strings.TrimSpace(string(b))
		if len(key) < 32 {
			return &Error{"CAIRN_SECRET_KEY", path + " is shorter than 32 characters"}
		}
		c.SecretKey = []byte(key)
		return nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return &Error{"CAIRN_SECRET_KEY", fmt.Sprintf("cannot read %s: %v", path, err)}
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	key := hex.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return &Error{"CAIRN_DATA_DIR", fmt.Sprintf("cannot write %s: %v", path, err)}
	}
	c.SecretKey = []byte(key)
	return nil
}
