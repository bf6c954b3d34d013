package safety

import (
	"errors"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

const testPassword = "correct horse battery staple"

func TestSuspensionRefusesSignInUntilLifted(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		svc := auth.New(d, auth.Options{SecretKey: []byte("0123456789abcdef0123456789abcdef"), BaseURL: "http://cairn.test",
			Argon: auth.CheapArgon2ParamsForTests()})
		u, err := svc.CreateUser(w.ctx, access.System(w.prog), auth.NewUser{ProgramID: w.prog, Email: "spammy@example.test",
			FirstName: "Spam", LastName: "Bot", Role: access.Alumnus, Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := svc.SignIn(w.ctx, "spammy@example.test", testPassword, "192.0.2.1", "test", "r1")
		if err != nil {
			t.Fatal(err)
		}
		rawAPI, _, err := svc.CreateToken(w.ctx, u.Actor("r"), "script")
		if err != nil {
			t.Fatal(err)
		}
		id, err := Report(w.ctx, d, w.alex, ReportInput{Kind: KindPerson, ID: u.ID, Reason: "spam"})
		if err != nil {
			t.Fatal(err)
		}
		var fe *FieldError
		if err := Suspend(w.ctx, d, w.coord, id, SuspendInput{}); !errors.As(err, &fe) || fe.Field != "reason" {
			t.Errorf("no reason: %v", err)
		}
		if err := Suspend(w.ctx, d, w.coord, id, SuspendInput{Reason: "spam", Until: "yesterday"}); !errors.As(err, &fe) || fe.Field != "until" {
			t.Errorf("bad date: %v", err)
		}
		if err := Suspend(w.ctx, d, w.coord, id, SuspendInput{Reason: "spam", Until: "2001-01-01"}); !errors.As(err, &fe) || fe.Field != "until" {
			t.Errorf("past date: %v", err)
		}
		if _, _, err := svc.Authenticate(w.ctx, token); err != nil {
			t.Fatalf("a refused suspension ended the session: %v", err)
		}
		if err := Suspend(w.ctx, d, w.coord, id, SuspendInput{Reason: "selling pills"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Authenticate(w.ctx, token); !errors.Is(err, auth.ErrNoSession) {
			t.Errorf("session after suspension: %v", err)
		}
		if _, _, err := svc.AuthenticateToken(w.ctx, rawAPI); !errors.Is(err, auth.ErrNoSession) {
			t.Errorf("API token after suspension: %v", err)
		}
		if _, _, err := svc.SignIn(w.ctx, "spammy@example.test", testPassword, "192.0.2.1", "test", "r2"); !errors.Is(err, auth.ErrSuspended) {
			t.Errorf("sign-in while suspended: %v", err)
		}
		if _, _, err := svc.SignIn(w.ctx, "spammy@example.test", "wrong password", "192.0.2.1", "test", "r3"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("a wrong password must not reveal the suspension: %v", err)
		}
		det, err := ReportDetail(w.ctx, d, w.coord, id)
		if err != nil || det.Suspension == nil || !det.Suspension.Until.IsZero() {
			t.Errorf("detail suspension = %+v, %v", det, err)
		}
		if err := LiftSuspension(w.ctx, d, w.coach, id); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("coach lifts: %v", err)
		}
		if err := LiftSuspension(w.ctx, d, w.coord, id); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SignIn(w.ctx, "spammy@example.test", testPassword, "192.0.2.1", "test", "r4"); err != nil {
			t.Errorf("sign-in after lifting: %v", err)
		}
		if _, _, err := svc.AuthenticateToken(w.ctx, rawAPI); err != nil {
			t.Errorf("API token after lifting: %v", err)
		}
		for _, action := range []string{"safety.suspend", "safety.suspend.lift"} {
			if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND subject_id = ?`, action, id); n != 1 {
				t.Errorf("%s audited %d times", action, n)
			}
		}
		// A suspension with an end date ends by itself.
		if err := Suspend(w.ctx, d, w.admin, id, SuspendInput{Reason: "cool off", Until: time.Now().UTC().Format("2006-01-02")}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SignIn(w.ctx, "spammy@example.test", testPassword, "192.0.2.1", "test", "r5"); !errors.Is(err, auth.ErrSuspended) {
			t.Errorf("sign-in during a dated suspension: %v", err)
		}
		if _, err := d.Exec(w.ctx, `UPDATE suspensions SET ends_at = ? WHERE lifted_at IS NULL`, time.Now().UTC().Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SignIn(w.ctx, "spammy@example.test", testPassword, "192.0.2.1", "test", "r6"); err != nil {
			t.Errorf("sign-in after the end date: %v", err)
		}
	})
}

func TestSuspendStaffOnlyByAdmin(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id, err := Report(w.ctx, d, w.alex, ReportInput{Kind: KindPerson, ID: w.coach.UserID, Reason: "other"})
		if err != nil {
			t.Fatal(err)
		}
		if err := Suspend(w.ctx, d, w.coord, id, SuspendInput{Reason: "x"}); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("coordinator suspends a coach: %v", err)
		}
		if err := Suspend(w.ctx, d, w.admin, id, SuspendInput{Reason: "x"}); err != nil {
			t.Errorf("admin suspends a coach: %v", err)
		}
	})
}
