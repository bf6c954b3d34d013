package auth

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enrol signs the coach in and completes enrolment, returning the secret,
// the full-session token and the recovery codes.
func enrol(t *testing.T, f *fixture, email string) (string, string, []string) {
	t.Helper()
	token, sess := f.signIn(email, "10.0.0.1")
	if sess.Stage != StageEnroll {
		t.Fatalf("staff without TOTP at stage %q, want enroll", sess.Stage)
	}
	secret, url, err := f.s.BeginEnrollment(f.ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "otpauth://totp/Cairn:") || !strings.Contains(url, "issuer=Cairn") || !strings.Contains(url, "secret="+secret) {
		t.Fatalf("otpauth URL %q", url)
	}
	if _, _, err := f.s.CompleteEnrollment(f.ctx, token, "000000", "r"); err != nil {
		wantField(t, err, "code")
	}
	full, codes, err := f.s.CompleteEnrollment(f.ctx, token, code(t, secret, f.clock.now()), "r")
	if err != nil {
		t.Fatal(err)
	}
	f.noAuth(token, "enrolment token after rotation")
	s, u := f.mustAuth(full)
	if s.Stage != StageFull || !u.TOTPEnabled {
		t.Fatalf("after enrolment: stage %q, TOTP %v", s.Stage, u.TOTPEnabled)
	}
	return secret, full, codes
}

func TestTOTPEnrolAndVerify(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		coach := f.user(access.Coach, "coach@example.org", "Co", "Ach")
		secret, _, codes := enrol(t, f, "coach@example.org")
		if len(codes) != 10 {
			t.Fatalf("%d recovery codes", len(codes))
		}
		var stored string
		if err := d.QueryRow(f.ctx, `SELECT totp_secret FROM users WHERE id = ?`, coach.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, secret) {
			t.Fatalf("TOTP secret stored as %q, want sealed", stored)
		}
		if f.countAudit("totp.enrol", coach.ID) != 1 {
			t.Fatal("enrolment not audited")
		}

		// The code used at enrolment cannot be used again.
		used := code(t, secret, f.clock.now())
		token, sess := f.signIn("coach@example.org", "10.0.0.1")
		if sess.Stage != StageSecondFactor {
			t.Fatalf("stage %q, want second_factor", sess.Stage)
		}
		_, err := f.s.VerifySecondFactor(f.ctx, token, used, "r")
		wantField(t, err, "code")

		// The next step's code works, once, and rotates the token.
		f.clock.add(30 * time.Second)
		fresh := code(t, secret, f.clock.now())
		full, err := f.s.VerifySecondFactor(f.ctx, token, fresh, "r")
		if err != nil {
			t.Fatal(err)
		}
		f.noAuth(token, "second-factor token after verification")
		if s, _ := f.mustAuth(full); s.Stage != StageFull {
			t.Fatalf("stage %q after verification", s.Stage)
		}
		if _, err := f.s.VerifySecondFactor(f.ctx, full, fresh, "r"); !errors.Is(err, ErrNoSession) {
			t.Fatalf("verify on a full session: %v", err)
		}
		token2, _ := f.signIn("coach@example.org", "10.0.0.1")
		_, err = f.s.VerifySecondFactor(f.ctx, token2, fresh, "r")
		wantField(t, err, "code") // replay of the same step
		// Codes one step old or ahead are accepted (clock skew).
		f.clock.add(60 * time.Second)
		if _, err := f.s.VerifySecondFactor(f.ctx, token2, code(t, secret, f.clock.now().Add(-30*time.Second)), "r"); err != nil {
			t.Fatalf("code of the previous step: %v", err)
		}
		if f.countAudit("totp.verify.failure", coach.ID) < 2 {
			t.Fatal("failed codes not audited")
		}

		// A recovery code works once, however it is typed.
		token3, _ := f.signIn("coach@example.org", "10.0.0.1")
		typed := "  " + strings.ToUpper(strings.ReplaceAll(codes[3], "-", " ")) + " "
		if _, err := f.s.VerifySecondFactor(f.ctx, token3, typed, "r"); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		token4, _ := f.signIn("coach@example.org", "10.0.0.1")
		_, err = f.s.VerifySecondFactor(f.ctx, token4, codes[3], "r")
		wantField(t, err, "code")
		if _, err := f.s.VerifySecondFactor(f.ctx, token4, codes[4], "r"); err != nil {
			t.Fatalf("another recovery code: %v", err)
		}
		if f.countAudit("recovery_code.use", coach.ID) != 2 {
			t.Fatal("recovery code use not audited")
		}
		var hashes []string
		rows, err := d.Query(f.ctx, `SELECT code_hash FROM recovery_codes WHERE user_id = ?`, coach.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var h string
			rows.Scan(&h)
			hashes = append(hashes, h)
		}
		rows.Close()
		for _, h := range hashes {
			for _, c := range codes {
				if strings.Contains(h, c) || strings.Contains(h, strings.ReplaceAll(c, "-", "")) {
					t.Fatal("recovery code stored in the clear")
				}
			}
		}
	})
}

func TestTOTPThrottleAndStages(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.user(access.Coach, "coach@example.org", "Co", "Ach")
		f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		secret, full, _ := enrol(t, f, "coach@example.org")
		if _, _, err := f.s.BeginEnrollment(f.ctx, full); !errors.Is(err, ErrNoSession) {
			t.Fatalf("BeginEnrollment on a full session: %v", err)
		}
		member, _ := f.signIn("alum@example.org", "10.0.0.2")
		if _, _, err := f.s.BeginEnrollment(f.ctx, member); !errors.Is(err, ErrNoSession) {
			t.Fatalf("BeginEnrollment for a member at stage full: %v", err)
		}

		token, _ := f.signIn("coach@example.org", "10.0.0.1")
		// Wrong codes count toward a throttle of their own.
		for i := range accountFreeFailures {
			_, err := f.s.VerifySecondFactor(f.ctx, token, "12345"+string(rune('0'+i)), "r")
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		// The next step's code (within the skew) is right, but must wait.
		_, err := f.s.VerifySecondFactor(f.ctx, token, code(t, secret, f.clock.now().Add(30*time.Second)), "r")
		if err == nil {
			t.Fatal("right code accepted while throttled")
		}
		wantThrottled(t, err)
		f.clock.add(pendingLifetime)
		f.noAuth(token, "second-factor session past its short lifetime")
	})
}

func TestDemoStaffSkipsEnrolment(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, func(o *Options) { o.Demo = true })
		f.user(access.Admin, "admin@example.org", "Ad", "Min")
		_, sess := f.signIn("admin@example.org", "10.0.0.1")
		if sess.Stage != StageFull {
			t.Fatalf("demo admin at stage %q", sess.Stage)
		}
	})
}
