package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// readyTimeout bounds how long a Cairn start may take before the tool gives up.
const readyTimeout = 90 * time.Second

// cairnProc is a running `cairn serve --demo` subprocess.
type cairnProc struct {
	cmd     *exec.Cmd
	base    string
	logPath string
	exited  chan struct{}
	waitErr error
}

// buildCairn builds ./cmd/cairn into dir and returns the binary's path.
func buildCairn(ctx context.Context, dir string) (string, error) {
	out := filepath.Join(dir, "cairn")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/cairn")
	var stderr bytes.Buffer
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/cairn (run from the repository root, or pass -cairn): %v\n%s", err, stderr.String())
	}
	return out, nil
}

// freeAddr returns a 127.0.0.1 address with a port that was free a moment ago.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// randomPassword returns a demo password nobody would guess or find in a
// list of common passwords.
func randomPassword() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "load-" + hex.EncodeToString(b)
}

// startCairn runs `bin serve --demo` on addr with dataDir and waits until
// /readyz answers 200. It returns the process and the time from start to
// ready.
func startCairn(ctx context.Context, bin, dataDir, addr, password string) (*cairnProc, time.Duration, error) {
	logPath := filepath.Join(dataDir, "..", filepath.Base(dataDir)+".log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, 0, err
	}
	defer logf.Close()
	cmd := exec.Command(bin, "serve", "--demo")
	cmd.Env = append(os.Environ(),
		"CAIRN_DATA_DIR="+dataDir,
		"CAIRN_ADDR="+addr,
		"CAIRN_DEMO_PASSWORD="+password,
		"CAIRN_DATABASE_URL=",
		"CAIRN_BASE_URL=",
	)
	cmd.Stdout = logf
	cmd.Stderr = logf
	p := &cairnProc{cmd: cmd, base: "http://" + addr, logPath: logPath, exited: make(chan struct{})}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()

	client := &http.Client{Timeout: time.Second}
	deadline := time.NewTimer(readyTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.exited:
			return nil, 0, fmt.Errorf("cairn exited before it was ready (%v); its log ends with:\n%s", p.waitErr, p.logTail())
		case <-deadline.C:
			p.Stop()
			return nil, 0, fmt.Errorf("cairn was not ready within %v; its log ends with:\n%s", readyTimeout, p.logTail())
		case <-ctx.Done():
			p.Stop()
			return nil, 0, ctx.Err()
		case <-tick.C:
			resp, err := client.Get(p.base + "/readyz")
			if err != nil {
				continue
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, time.Since(start), nil
			}
		}
	}
}

// Stop asks Cairn to shut down and kills it if it has not within ten seconds.
func (p *cairnProc) Stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
	}
}

// logTail returns the last lines Cairn wrote.
func (p *cairnProc) logTail() string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return "  " + strings.Join(lines, "\n  ")
}

// memory reads a field such as VmRSS or VmHWM of the process, in bytes.
func (p *cairnProc) memory(field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		rest, ok := strings.CutPrefix(line, field+":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse %s: %w", field, err)
		}
		return kb * 1024, nil
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, p.cmd.Process.Pid)
}

// signIn signs in through the sign-in form and returns the Cookie header
// of the session, after checking that home answers 200 with it.
func (p *cairnProc) signIn(ctx context.Context, signinPath, homePath, email, password string) (string, error) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	form := url.Values{"email": {email}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.base+signinPath, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", p.base)
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("POST %s: %w", signinPath, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		return "", fmt.Errorf("POST %s answered %d, want a redirect after signing in", signinPath, resp.StatusCode)
	}
	u, _ := url.Parse(p.base)
	var parts []string
	for _, c := range jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	if len(parts) == 0 {
		return "", errors.New("signing in set no cookie")
	}
	cookie := strings.Join(parts, "; ")
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, p.base+homePath, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Cookie", cookie)
	resp, err = newClient(1).Do(req)
	if err != nil {
		return "", fmt.Errorf("GET %s: %w", homePath, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s signed in answered %d, want 200", homePath, resp.StatusCode)
	}
	return cookie, nil
}
