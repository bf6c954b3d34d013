package auth

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestParseAPIToken(t *testing.T) {
	raw, hash := newAPIToken()
	if len(raw) != APITokenLength || !strings.HasPrefix(raw, "cairn_") || len(raw) != 38 {
		t.Fatalf("new token %q has the wrong shape", raw)
	}
	if h, err := ParseAPIToken(raw); err != nil || h != hash {
		t.Fatalf("ParseAPIToken(new) = %q, %v; want its hash", h, err)
	}
	body := raw[len(APITokenPrefix):]
	// The last character carries only 6 of 6 bits for 24 bytes, so there
	// is no non-canonical twin; still, flipping it must give another hash.
	for _, bad := range []string{
		"", "cairn_", body, "Cairn_" + body, "cairn-" + body, raw + "A", raw[:len(raw)-1],
		"cairn_" + strings.Repeat("A", 31) + "=", "cairn_" + strings.Repeat("+", 32), "cairn_" + strings.Repeat("/", 32),
		"cairn_" + strings.Repeat("A", 31) + "\x00", "cairn_" + strings.Repeat("é", 16), " " + raw, raw[:20] + " " + raw[21:],
	} {
		if _, err := ParseAPIToken(bad); err == nil {
			t.Errorf("ParseAPIToken(%q) accepted", bad)
		}
	}
	// A session token is not an API token, and the other way round.
	session, _ := newToken()
	if _, err := ParseAPIToken(session); err == nil {
		t.Error("a session token parsed as an API token")
	}
	if _, err := ParseToken(raw); err == nil {
		t.Error("an API token parsed as a session token")
	}
}

func FuzzParseAPIToken(f *testing.F) {
	raw, _ := newAPIToken()
	for _, s := range []string{raw, "", "cairn_", "cairn_" + strings.Repeat("A", 32), "cairn_" + strings.Repeat("_", 32), raw[1:] + "x", "%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseAPIToken(s)
		if err != nil {
			if h != "" {
				t.Fatalf("error with a hash for %q", s)
			}
			return
		}
		if len(s) != APITokenLength || len(h) != 64 || !strings.HasPrefix(s, APITokenPrefix) {
			t.Fatalf("accepted %q", s)
		}
		b, err := base64.RawURLEncoding.Strict().DecodeString(s[len(APITokenPrefix):])
		if err != nil || len(b) != apiTokenBytes {
			t.Fatalf("accepted %q that does not decode to %d bytes", s, apiTokenBytes)
		}
		if base64.RawURLEncoding.EncodeToString(b) != s[len(APITokenPrefix):] {
			t.Fatalf("accepted non-canonical %q", s)
		}
	})
}

func TestAPITokenLifecycle(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		alum := f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		other := f.user(access.Alumnus, "other@example.org", "Ot", "Her")

		raw, tok, err := f.s.CreateToken(f.ctx, alum.Actor("r1"), "  Phone app ")
		if err != nil {
			t.Fatal(err)
		}
		if tok.Name != "Phone app" || tok.UserID != alum.ID || tok.ProgramID != f.prog.ID || tok.LastUsedAt != nil {
			t.Fatalf("token = %+v", tok)
		}
		var stored string
		if err := d.QueryRow(f.ctx, `SELECT token_hash FROM api_tokens WHERE id = ?`, tok.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == raw || strings.Contains(stored, raw[6:]) || len(stored) != 64 {
			t.Fatalf("stored %q is not a hash of the token", stored)
		}

		got, u, err := f.s.AuthenticateToken(f.ctx, raw)
		if err != nil || got.ID != tok.ID || u.ID != alum.ID {
			t.Fatalf("AuthenticateToken = %+v, %+v, %v", got, u, err)
		}
		first := f.clock.now().UTC()
		if got.LastUsedAt == nil || !got.LastUsedAt.Equal(first) {
			t.Fatalf("last used %v, want %v", got.LastUsedAt, first)
		}
		// Within a minute: not written again.
		f.clock.add(30 * time.Second)
		if _, _, err := f.s.AuthenticateToken(f.ctx, raw); err != nil {
			t.Fatal(err)
		}
		list, err := f.s.ListTokens(f.ctx, alum.Actor("r"))
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(first) {
			t.Fatalf("ListTokens after 30 s = %+v, %v; want last used %v", list, err, first)
		}
		f.clock.add(31 * time.Second)
		if _, _, err := f.s.AuthenticateToken(f.ctx, raw); err != nil {
			t.Fatal(err)
		}
		list, _ = f.s.ListTokens(f.ctx, alum.Actor("r"))
		if want := f.clock.now().UTC(); list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(want) {
			t.Fatalf("last used %v, want %v", list[0].LastUsedAt, want)
		}

		// Nobody else sees or revokes it.
		if l, err := f.s.ListTokens(f.ctx, other.Actor("r")); err != nil || len(l) != 0 {
			t.Fatalf("other's list = %v, %v", l, err)
		}
		if err := f.s.RevokeToken(f.ctx, other.Actor("r"), tok.ID); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("other revoking: %v", err)
		}
		if _, err := f.s.ListTokens(f.ctx, access.Actor{}); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("anonymous list: %v", err)
		}

		if err := f.s.RevokeToken(f.ctx, alum.Actor("r"), tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.s.AuthenticateToken(f.ctx, raw); !errors.Is(err, ErrNoSession) {
			t.Fatalf("revoked token: %v", err)
		}
		if err := f.s.RevokeToken(f.ctx, alum.Actor("r"), tok.ID); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("revoking twice: %v", err)
		}
		if l, _ := f.s.ListTokens(f.ctx, alum.Actor("r")); len(l) != 0 {
			t.Fatalf("revoked token still listed: %+v", l)
		}
		if f.countAudit("api_token.create", tok.ID) != 1 || f.countAudit("api_token.revoke", tok.ID) != 1 {
			t.Fatal("create and revoke not audited once each")
		}
		for _, r := range f.audits() {
			if strings.Contains(r.detail, raw) || strings.Contains(r.detail, stored) {
				t.Fatal("the audit log holds the token or its hash")
			}
		}

		for _, bad := range []string{"", "cairn_" + strings.Repeat("A", 32), raw[:37] + "x"} {
			if _, _, err := f.s.AuthenticateToken(f.ctx, bad); !errors.Is(err, ErrNoSession) {
				t.Errorf("AuthenticateToken(%q) = %v", bad, err)
			}
		}
	})
}

func TestAPITokenNamesAndLimit(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		alum := f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		_, tok, err := f.s.CreateToken(f.ctx, alum.Actor("r"), "")
		if err != nil || tok.Name != DefaultAPITokenName {
			t.Fatalf("empty name: %+v, %v", tok, err)
		}
		_, _, err = f.s.CreateToken(f.ctx, alum.Actor("r"), strings.Repeat("x", 101))
		wantField(t, err, "name")
		_, _, err = f.s.CreateToken(f.ctx, alum.Actor("r"), "bad\x07name")
		wantField(t, err, "name")
		if _, _, err := f.s.CreateToken(f.ctx, access.Actor{}, "x"); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("anonymous create: %v", err)
		}
		for i := 1; i < MaxAPITokens; i++ {
			if _, _, err := f.s.CreateToken(f.ctx, alum.Actor("r"), "t"); err != nil {
				t.Fatal(err)
			}
		}
		_, _, err = f.s.CreateToken(f.ctx, alum.Actor("r"), "one too many")
		wantField(t, err, "name")
	})
}

func TestCreateTokenForAndDisabledAccount(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := f.user(access.Admin, "admin@example.org", "Ad", "Min")
		alum := f.user(access.Alumnus, "alum@example.org", "Al", "Um")

		if _, _, err := f.s.CreateTokenFor(f.ctx, admin.Actor("r"), "alum@example.org", "x"); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("CreateTokenFor by a person: %v", err)
		}
		_, _, err := f.s.CreateTokenFor(f.ctx, access.System(""), "nobody@example.org", "x")
		wantField(t, err, "email")
		_, _, err = f.s.CreateTokenFor(f.ctx, access.System(""), "not an email", "x")
		wantField(t, err, "email")
		_, _, err = f.s.CreateTokenFor(f.ctx, access.System("another-program"), "alum@example.org", "x")
		wantField(t, err, "email")

		raw, tok, err := f.s.CreateTokenFor(f.ctx, access.System(""), " ALUM@example.org ", "EHR sync")
		if err != nil || tok.UserID != alum.ID || tok.Name != "EHR sync" {
			t.Fatalf("CreateTokenFor = %+v, %v", tok, err)
		}
		if _, u, err := f.s.AuthenticateToken(f.ctx, raw); err != nil || u.ID != alum.ID {
			t.Fatalf("authenticate: %v", err)
		}
		if f.countAudit("api_token.create", tok.ID) != 1 {
			t.Fatal("not audited")
		}

		if err := f.s.SetDisabled(f.ctx, admin.Actor("r"), alum.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.s.AuthenticateToken(f.ctx, raw); !errors.Is(err, ErrNoSession) {
			t.Fatalf("token of a disabled account: %v", err)
		}
		_, _, err = f.s.CreateTokenFor(f.ctx, access.System(""), "alum@example.org", "x")
		wantField(t, err, "email")
		if _, _, err := f.s.CreateToken(f.ctx, alum.Actor("r"), "x"); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("disabled account creating a token: %v", err)
		}
	})
}
