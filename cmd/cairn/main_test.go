package main

import (
	"bytes"
	"context"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// result is what one in-process run of cairn produced.
type result struct {
	code           int
	stdout, stderr string
}

// cairn runs the command line in-process with the environment vars.
func cairn(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	return cairnCtx(t, context.Background(), vars, args...)
}

func cairnCtx(t *testing.T, ctx context.Context, vars map[string]string, args ...string) result {
	t.Helper()
	var out, errOut testkit.Buffer
	code := run(ctx, args, &out, &errOut, func(k string) string { return vars[k] })
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// newEnv returns the environment of a fresh installation in a temporary
// data folder.
func newEnv(t *testing.T) map[string]string {
	return map[string]string{"CAIRN_DATA_DIR": t.TempDir(), "CAIRN_LOG_LEVEL": "error"}
}

func with(vars map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range vars {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func mustOK(t *testing.T, r result, what string) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("%s: exit %d\nstdout: %s\nstderr: %s", what, r.code, r.stdout, r.stderr)
	}
}

func TestBadConfigurationStopsWithOneLine(t *testing.T) {
	cases := []struct{ setting, value string }{
		{"CAIRN_ADDR", "nonsense"},
		{"CAIRN_DATABASE_URL", "mysql://x"},
		{"CAIRN_SECRET_KEY", "short"},
		{"CAIRN_BASE_URL", "ftp://example.org"},
		{"CAIRN_STAFF_IDLE_TIMEOUT", "soon"},
		{"CAIRN_DEMO", "maybe"},
	}
	for _, c := range cases {
		t.Run(c.setting, func(t *testing.T) {
			vars := with(newEnv(t), c.setting, c.value)
			for _, cmd := range [][]string{{"serve"}, {"migrate"}, {"user", "create", "--email", "a@example.org", "--role", "admin"}} {
				if c.setting == "CAIRN_DEMO" && cmd[0] != "serve" {
					continue
				}
				r := cairn(t, vars, cmd...)
				if r.code != 2 {
					t.Errorf("%s with %s=%s: exit %d, want 2 (stderr %q)", cmd[0], c.setting, c.value, r.code, r.stderr)
				}
				lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
				if len(lines) != 1 || !strings.HasPrefix(lines[0], "cairn: "+c.setting+": ") {
					t.Errorf("%s: stderr = %q, want one line starting %q", cmd[0], r.stderr, "cairn: "+c.setting+": ")
				}
			}
			if _, err := os.Stat(filepath.Join(vars["CAIRN_DATA_DIR"], "cairn.db")); err == nil {
				t.Error("a database was created despite the bad setting")
			}
		})
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	vars := with(newEnv(t), "CAIRN_ADDR", "nonsense")
	r := cairn(t, vars, "migrate", "--addr", "127.0.0.1:9999")
	mustOK(t, r, "migrate with a good --addr flag")
	if !strings.Contains(r.stdout, "up to date") {
		t.Errorf("migrate said %q", r.stdout)
	}
}

func TestUnknownCommandAndHelp(t *testing.T) {
	if r := cairn(t, nil, "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %+v", r)
	}
	if r := cairn(t, nil); r.code != 2 {
		t.Errorf("no command: exit %d", r.code)
	}
	r := cairn(t, nil, "help")
	mustOK(t, r, "help")
	for _, want := range []string{"serve", "migrate", "demo", "program create", "user create", "audit verify", "backup", "version"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("help does not mention %q", want)
		}
	}
	if r := cairn(t, nil, "serve", "-h"); r.code != 0 || !strings.Contains(r.stderr, "CAIRN_ADDR") {
		t.Errorf("serve -h: exit %d, stderr %q", r.code, r.stderr)
	}
	r = cairn(t, nil, "version")
	mustOK(t, r, "version")
	if !strings.HasPrefix(r.stdout, "cairn dev (go1.") {
		t.Errorf("version = %q", r.stdout)
	}
}

func TestSecretKeyIsGeneratedPrivately(t *testing.T) {
	vars := newEnv(t)
	mustOK(t, cairn(t, vars, "program", "create", "--name", "Harbor Alumni", "--timezone", "America/New_York"), "program create")
	path := filepath.Join(vars["CAIRN_DATA_DIR"], "secret.key")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatalf("secret key not generated: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("secret.key mode = %v, want 0600", st.Mode().Perm())
	}
	key, _ := os.ReadFile(path)
	mustOK(t, cairn(t, vars, "program", "create", "--name", "Second", "--timezone", "UTC"), "second program create")
	again, _ := os.ReadFile(path)
	if len(bytes.TrimSpace(key)) < 32 || !bytes.Equal(key, again) {
		t.Errorf("secret key is short or changed between runs")
	}
}

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// createProgram runs program create and returns the printed id.
func createProgram(t *testing.T, vars map[string]string, name string) string {
	t.Helper()
	r := cairn(t, vars, "program", "create", "--name", name, "--timezone", "America/Chicago", "--phone", "(512) 555-0100")
	mustOK(t, r, "program create")
	id := strings.TrimSpace(r.stdout)
	if !uuidRe.MatchString(id) {
		t.Fatalf("program create printed %q, want an id", r.stdout)
	}
	return id
}

func TestProgramAndUserCreate(t *testing.T) {
	vars := newEnv(t)

	r := cairn(t, vars, "user", "create", "--email", "a@example.org", "--role", "admin")
	if r.code != 2 || !strings.Contains(r.stderr, "no programs yet") {
		t.Errorf("user create before any program: %+v", r)
	}
	if r := cairn(t, vars, "program", "create", "--name", "X", "--timezone", "Mars/Olympus"); r.code != 2 || !strings.Contains(r.stderr, "--timezone") {
		t.Errorf("bad time zone: %+v", r)
	}

	first := createProgram(t, vars, "Driftwood Alumni")
	r = cairn(t, vars, "user", "create", "--email", "Admin@Example.org", "--role", "admin", "--first", "Morgan", "--last", "Ellis")
	mustOK(t, r, "user create in the only program")
	m := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(r.stdout)
	if m == nil || len(m[1]) < 12 {
		t.Fatalf("no generated password printed: %q", r.stdout)
	}
	if !strings.Contains(r.stdout, "second factor") {
		t.Errorf("staff account: no word about the second factor: %q", r.stdout)
	}

	// The generated password signs in.
	signIn(t, vars, "admin@example.org", m[1])

	r = cairn(t, with(vars, "CAIRN_USER_PASSWORD", "correct horse battery"), "user", "create", "--email", "sam@example.org", "--role", "alumnus")
	mustOK(t, r, "user create with CAIRN_USER_PASSWORD")
	if strings.Contains(r.stdout, "password:") || strings.Contains(r.stdout, "correct horse") {
		t.Errorf("a chosen password was printed: %q", r.stdout)
	}
	signIn(t, vars, "sam@example.org", "correct horse battery")

	if r := cairn(t, vars, "user", "create", "--email", "sam@example.org", "--role", "alumnus"); r.code != 2 || !strings.Contains(r.stderr, "--email: That person already has an account.") {
		t.Errorf("duplicate email: %+v", r)
	}
	if r := cairn(t, vars, "user", "create", "--email", "x@example.org", "--role", "superuser"); r.code != 2 || !strings.Contains(r.stderr, "--role") {
		t.Errorf("bad role: %+v", r)
	}
	if r := cairn(t, with(vars, "CAIRN_USER_PASSWORD", "password"), "user", "create", "--email", "x@example.org", "--role", "alumnus"); r.code != 2 || !strings.Contains(r.stderr, "CAIRN_USER_PASSWORD") {
		t.Errorf("common password: %+v", r)
	}

	second := createProgram(t, vars, "Harbor Alumni")
	r = cairn(t, vars, "user", "create", "--email", "b@example.org", "--role", "coach")
	want := "several programs: pass --program with one of: " + first + " (Driftwood Alumni), " + second + " (Harbor Alumni)"
	if r.code != 2 || strings.TrimSpace(r.stderr) != "cairn: user create: "+want {
		t.Errorf("user create with two programs: exit %d, stderr %q, want %q", r.code, r.stderr, want)
	}
	mustOK(t, cairn(t, vars, "user", "create", "--email", "b@example.org", "--role", "coach", "--program", second), "user create --program id")
	mustOK(t, cairn(t, vars, "user", "create", "--email", "c@example.org", "--role", "family", "--program", "Harbor Alumni"), "user create --program name")
	if r := cairn(t, vars, "user", "create", "--email", "d@example.org", "--role", "family", "--program", "Nowhere"); r.code != 2 || !strings.Contains(r.stderr, "Harbor Alumni") {
		t.Errorf("unknown program: %+v", r)
	}
	assertUsers(t, vars, "Harbor Alumni", 2)
}

func TestAuditVerify(t *testing.T) {
	vars := newEnv(t)
	if r := cairn(t, vars, "audit", "verify"); r.code != 1 || !strings.Contains(r.stderr, "no database") {
		t.Errorf("verify without a database: %+v", r)
	}
	createProgram(t, vars, "Driftwood Alumni")
	mustOK(t, cairn(t, with(vars, "CAIRN_USER_PASSWORD", "correct horse battery"), "user", "create", "--email", "a@example.org", "--role", "admin"), "user create")
	mustOK(t, cairn(t, with(vars, "CAIRN_USER_PASSWORD", "correct horse battery"), "user", "create", "--email", "b@example.org", "--role", "alumnus"), "user create")
	r := cairn(t, vars, "audit", "verify")
	mustOK(t, r, "audit verify")
	if strings.TrimSpace(r.stdout) != "ok 3 entries" {
		t.Errorf("audit verify = %q, want ok 3 entries", r.stdout)
	}

	d := openDB(t, vars)
	testkit.UnguardAudit(t, d)
	if _, err := d.Exec(context.Background(), `UPDATE audit_log SET detail = ? WHERE seq = 2`, `{"role":"alumnus"}`); err != nil {
		t.Fatal(err)
	}
	d.Close()
	r = cairn(t, vars, "audit", "verify")
	if r.code != 1 || !strings.Contains(r.stderr, "entry 2") || r.stdout != "" {
		t.Errorf("after tampering: exit %d, stdout %q, stderr %q; want exit 1 naming entry 2", r.code, r.stdout, r.stderr)
	}
	if lines := strings.Split(strings.TrimSpace(r.stderr), "\n"); len(lines) != 1 {
		t.Errorf("tampering reported on %d lines", len(lines))
	}
}

func TestBackup(t *testing.T) {
	vars := newEnv(t)
	createProgram(t, vars, "Driftwood Alumni")
	for _, email := range []string{"a@example.org", "b@example.org"} {
		mustOK(t, cairn(t, with(vars, "CAIRN_USER_PASSWORD", "correct horse battery"), "user", "create", "--email", email, "--role", "alumnus"), "user create")
	}
	// Keep the database open and written to, as a running server would.
	live := openDB(t, vars)
	defer live.Close()
	if _, err := live.Exec(context.Background(), `UPDATE programs SET phone = ?`, "(512) 555-0199"); err != nil {
		t.Fatal(err)
	}

	target := filepath.Join(t.TempDir(), "copy.db")
	if r := cairn(t, vars, "backup"); r.code != 2 || !strings.Contains(r.stderr, "--to") {
		t.Errorf("backup without --to: %+v", r)
	}
	r := cairn(t, vars, "backup", "--to", target)
	mustOK(t, r, "backup")
	if !strings.Contains(r.stdout, "cairn.db") || !strings.Contains(r.stdout, "CAIRN_DATA_DIR") || !strings.Contains(r.stdout, "secret.key") {
		t.Errorf("backup does not say how to restore: %q", r.stdout)
	}
	st, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode = %v, want 0600", st.Mode().Perm())
	}

	// Restore: a data folder with the copy as cairn.db and the secret key.
	restored := t.TempDir()
	copyFile(t, target, filepath.Join(restored, "cairn.db"), 0o600)
	copyFile(t, filepath.Join(vars["CAIRN_DATA_DIR"], "secret.key"), filepath.Join(restored, "secret.key"), 0o600)
	rvars := with(vars, "CAIRN_DATA_DIR", restored)
	assertUsers(t, rvars, "Driftwood Alumni", 2)
	mustOK(t, cairn(t, rvars, "audit", "verify"), "audit verify on the restored copy")
	signIn(t, rvars, "b@example.org", "correct horse battery")
	rd := openDB(t, rvars)
	var phone string
	if err := rd.QueryRow(context.Background(), `SELECT phone FROM programs`).Scan(&phone); err != nil || phone != "(512) 555-0199" {
		t.Errorf("restored phone = %q, %v", phone, err)
	}
	rd.Close()

	before, _ := os.ReadFile(target)
	r = cairn(t, vars, "backup", "--to", target)
	if r.code == 0 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("backup over an existing file: %+v", r)
	}
	after, _ := os.ReadFile(target)
	if !bytes.Equal(before, after) {
		t.Error("backup changed an existing file")
	}
}

func TestBackupOnPostgresRefuses(t *testing.T) {
	vars := with(newEnv(t), "CAIRN_DATABASE_URL", "postgres://cairn@127.0.0.1:1/cairn")
	r := cairn(t, vars, "backup", "--to", filepath.Join(t.TempDir(), "x.db"))
	if r.code == 0 || strings.TrimSpace(r.stderr) != "cairn: backup: on PostgreSQL use pg_dump (see README)" {
		t.Errorf("backup on PostgreSQL: %+v", r)
	}
}

func TestCommandsOnPostgres(t *testing.T) {
	url := testkit.NewPostgresDatabase(t)
	vars := with(newEnv(t), "CAIRN_DATABASE_URL", url)
	mustOK(t, cairn(t, vars, "migrate"), "migrate")
	createProgram(t, vars, "Driftwood Alumni")
	mustOK(t, cairn(t, with(vars, "CAIRN_USER_PASSWORD", "correct horse battery"), "user", "create", "--email", "a@example.org", "--role", "coordinator"), "user create")
	signIn(t, vars, "a@example.org", "correct horse battery")
	r := cairn(t, vars, "audit", "verify")
	mustOK(t, r, "audit verify")
	if !strings.HasPrefix(r.stdout, "ok ") {
		t.Errorf("audit verify = %q", r.stdout)
	}
	r = cairn(t, vars, "backup", "--to", filepath.Join(t.TempDir(), "x.db"))
	if r.code == 0 || !strings.Contains(r.stderr, "pg_dump") {
		t.Errorf("backup on PostgreSQL: %+v", r)
	}
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// serve starts cairn serve with args and waits until /healthz answers. It
// returns a function that stops the server (as SIGTERM does) and returns
// its result.
func serve(t *testing.T, vars map[string]string, args ...string) (base string, stop func() result) {
	t.Helper()
	addr := freeAddr(t)
	vars = with(vars, "CAIRN_ADDR", addr)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut testkit.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), &out, &errOut, func(k string) string { return vars[k] })
	}()
	base = "http://" + addr
	for {
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve exited with %d before answering\nstdout: %s\nstderr: %s", code, out.String(), errOut.String())
		default:
		}
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				cancel()
				t.Fatalf("/healthz answered %d", resp.StatusCode)
			}
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	return base, func() result {
		cancel()
		code := <-done
		return result{code: code, stdout: out.String(), stderr: errOut.String()}
	}
}

func TestServeDrainsOnSignal(t *testing.T) {
	vars := newEnv(t)
	_, stop := serve(t, vars)
	r := stop()
	if r.code != 0 {
		t.Fatalf("serve exited with %d after the signal\nstderr: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "listening on 127.0.0.1:") {
		t.Errorf("serve did not say where it listens: %q", r.stdout)
	}
	vars["CAIRN_LOG_LEVEL"] = "info"
	_, stop = serve(t, vars)
	r = stop()
	if r.code != 0 || !strings.Contains(r.stderr, `"msg":"listening"`) || !strings.Contains(r.stderr, `"msg":"stopped"`) {
		t.Errorf("serve log lacks listening/stopped: exit %d, %s", r.code, r.stderr)
	}
}

func TestServeDemo(t *testing.T) {
	vars := newEnv(t)

	// Seeding with CAIRN_DEMO_PASSWORD does not print the password.
	r := cairn(t, with(vars, "CAIRN_DEMO_PASSWORD", "driftwood-demo"), "demo")
	mustOK(t, r, "demo with CAIRN_DEMO_PASSWORD")
	if strings.Contains(r.stdout, "driftwood-demo") {
		t.Error("CAIRN_DEMO_PASSWORD was printed")
	}
	signIn(t, vars, "family@demo.cairn.test", "driftwood-demo")

	// serve --demo without it prints a new random password, which works,
	// and creates nothing twice.
	_, stop := serve(t, vars, "--demo")
	r = stop()
	mustOK(t, r, "serve --demo")
	for _, want := range []string{"admin@demo.cairn.test", "coordinator@demo.cairn.test", "coach@demo.cairn.test", "alex@demo.cairn.test", "family@demo.cairn.test"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("serve --demo did not print %s", want)
		}
	}
	if strings.Contains(r.stderr, "@demo.cairn.test") {
		t.Error("demo emails reached the log")
	}
	pw := regexp.MustCompile(`Password: (\S+)`).FindStringSubmatch(r.stdout)
	if pw == nil || pw[1] == "driftwood-demo" {
		t.Fatalf("no new password printed: %q", r.stdout)
	}
	if strings.Contains(r.stderr, pw[1]) {
		t.Error("the demo password reached the log")
	}
	signIn(t, vars, "alex@demo.cairn.test", pw[1])
	signIn(t, vars, "priya.raman@demo.cairn.test", pw[1])
	assertUsers(t, vars, "Driftwood Recovery Alumni", 46)
}

func copyFile(t *testing.T, from, to string, mode fs.FileMode) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, mode); err != nil {
		t.Fatal(err)
	}
}

// openDB opens the installation's database directly.
func openDB(t *testing.T, vars map[string]string) *db.DB {
	t.Helper()
	target := vars["CAIRN_DATABASE_URL"]
	if target == "" {
		target = filepath.Join(vars["CAIRN_DATA_DIR"], "cairn.db")
	}
	d, err := db.Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
