package main

import (
	"context"
	"flag"
	"io"
	"testing"

	"github.com/cairn-recovery/cairn/internal/app"
	"github.com/cairn-recovery/cairn/internal/config"
	"github.com/cairn-recovery/cairn/internal/logging"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// openApp opens the installation as the command-line tools do.
func openApp(t *testing.T, vars map[string]string) *app.App {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	cfg, validate := config.Flags(fs, func(k string) string { return vars[k] })
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if err := validate(); err != nil {
		t.Fatal(err)
	}
	a, err := app.OpenStore(context.Background(), cfg, logging.New(io.Discard, "error"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// signIn checks that email and password sign in.
func signIn(t *testing.T, vars map[string]string, email, password string) {
	t.Helper()
	a := openApp(t, vars)
	if _, _, err := a.Auth.SignIn(context.Background(), email, password, "192.0.2.1", "test", "test"); err != nil {
		t.Errorf("sign in as %s: %v", email, err)
	}
	a.Close()
}

// assertUsers checks how many accounts the named program has.
func assertUsers(t *testing.T, vars map[string]string, program string, want int) {
	t.Helper()
	a := openApp(t, vars)
	defer a.Close()
	p, err := programs.FindByName(context.Background(), a.DB, program)
	if err != nil {
		t.Fatalf("find program %q: %v", program, err)
	}
	var n int
	if err := a.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM users WHERE program_id = ?`, p.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("program %q has %d accounts, want %d", program, n, want)
	}
}
