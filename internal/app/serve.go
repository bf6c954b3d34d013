package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/jobs"
	"github.com/cairn-recovery/cairn/internal/members"
)

// Timeouts of the HTTP server. There is no write timeout, so that
// long-lived responses (server-sent events) are not cut off; slow clients
// are bounded by the read timeouts instead.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
	// drainTimeout bounds how long shutdown waits for requests in flight.
	drainTimeout = 20 * time.Second
	// jobsStopTimeout bounds how long shutdown waits for running jobs
	// before cancelling them (they are retried later).
	jobsStopTimeout = 20 * time.Second
)

// periodicWork is the App's table of periodic work, run as River periodic
// jobs: once per interval across all instances sharing the database.
func (a *App) periodicWork() []jobs.PeriodicJob {
	return []jobs.PeriodicJob{
		{Name: "auth.delete_expired", Every: 10 * time.Minute, Run: func(ctx context.Context) error {
			return a.Auth.DeleteExpired(ctx)
		}},
		// Hourly, so that each program's "today" is caught soon after its
		// midnight; each milestone is celebrated once.
		{Name: "members.celebrate_milestones", Every: time.Hour, Run: func(ctx context.Context) error {
			_, err := members.CelebrateMilestones(ctx, a.DB)
			return err
		}},
		// Every 5 minutes: each reminder goes once, at the nearest offset
		// not yet passed (24 hours and 2 hours before, by default).
		{Name: "events.reminders", Every: 5 * time.Minute, Run: func(ctx context.Context) error {
			_, err := events.SendReminders(ctx, a.DB)
			return err
		}},
		// Daily: asks alumni once per milestone whether they would like to
		// be honoured at an upcoming milestone dinner.
		{Name: "events.ask_honours", Every: 24 * time.Hour, Run: func(ctx context.Context) error {
			_, err := events.AskHonours(ctx, a.DB)
			return err
		}},
		// Daily: open-ended series get occurrence rows up to 24 months
		// ahead (the horizon that lists and RSVPs read).
		{Name: "events.extend_horizons", Every: 24 * time.Hour, Run: func(ctx context.Context) error {
			_, err := events.ExtendHorizons(ctx, a.DB)
			return err
		}},
	}
}

// Serve serves the web site on ln and runs the background work (mail
// delivery, background and periodic jobs) until ctx is done. Then it stops
// accepting connections, lets requests in flight finish (up to 20
// seconds), stops the background work (waiting up to 20 seconds for
// running jobs) and closes the database. It returns nil after a clean
// shutdown.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	if a.Handler == nil {
		ln.Close()
		a.Close()
		return errors.New("app: no web handler (open the App with Open)")
	}
	// Start-up hashes passwords (argon2id takes 19 MiB each time); give
	// that memory back before serving, so an idle server stays small.
	debug.FreeOSMemory()
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		// The server's own messages (protocol errors, recovered panics)
		// go through the logger, which redacts client addresses.
		ErrorLog:    slog.NewLogLogger(a.Logger.Handler(), slog.LevelWarn),
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}

	// Background work outlives ctx until requests have drained.
	bgCtx, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	var bg sync.WaitGroup
	if a.Sender != nil {
		bg.Go(func() { a.Sender.Run(bgCtx) })
	}
	if a.SMS != nil {
		bg.Go(func() { a.SMS.Run(bgCtx) })
	}
	if a.Jobs != nil {
		// Jobs stop through Stop below, not through a cancelled context,
		// so that running jobs may finish.
		if err := a.Jobs.Start(context.WithoutCancel(ctx)); err != nil {
			stopBackground()
			bg.Wait()
			ln.Close()
			a.Close()
			return err
		}
	}

	// Live updates stop as soon as shutdown begins, which ends the open
	// event streams, so that they do not hold up the drain.
	stopLive, liveDone := a.runLive(ctx, srv)

	// The logger redacts IP addresses, so the port is logged on its own.
	a.Logger.Info("listening", "port", listenPort(ln), "base_url", a.Config.BaseURL)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	var err error
	select {
	case err = <-served:
		// The listener failed before we were asked to stop.
		err = fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
		a.Logger.Info("shutting down", "drain_timeout", drainTimeout.String())
		drainCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drainTimeout)
		if serr := srv.Shutdown(drainCtx); serr != nil {
			err = fmt.Errorf("shutdown: requests still running after %s: %w", drainTimeout, serr)
			srv.Close()
		}
		cancel()
		<-served
	}
	stopLive()
	<-liveDone
	stopBackground()
	if a.Jobs != nil {
		jobsCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), jobsStopTimeout)
		if jerr := a.Jobs.Stop(jobsCtx); jerr != nil {
			a.Logger.Error("stop background jobs", "err", jerr)
		}
		cancel()
	}
	bg.Wait()
	if cerr := a.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close database: %w", cerr)
	}
	if err == nil {
		a.Logger.Info("stopped")
	}
	return err
}

// listenPort returns the port ln listens on.
func listenPort(ln net.Listener) string {
	if _, port, err := net.SplitHostPort(ln.Addr().String()); err == nil {
		return port
	}
	return ""
}
