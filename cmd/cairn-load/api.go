package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/api"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/config"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/web"
)

// apiTargetName names the API target in the report.
const apiTargetName = "Cairn API: GET /api/v1/me (bearer token, in-process)"

// measureAPI drives GET /api/v1/me with a personal access token, in this
// process like the reference servers: Cairn's whole web handler (every
// middleware) with the API mounted, on a fresh, migrated SQLite database
// opened with db.Open. The rate limit is raised out of the way (one token
// would otherwise be held to 20 requests a second), so that what is
// measured is the cost of a request, the limiter's bookkeeping included.
func measureAPI(ctx context.Context, o options, tmp string, rep *report) error {
	d, err := db.Open(ctx, filepath.Join(tmp, "api.db"))
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: tmp, SecretKey: []byte("cairn-load secret key, 32 bytes or more"),
		StaffIdle: 30 * time.Minute, MemberIdle: 12 * time.Hour, SessionLifetime: 30 * 24 * time.Hour,
		MaxBodyBytes: 1 << 20, LogLevel: "error"}
	a := auth.New(d, auth.Options{SecretKey: cfg.SecretKey, StaffIdle: cfg.StaffIdle, MemberIdle: cfg.MemberIdle,
		Lifetime: cfg.SessionLifetime, Argon: auth.CheapArgon2ParamsForTests()})
	p, err := programs.Create(ctx, d, programs.Settings{Name: "Load Test Alumni", TimeZone: "America/Chicago"})
	if err != nil {
		return err
	}
	u, err := a.CreateUser(ctx, access.System(p.ID), auth.NewUser{ProgramID: p.ID, Email: "api-load@example.test",
		FirstName: "Alex", LastName: "Rivera", Role: access.Alumnus, Password: randomPassword()})
	if err != nil {
		return err
	}
	raw, _, err := a.CreateToken(ctx, u.Actor("cairn-load"), "cairn-load")
	if err != nil {
		return err
	}
	logger := slog.New(slog.DiscardHandler)
	h := api.New(api.Deps{DB: d, Auth: a, Logger: logger, CookieName: web.SessionCookieName(cfg), Rate: 1e9, Burst: 1e9})
	srv, err := web.New(web.Deps{Config: cfg, DB: d, Auth: a, Logger: logger, Version: "load", API: h})
	if err != nil {
		return err
	}
	s, err := startServer(srv.Handler())
	if err != nil {
		return err
	}
	defer s.Close()

	header := http.Header{"Authorization": {"Bearer " + raw}}
	// One checked request first, so that a broken setup is an error and
	// not a table of failures.
	req, _ := get(s.URL+"/api/v1/me", header)(ctx)
	resp, err := newClient(1).Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /api/v1/me with the token answered %d, want 200", resp.StatusCode)
	}
	fmt.Fprintf(os.Stderr, "driving %s...\n", apiTargetName)
	res := o.load.Run(ctx, apiTargetName, newClient(o.load.Conns), get(s.URL+"/api/v1/me", header))
	rep.results = append(rep.results, res)
	for _, ref := range rep.results {
		if ref.Name == selectTargetName && ref.Throughput() > 0 {
			rep.notes = append(rep.notes, fmt.Sprintf("JSON API GET /api/v1/me: %.0f%% of the one-SELECT reference's throughput (aim ≥ 50%%), p99 %s.",
				100*res.Throughput()/ref.Throughput(), ms(res.Percentile(99))))
		}
	}
	return nil
}
