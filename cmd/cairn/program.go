package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/programs"
)

// cmdProgram handles "program create".
func cmdProgram(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] != "create" {
		return e.fail(exitUsage, "usage: cairn program create --name N --timezone TZ [--phone P] [--address A]")
	}
	var s programs.Settings
	cfg, rest, code, ok := parseConfig(e, "program create", "--name N --timezone TZ [--phone P] [--address A]", args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&s.Name, "name", "", "the program's name")
		fs.StringVar(&s.TimeZone, "timezone", "", "the program's time zone, e.g. America/Chicago")
		fs.StringVar(&s.Phone, "phone", "", "the program's phone number")
		fs.StringVar(&s.Address, "address", "", "the program's street address")
	})
	if !ok {
		return code
	}
	if code, ok := noArgs(e, "program create", rest); !ok {
		return code
	}
	if err := s.Validate(); err != nil {
		return fieldError(e, "program create", err)
	}
	a, code, ok := openStore(ctx, e, cfg)
	if !ok {
		return code
	}
	defer a.Close()
	p, err := programs.Create(ctx, a.DB, s)
	if err != nil {
		return fieldError(e, "program create", err)
	}
	fmt.Fprintln(e.stdout, p.ID)
	return exitOK
}

// fieldError reports a validation error as "--field: message" with the
// usage exit code, and any other error with the error code.
func fieldError(e *env, cmd string, err error) int {
	var pf *programs.FieldError
	if errors.As(err, &pf) {
		return e.fail(exitUsage, "%s: --%s: %s", cmd, pf.Field, pf.Message)
	}
	return e.fail(exitError, "%s: %v", cmd, err)
}
