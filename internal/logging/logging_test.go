package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"
)

// Canaries: values that must never appear in a log line.
const (
	canaryEmail   = "jordan.canary@example.org"
	canaryIPv4    = "203.0.113.77"
	canaryIPv6    = "2001:db8:cafe::17"
	canaryName    = "Jordan Canaryfield"
	canaryBody    = "I relapsed on Tuesday and feel ashamed"
	canaryToken   = "tok_9fQ2xZr7LmP4sVb8NcKd3hWy"
	canaryBearer  = "Bearer abc.DEF-ghi"
	canaryPass    = "correct horse battery"
	canaryCode    = "491827"
	canaryAddress = "12 Elm Street"
)

var canaries = []string{
	canaryEmail, canaryIPv4, canaryIPv6, canaryName, canaryBody, canaryToken,
	"abc.DEF-ghi", canaryPass, canaryCode, canaryAddress, "Canaryfield", "jordan.canary",
}

type person struct{ Email, Note string }

func (p person) LogValue() slog.Value {
	return slog.GroupValue(slog.String("contact", p.Email), slog.String("note", p.Note))
}

func TestNoCanaryReachesTheLog(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "debug")
	levels := []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError}
	for _, lv := range levels {
		log.Log(context.Background(), lv, "signup from "+canaryEmail+" at "+canaryIPv4+" and ["+canaryIPv6+"]:443",
			"email", canaryEmail,
			"remote_addr", canaryIPv4+":51234",
			"ip", canaryIPv6,
			"name", canaryName,
			"first_name", "Jordan",
			"lastName", "Canaryfield",
			"body", canaryBody,
			"message_body", canaryBody,
			"text", canaryBody,
			"note", canaryBody,
			"content", canaryBody,
			"password", canaryPass,
			"token", canaryToken,
			"secret", canaryToken,
			"code", canaryCode,
			"totp_code", canaryCode,
			"address", canaryAddress,
			"detail", "contact "+canaryEmail+" from "+canaryIPv4,
			"auth", canaryBearer,
			"url", "/invite/"+canaryToken,
			"err", errors.New("smtp: 550 <"+canaryEmail+"> rejected"),
			"who", person{Email: canaryEmail, Note: canaryBody},
			"list", []string{canaryEmail, canaryIPv6},
			slog.Group("req", "peer", canaryIPv4, "from", canaryEmail, slog.Group("user", "email", canaryEmail, "name", canaryName)),
			slog.Group("email", "x", "plain"),
		)
		log.With("client_ip", canaryIPv4).WithGroup("g").Log(context.Background(), lv, "grouped", "to", canaryEmail, "last_name", "Canaryfield")
	}
	out := buf.String()
	if n := strings.Count(out, "\n"); n != 2*len(levels) {
		t.Fatalf("wrote %d lines, want %d:\n%s", n, 2*len(levels), out)
	}
	for _, c := range canaries {
		if strings.Contains(out, c) {
			t.Errorf("canary %q reached the log", c)
		}
	}
	if !strings.Contains(out, Redacted) {
		t.Errorf("nothing was marked redacted")
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON line: %v: %s", err, line)
		}
	}
}

// What is not sensitive stays readable: the point of a log.
func TestHarmlessValuesKept(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "info")
	log.Info("mail sent", "outbox_id", "0190f4a2-7c1e-7b55-9a3e-3f9a1b2c4d5e", "status_code", 502,
		"attempt", 3, "route", "/admin/outbox", "at", "12:00:00", "version", "1.26")
	out := buf.String()
	for _, want := range []string{`"msg":"mail sent"`, `"outbox_id":"0190f4a2-7c1e-7b55-9a3e-3f9a1b2c4d5e"`,
		`"status_code":502`, `"attempt":3`, `"route":"/admin/outbox"`, `"at":"12:00:00"`, `"version":"1.26"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lost %s:\n%s", want, out)
		}
	}
}

func TestLevel(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "warn")
	log.Info("quiet")
	log.Warn("loud")
	if strings.Contains(buf.String(), "quiet") || !strings.Contains(buf.String(), "loud") {
		t.Errorf("level warn wrote:\n%s", buf.String())
	}
	if ParseLevel("nonsense") != slog.LevelInfo || ParseLevel("DEBUG") != slog.LevelDebug || ParseLevel("error") != slog.LevelError {
		t.Errorf("ParseLevel")
	}
}

func TestSensitiveKey(t *testing.T) {
	for k, want := range map[string]bool{
		"email": true, "userEmail": true, "to_address": true, "remote_addr": true, "RemoteAddr": true,
		"client-ip": true, "ip": true, "name": true, "first_name": true, "last_name": true,
		"body": true, "message_body": true, "text": true, "content": true, "note": true,
		"password": true, "password_hash": true, "reset_token": true, "secret": true,
		"code": true, "recovery_code": true,
		"status_code": false, "outbox_id": false, "request_id": false, "count": false,
		"context": false, "attempt": false, "program_id": false, "msg": false,
	} {
		if got := SensitiveKey(k); got != want {
			t.Errorf("SensitiveKey(%q) = %v, want %v", k, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"mail to a.b+c@example.co.uk now":            "mail to [redacted] now",
		"from 10.0.0.1:8080":                         "from [redacted]:8080",
		"peer [fe80::1]:443":                         "peer [[redacted]]:443",
		"loopback ::1 here":                          "loopback [redacted] here",
		"at 12:30:45 on 2026-03-01":                  "at 12:30:45 on 2026-03-01",
		"id 0190f4a2-7c1e-7b55-9a3e-3f9a1b2c4d5e ok": "id 0190f4a2-7c1e-7b55-9a3e-3f9a1b2c4d5e ok",
		"key dGhpc2lzYXNlY3JldHRva2VuMTIzNDU=":       "key [redacted]",
		"Authorization: Bearer abc":                  "Authorization: [redacted]",
		"snake_case_identifier_long_enough":          "snake_case_identifier_long_enough",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{"", "a@b", canaryEmail, canaryIPv4, canaryIPv6, "[::1]:80", "fe80::1%eth0",
		canaryToken, canaryBearer, "1.2.3.4.5.6", ":::::", "@@@", "é@ü.de", "\xff@\xfe", "2001:db8::1:443"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Redact(s)
		text := RedactText(s)
		if utf8.ValidString(s) && (!utf8.ValidString(out) || !utf8.ValidString(text)) {
			t.Fatalf("redaction broke UTF-8: %q -> %q / %q", s, out, text)
		}
		if m := emailRe.FindString(out); m != "" {
			t.Fatalf("Redact(%q) = %q still holds an address %q", s, out, m)
		}
		// The logger must not panic on the same input in any position.
		var buf bytes.Buffer
		New(&buf, "debug").Info(s, s, s, "email", s, "v", s)
		_ = SensitiveKey(s)
	})
}
