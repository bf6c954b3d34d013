package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"

	"github.com/cairn-recovery/cairn/internal/app"
	"github.com/cairn-recovery/cairn/internal/demo"
)

// cmdDemo seeds the demo program and prints its accounts.
func cmdDemo(ctx context.Context, e *env, args []string) int {
	cfg, rest, code, ok := parseConfig(e, "demo", "[flags]", args, nil)
	if !ok {
		return code
	}
	if code, ok := noArgs(e, "demo", rest); !ok {
		return code
	}
	a, code, ok := openStore(ctx, e, cfg)
	if !ok {
		return code
	}
	defer a.Close()
	if code, ok := seedDemo(ctx, e, a); !ok {
		return code
	}
	return exitOK
}

// seedDemo seeds the demo program with the configured password, or a new
// random one, and prints the accounts and the password to stdout (never to
// the log). The password is stored only as the accounts' password hashes.
func seedDemo(ctx context.Context, e *env, a *app.App) (int, bool) {
	password, generated := a.Config.DemoPassword, false
	if password == "" {
		password, generated = newPassword(), true
	}
	p, err := demo.Seed(ctx, a.DB, a.Auth, password)
	if err != nil {
		return e.fail(exitError, "demo: %v", err), false
	}
	w := e.stdout
	fmt.Fprintf(w, "Demo program %q is ready at %s\n", p.Name, a.Config.BaseURL)
	fmt.Fprintln(w, "Sign in with any of:")
	for _, em := range demo.Emails {
		fmt.Fprintf(w, "  %s\n", em)
	}
	if generated {
		fmt.Fprintf(w, "Password: %s\n(generated for this run and shown only here; set CAIRN_DEMO_PASSWORD to choose one)\n", password)
	} else {
		fmt.Fprintln(w, "Password: the one in CAIRN_DEMO_PASSWORD")
	}
	return exitOK, true
}

// newPassword returns a random password of 80 bits, easy to type:
// four groups of four lower-case letters and digits.
func newPassword() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic("cairn: no randomness: " + err.Error())
	}
	s := strings.ToLower(base32.StdEncoding.EncodeToString(b))
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}
