package config

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func load(t *testing.T, env map[string]string, args ...string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c, validate := Flags(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return c, validate()
}

func TestDefaults(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DataDir != "./cairn-data" || c.BaseURL != "http://127.0.0.1:8080" {
		t.Errorf("defaults: %+v", c)
	}
	if c.StaffIdle != 30*time.Minute || c.MemberIdle != 12*time.Hour || c.SessionLifetime != 30*24*time.Hour {
		t.Errorf("session timeouts: %v %v %v", c.StaffIdle, c.MemberIdle, c.SessionLifetime)
	}
	if c.MaxBodyBytes != 1<<20 || c.TLS() || c.DatabaseTarget() != filepath.Join("cairn-data", "cairn.db") {
		t.Errorf("body cap %d, TLS %v, target %q", c.MaxBodyBytes, c.TLS(), c.DatabaseTarget())
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	c, err := load(t, map[string]string{"CAIRN_ADDR": "127.0.0.1:9000", "CAIRN_BASE_URL": "https://alumni.example.org/"},
		"-addr", "127.0.0.1:9100")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9100" || c.BaseURL != "https://alumni.example.org" || !c.TLS() {
		t.Errorf("got addr %q base %q", c.Addr, c.BaseURL)
	}
}

// TestBadSettingsNameTheSetting: every bad value stops start-up with an
// error that names the environment variable.
func TestBadSettingsNameTheSetting(t *testing.T) {
	tests := []struct {
		env     map[string]string
		setting string
	}{
		{map[string]string{"CAIRN_ADDR": "nonsense"}, "CAIRN_ADDR"},
		{map[string]string{"CAIRN_DATABASE_URL": "mysql://x"}, "CAIRN_DATABASE_URL"},
		{map[string]string{"CAIRN_BASE_URL": "ftp://x"}, "CAIRN_BASE_URL"},
		{map[string]string{"CAIRN_SECRET_KEY": "short"}, "CAIRN_SECRET_KEY"},
		{map[string]string{"CAIRN_STAFF_IDLE_TIMEOUT": "soon"}, "CAIRN_STAFF_IDLE_TIMEOUT"},
		{map[string]string{"CAIRN_MEMBER_IDLE_TIMEOUT": "-1h"}, "CAIRN_MEMBER_IDLE_TIMEOUT"},
		{map[string]string{"CAIRN_SESSION_LIFETIME": "0s"}, "CAIRN_SESSION_LIFETIME"},
		{map[string]string{"CAIRN_MAX_BODY_BYTES": "12kb"}, "CAIRN_MAX_BODY_BYTES"},
		{map[string]string{"CAIRN_MAX_BODY_BYTES": "10"}, "CAIRN_MAX_BODY_BYTES"},
		{map[string]string{"CAIRN_TRUST_PROXY": "maybe"}, "CAIRN_TRUST_PROXY"},
		{map[string]string{"CAIRN_LOG_LEVEL": "loud"}, "CAIRN_LOG_LEVEL"},
		{map[string]string{"CAIRN_API_RATE": "fast"}, "CAIRN_API_RATE"},
		{map[string]string{"CAIRN_API_RATE": "0"}, "CAIRN_API_RATE"},
		{map[string]string{"CAIRN_API_RATE": "NaN"}, "CAIRN_API_RATE"},
		{map[string]string{"CAIRN_API_RATE": "20req"}, "CAIRN_API_RATE"},
		{map[string]string{"CAIRN_SMTP_URL": "http://mail"}, "CAIRN_SMTP_URL"},
		{map[string]string{"CAIRN_DEMO_PASSWORD": "abc"}, "CAIRN_DEMO_PASSWORD"},
	}
	for _, tt := range tests {
		_, err := load(t, tt.env)
		var ce *Error
		if !errors.As(err, &ce) || ce.Setting != tt.setting {
			t.Errorf("%v: got %v, want an error naming %s", tt.env, err, tt.setting)
		}
	}
}

func TestSecretKeyGeneratedOnce(t *testing.T) {
	dir := t.TempDir()
	c := &Config{DataDir: dir}
	if err := c.EnsureSecretKey(); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("secret.key mode %v, want 0600", info.Mode().Perm())
	}
	again := &Config{DataDir: dir}
	if err := again.EnsureSecretKey(); err != nil {
		t.Fatal(err)
	}
	if string(again.SecretKey) != string(c.SecretKey) || len(c.SecretKey) < 32 {
		t.Errorf("second start read a different or short key")
	}
	set := &Config{DataDir: t.TempDir(), SecretKey: []byte("from-the-environment-0123456789ab")}
	if err := set.EnsureSecretKey(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(set.DataDir, "secret.key")); !os.IsNotExist(err) {
		t.Errorf("a key file was written although CAIRN_SECRET_KEY was set")
	}
}
