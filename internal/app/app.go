// Package app wires one running Cairn together: configuration, database,
// account service, mail sender, web handler and the periodic work they
// need, and runs them until told to stop.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"

	"github.com/cairn-recovery/cairn/internal/api"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/config"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/jobs"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/metrics"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/web"
)

// Version is Cairn's version, set at build time with
// -ldflags "-X github.com/cairn-recovery/cairn/internal/app.Version=v1.2.3".
var Version = "dev"

// App is one running Cairn: everything a server or a command-line tool
// needs, opened once and passed explicitly.
type App struct {
	// Config is the validated configuration, with its secret key loaded.
	Config *config.Config
	// DB is the open, migrated database.
	DB *db.DB
	// Auth holds accounts and sessions.
	Auth *auth.Service
	// Logger is the process logger.
	Logger *slog.Logger
	// Handler serves the web site; nil for an App opened with OpenStore.
	Handler http.Handler
	// Sender delivers queued mail; nil when no SMTP server is configured
	// (mail then stays in the outbox) or for an App opened with OpenStore.
	Sender *notify.Sender
	// SMS delivers queued text messages to CAIRN_SMS_WEBHOOK_URL; nil when
	// none is configured (texts then stay in the outbox).
	SMS *notify.SMSSender
	// Metrics counts requests and reads job and outbox counts for
	// GET /metrics; nil for an App opened with OpenStore.
	Metrics *metrics.Metrics
	// Jobs runs background and periodic jobs (River); nil for an App
	// opened with OpenStore. Register workers on it before Serve.
	Jobs *jobs.Jobs
	// Live fans live updates (GET /live) out to this instance's open
	// pages; nil for an App opened with OpenStore. Serve runs it.
	Live *live.Hub

	closeOnce sync.Once
	closeErr  error
}

// OpenStore opens what the command-line tools need: it loads or generates
// the secret key, opens and migrates the database and builds the account
// service. It starts nothing and serves nothing.
func OpenStore(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*App, error) {
	if cfg == nil || logger == nil {
		return nil, errors.New("app: configuration and logger are required")
	}
	if err := cfg.EnsureSecretKey(); err != nil {
		return nil, err
	}
	// Notifications: absolute links and signed unsubscribe links.
	notify.Configure(cfg.BaseURL, cfg.SecretKey)
	// Events: check-in codes are HMACs under a key from the secret key.
	events.SetCheckInKey(cfg.SecretKey)
	// Conversations: message bodies are encrypted under keys wrapped by a key from the secret key.
	conversations.SetKey(cfg.SecretKey)
	d, err := db.Open(ctx, cfg.DatabaseTarget())
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	a := &App{Config: cfg, DB: d, Logger: logger}
	a.Auth = auth.New(d, auth.Options{
		SecretKey:  cfg.SecretKey,
		BaseURL:    cfg.BaseURL,
		StaffIdle:  cfg.StaffIdle,
		MemberIdle: cfg.MemberIdle,
		Lifetime:   cfg.SessionLifetime,
		Demo:       cfg.Demo,
	})
	return a, nil
}

// Open opens everything a server needs: the store (see [OpenStore]), the
// mail sender and the web handler. Call Serve to run it, or Close.
func Open(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*App, error) {
	a, err := OpenStore(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	a.Sender, err = notify.NewSender(a.DB, cfg.SMTPURL, cfg.MailFrom, logger)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("mail: %w", err)
	}
	a.SMS, err = notify.NewWebhookSender(a.DB, cfg.SMSWebhookURL, logger)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("sms: %w", err)
	}
	a.Jobs, err = jobs.New(a.DB, logger)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Jobs.Periodic(a.periodicWork()...)
	// Message-key rotations asked for at /admin/message-keys.
	jobs.Register(a.Jobs, conversations.NewRotateKeyWorker(a.DB))
	a.Metrics = metrics.New(a.DB)
	// Live updates: the hub behind GET /live, and its connection gauge.
	a.Live = live.NewHub(a.DB, logger)
	a.Metrics.SetLiveConnections(a.Live.Connections)
	// The JSON API (internal/api), mounted by the web server at /api/.
	apiHandler := api.New(api.Deps{DB: a.DB, Auth: a.Auth, Logger: logger, CookieName: web.SessionCookieName(cfg),
		Rate: cfg.APIRate, Burst: int(2*cfg.APIRate + 0.5)})
	srv, err := web.New(web.Deps{Config: cfg, DB: a.DB, Auth: a.Auth, Logger: logger, Version: Version, API: apiHandler,
		Metrics: a.Metrics, Jobs: a.Jobs, Live: a.Live})
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("web: %w", err)
	}
	a.Handler = srv.Handler()
	return a, nil
}

// Close stops the job runner (if Serve has not) and closes the database.
// It is safe to call more than once.
func (a *App) Close() error {
	a.closeOnce.Do(func() {
		if a.Jobs != nil {
			// Releases River's connections; after Serve it has stopped already.
			ctx, cancel := context.WithTimeout(context.Background(), jobsStopTimeout)
			_ = a.Jobs.Stop(ctx)
			cancel()
		}
		a.closeErr = a.DB.Close()
	})
	return a.closeErr
}
