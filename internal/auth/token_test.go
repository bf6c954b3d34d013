package auth

import (
	"strings"
	"testing"
)

func TestParseToken(t *testing.T) {
	tok, hash := newToken()
	if len(tok) != TokenLength {
		t.Fatalf("token %q has length %d", tok, len(tok))
	}
	got, err := ParseToken(tok)
	if err != nil || got != hash {
		t.Fatalf("ParseToken(own token) = %q, %v", got, err)
	}
	for _, bad := range []string{"", tok[:21], tok + "A", strings.Repeat("A", 21) + "B", // B has bits past the 128th
		"AAAAAAAAAAAAAAAAAAAA+A", "AAAAAAAAAAAAAAAAAAAA/A", "AAAAAAAAAAAAAAAAAAAA=A", "AAAAAAAAAAAAAAAAAAAA A",
		"AAAAAAAAAAAAAAAAAAAAé", "' OR 1=1 --AAAAAAAAAAA"} {
		if _, err := ParseToken(bad); err == nil {
			t.Errorf("ParseToken(%q) accepted", bad)
		}
	}
}

func FuzzParseToken(f *testing.F) {
	tok, _ := newToken()
	for _, s := range []string{tok, "", "AAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAB", "%00", strings.Repeat("_", 22)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseToken(s)
		if err != nil {
			return
		}
		if len(s) != TokenLength || len(h) != 64 {
			t.Fatalf("accepted %q", s)
		}
		for _, c := range s {
			if !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", c) {
				t.Fatalf("accepted %q with %q", s, c)
			}
		}
	})
}

func FuzzCleanCode(f *testing.F) {
	for _, s := range []string{"123 456", "abcd-efgh-ij", "ABCD EFGH IJ", strings.Repeat("-", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := cleanCode(s)
		if len(c) > 64 || strings.ContainsAny(c, " -") {
			t.Fatalf("cleanCode(%q) = %q", s, c)
		}
	})
}

func TestThrottleDelay(t *testing.T) {
	if d := throttleDelay(4, 5); d != 0 {
		t.Errorf("4th failure delay %v, want 0", d)
	}
	prev := throttleDelay(5, 5)
	if prev <= 0 {
		t.Fatalf("5th failure delay %v, want > 0", prev)
	}
	for n := 6; n < 40; n++ {
		d := throttleDelay(n, 5)
		if d < prev || d > maxDelay {
			t.Fatalf("delay %d = %v after %v (cap %v)", n, d, prev, maxDelay)
		}
		prev = d
	}
	if prev != maxDelay {
		t.Fatalf("delay never reaches the cap: %v", prev)
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes := newRecoveryCodes()
	if len(codes) != RecoveryCodeCount {
		t.Fatalf("%d codes", len(codes))
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 12 || c[4] != '-' || c[9] != '-' {
			t.Fatalf("code %q not shaped xxxx-xxxx-xx", c)
		}
		for _, r := range strings.ReplaceAll(c, "-", "") {
			if !strings.ContainsRune(recoveryAlphabet, r) {
				t.Fatalf("code %q has %q outside base32", c, r)
			}
		}
		if seen[c] {
			t.Fatalf("duplicate code %q", c)
		}
		seen[c] = true
	}
}

func TestDisplayName(t *testing.T) {
	tests := []struct {
		u    User
		want string
	}{
		{User{FirstName: "Alex", LastName: "rivera", Email: "a@x.org"}, "Alex R."},
		{User{FirstName: "Alex", Email: "a@x.org"}, "Alex"},
		{User{Email: "sam.k@x.org"}, "sam.k"},
		{User{FirstName: "Zoë", LastName: "Émile"}, "Zoë É."},
	}
	for _, tt := range tests {
		if got := tt.u.DisplayName(); got != tt.want {
			t.Errorf("DisplayName(%+v) = %q, want %q", tt.u, got, tt.want)
		}
	}
}
