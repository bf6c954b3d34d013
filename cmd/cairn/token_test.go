package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

func TestTokenCreate(t *testing.T) {
	vars := newEnv(t)
	createProgram(t, vars, "Driftwood Alumni")
	mustOK(t, cairn(t, with(vars, "CAIRN_USER_PASSWORD", "correct horse battery"), "user", "create",
		"--email", "sam@example.org", "--role", "alumnus"), "user create")

	r := cairn(t, vars, "token", "create", "--email", "SAM@example.org", "--name", "EHR sync")
	mustOK(t, r, "token create")
	raw := strings.TrimSpace(r.stdout)
	if !regexp.MustCompile(`^cairn_[A-Za-z0-9_-]{32}$`).MatchString(raw) {
		t.Fatalf("stdout %q is not just the token", r.stdout)
	}
	if strings.Contains(r.stderr, raw) || !strings.Contains(r.stderr, "shown only now") {
		t.Errorf("stderr %q", r.stderr)
	}

	a := openApp(t, vars)
	tok, u, err := a.Auth.AuthenticateToken(context.Background(), raw)
	if err != nil || u.Email != "sam@example.org" || tok.Name != "EHR sync" {
		t.Fatalf("the printed token: %+v, %+v, %v", tok, u, err)
	}
	var n int
	if err := a.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = ? AND subject_id = ?`,
		"api_token.create", tok.ID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("audit entries %d, %v", n, err)
	}
	a.Close()

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"token", "create"}, "--email"},
		{[]string{"token", "create", "--email", "nobody@example.org"}, "--email: No account has that email address."},
		{[]string{"token", "create", "--email", "sam@example.org", "--name", strings.Repeat("n", 101)}, "--name"},
		{[]string{"token", "create", "--email", "sam@example.org", "extra"}, "unexpected argument"},
		{[]string{"token"}, "usage: cairn token create"},
	} {
		r := cairn(t, vars, c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want usage error with %q", c.args, r.code, r.stdout, r.stderr, c.want)
		}
	}
}
