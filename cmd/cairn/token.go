package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
)

// cmdToken handles "token create": it makes a personal access token for the
// JSON API for an existing account and prints it once, on stdout alone, so
// that it can be piped into a secret store.
func cmdToken(ctx context.Context, e *env, args []string) int {
	const synopsis = "--email E [--name N]"
	if len(args) == 0 || args[0] != "create" {
		return e.fail(exitUsage, "usage: cairn token create %s", synopsis)
	}
	var email, name string
	cfg, rest, code, ok := parseConfig(e, "token create", synopsis, args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "email address of the account the token acts for")
		fs.StringVar(&name, "name", "", "a name to tell the token apart, e.g. \"EHR sync\" (default \""+auth.DefaultAPITokenName+"\")")
	})
	if !ok {
		return code
	}
	if code, ok := noArgs(e, "token create", rest); !ok {
		return code
	}
	if strings.TrimSpace(email) == "" {
		return e.fail(exitUsage, "token create: --email: enter the email address of the account")
	}
	a, code, ok := openStore(ctx, e, cfg)
	if !ok {
		return code
	}
	defer a.Close()
	raw, tok, err := a.Auth.CreateTokenFor(ctx, access.System(""), email, name)
	var fe *auth.FieldError
	if errors.As(err, &fe) {
		return e.fail(exitUsage, "token create: --%s: %s", fe.Field, fe.Message)
	}
	if err != nil {
		return e.fail(exitError, "token create: %v", err)
	}
	fmt.Fprintln(e.stdout, raw)
	fmt.Fprintf(e.stderr, "made token %q (%s); it is shown only now, keep it secret. Revoke it on the account's API tokens page.\n", tok.Name, tok.ID)
	return exitOK
}
