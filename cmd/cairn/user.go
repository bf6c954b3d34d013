package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// userFlags maps auth's form field names to this command's flags.
var userFlags = map[string]string{"email": "email", "first_name": "first", "last_name": "last", "role": "role", "password": "password (CAIRN_USER_PASSWORD)"}

// cmdUser handles "user create".
func cmdUser(ctx context.Context, e *env, args []string) int {
	const synopsis = "--email E --role R [--program P] [--first F --last L]"
	if len(args) == 0 || args[0] != "create" {
		return e.fail(exitUsage, "usage: cairn user create %s", synopsis)
	}
	var email, role, program, first, last string
	cfg, rest, code, ok := parseConfig(e, "user create", synopsis, args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the person's email address")
		fs.StringVar(&role, "role", "", "alumnus, family, coach, coordinator or admin")
		fs.StringVar(&program, "program", "", "id or name of the program; may be left out when there is only one")
		fs.StringVar(&first, "first", "", "first name")
		fs.StringVar(&last, "last", "", "last name")
	})
	if !ok {
		return code
	}
	if code, ok := noArgs(e, "user create", rest); !ok {
		return code
	}
	r, err := access.ParseRole(role)
	if err != nil {
		return e.fail(exitUsage, "user create: --role: %v", err)
	}
	if strings.TrimSpace(email) == "" {
		return e.fail(exitUsage, "user create: --email: enter the person's email address")
	}
	password, generated := e.getenv("CAIRN_USER_PASSWORD"), false
	if password == "" {
		password, generated = newPassword(), true
	}

	a, code, ok := openStore(ctx, e, cfg)
	if !ok {
		return code
	}
	defer a.Close()
	p, err := pickProgram(ctx, a.DB, program)
	if err != nil {
		return e.fail(exitUsage, "user create: %v", err)
	}
	u, err := a.Auth.CreateUser(ctx, access.System(p.ID), auth.NewUser{
		ProgramID: p.ID, Email: email, FirstName: first, LastName: last, Role: r, Password: password,
	})
	var fe *auth.FieldError
	if errors.As(err, &fe) {
		name := userFlags[fe.Field]
		if name == "" {
			name = fe.Field
		}
		return e.fail(exitUsage, "user create: --%s: %s", name, fe.Message)
	}
	if err != nil {
		return e.fail(exitError, "user create: %v", err)
	}
	fmt.Fprintf(e.stdout, "created %s %s in %s\n", u.Role.Label(), u.ID, p.Name)
	if generated {
		fmt.Fprintf(e.stdout, "password: %s (shown only now; they can change it after signing in)\n", password)
	}
	if u.Role.Staff() {
		fmt.Fprintln(e.stdout, "At first sign-in they set up a second factor with an authenticator app.")
	}
	return exitOK
}

// pickProgram finds the program named by idOrName, or the only program
// when idOrName is empty. Its errors name the choices.
func pickProgram(ctx context.Context, d *db.DB, idOrName string) (*programs.Program, error) {
	list, err := programs.List(ctx, d)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errors.New("no programs yet: create one with cairn program create")
	}
	if idOrName == "" {
		if len(list) == 1 {
			return list[0], nil
		}
		return nil, fmt.Errorf("several programs: pass --program with one of: %s", choices(list))
	}
	for _, p := range list {
		if p.ID == idOrName || p.Name == idOrName {
			return p, nil
		}
	}
	return nil, fmt.Errorf("--program: no program %q; choose one of: %s", idOrName, choices(list))
}

func choices(list []*programs.Program) string {
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = fmt.Sprintf("%s (%s)", p.ID, p.Name)
	}
	return strings.Join(out, ", ")
}
