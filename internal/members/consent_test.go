package members

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// familyAuth is an account service for consent tests.
func familyAuth(d *db.DB) *auth.Service {
	return auth.New(d, auth.Options{SecretKey: []byte("0123456789abcdef0123456789abcdef"), BaseURL: "http://cairn.test",
		Argon: auth.CheapArgon2ParamsForTests()})
}

// goodConsent is a complete consent form signed by Alex Rivera.
func goodConsent(email string) ConsentInput {
	return ConsentInput{RecipientName: "Jordan Rivera", RecipientEmail: email,
		Share: []Category{ShareMilestones, ShareCoach}, Purpose: "So my family can celebrate with me.",
		AcknowledgeRevocation: true, ExpiresOn: "2099-12-31", Signature: "  alex   RIVERA "}
}

func countRows(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestConsentRefusesEachMissingElement(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := familyAuth(d)
		cases := []struct {
			name, field string
			mod         func(*ConsentInput)
		}{
			{"what", "share", func(in *ConsentInput) { in.Share = nil }},
			{"what unknown", "share", func(in *ConsentInput) { in.Share = []Category{"diagnosis"} }},
			{"to whom (name)", "recipient_name", func(in *ConsentInput) { in.RecipientName = " " }},
			{"to whom (email)", "recipient_email", func(in *ConsentInput) { in.RecipientEmail = "" }},
			{"to whom (bad email)", "recipient_email", func(in *ConsentInput) { in.RecipientEmail = "jordan" }},
			{"purpose", "purpose", func(in *ConsentInput) { in.Purpose = "" }},
			{"right to revoke", "acknowledge_revocation", func(in *ConsentInput) { in.AcknowledgeRevocation = false }},
			{"expiry", "expiry", func(in *ConsentInput) { in.ExpiresOn, in.ExpiryEvent = "", "" }},
			{"expiry bad date", "expires_on", func(in *ConsentInput) { in.ExpiresOn = "2099-02-30" }},
			{"expiry past", "expires_on", func(in *ConsentInput) { in.ExpiresOn = "2001-01-01" }},
			{"signature", "signature", func(in *ConsentInput) { in.Signature = "" }},
			{"signature not the name", "signature", func(in *ConsentInput) { in.Signature = "Jordan Rivera" }},
		}
		for _, c := range cases {
			in := goodConsent("jordan@example.test")
			c.mod(&in)
			_, err := CreateConsent(w.ctx, d, a, w.alex, in)
			var ve ValidationError
			if !errors.As(err, &ve) || ve.For(c.field) == "" {
				t.Errorf("%s: err = %v, want a problem with %s", c.name, err, c.field)
			}
		}
		if n := countRows(t, d, "consents") + countRows(t, d, "invitations") + countRows(t, d, "mail_outbox"); n != 0 {
			t.Fatalf("refused consents stored %d rows", n)
		}
		// An event instead of a date is a valid expiry.
		in := goodConsent("jordan@example.test")
		in.ExpiresOn, in.ExpiryEvent = "", "When I finish my aftercare plan"
		c, err := CreateConsent(w.ctx, d, a, w.alex, in)
		if err != nil {
			t.Fatal(err)
		}
		if c.Version != 1 || c.PatientName != "Alex Rivera" || c.Discloser != "Harbor Light" || c.SignedOn != chicagoToday(t) {
			t.Errorf("consent %+v", c)
		}
	})
}

func TestConsentOnlyByTheAlumnus(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := familyAuth(d)
		for _, who := range []access.Actor{w.coach, w.staff, w.family, {}} {
			if _, err := CreateConsent(w.ctx, d, a, who, goodConsent("jordan@example.test")); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s creates a consent: %v", who.Role, err)
			}
			if _, err := ListConsents(w.ctx, d, who); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s lists consents: %v", who.Role, err)
			}
		}
		c, err := CreateConsent(w.ctx, d, a, w.alex, goodConsent("jordan@example.test"))
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []access.Actor{w.peer, w.coach, w.family, w.alien} {
			if _, err := RevokeConsent(w.ctx, d, who, c.ID); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s revokes alex's consent: %v", who.Role, err)
			}
		}
		// An email with an account is never linked by a form.
		var famEmail string
		_ = d.QueryRow(w.ctx, `SELECT email FROM users WHERE id = ?`, w.family.UserID).Scan(&famEmail)
		_, err = CreateConsent(w.ctx, d, a, w.alex, goodConsent(famEmail))
		wantField(t, err, "recipient_email")
	})
}

var inviteLink = regexp.MustCompile(`/invite/([A-Za-z0-9_-]{22})`)

// acceptFamilyInvite accepts the invitation found in the newest queued
// email to email and returns the new family member.
func acceptFamilyInvite(t *testing.T, d *db.DB, a *auth.Service, email string) access.Actor {
	t.Helper()
	var text string
	if err := d.QueryRow(context.Background(), `SELECT body_text FROM mail_outbox WHERE to_address = ? ORDER BY created_at DESC LIMIT 1`, email).Scan(&text); err != nil {
		t.Fatalf("invitation email: %v", err)
	}
	if !strings.Contains(text, RedisclosureNotice) {
		t.Errorf("invitation email lacks the redisclosure notice")
	}
	m := inviteLink.FindStringSubmatch(text)
	if m == nil {
		t.Fatal("no link in the invitation email")
	}
	u, err := a.AcceptInvitation(context.Background(), m[1], "Jordan", "Rivera", "blue lanterns at dusk", "req-accept")
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	if u.Role != access.Family {
		t.Fatalf("role %s", u.Role)
	}
	return u.Actor("req-family")
}

func TestConsentInvitationLinksAndRevocation(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := familyAuth(d)
		if err := SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, chicagoToday(t).AddDays(-40), ""); err != nil {
			t.Fatal(err)
		}
		c, err := CreateConsent(w.ctx, d, a, w.alex, goodConsent("Jordan@Example.test"))
		if err != nil {
			t.Fatal(err)
		}
		var invConsent string
		if err := d.QueryRow(w.ctx, `SELECT consent_id FROM invitations WHERE email = 'jordan@example.test' AND role = 'family'`).Scan(&invConsent); err != nil || invConsent != c.ID {
			t.Fatalf("invitation consent %q %v", invConsent, err)
		}
		fam := acceptFamilyInvite(t, d, a, "jordan@example.test")

		view, err := FamilyView(w.ctx, d, fam, ChannelPage)
		if err != nil || len(view) != 1 {
			t.Fatalf("family view %v %v", view, err)
		}
		v := view[0]
		if v.AlumnusName != "Alex R." || v.Coach == nil || v.Coach.Names[0] != "Casey M." || v.Milestones == nil || len(v.Milestones.Reached) != 2 {
			t.Fatalf("family sees %+v", v)
		}
		// Other people see nothing through this consent.
		for _, who := range []access.Actor{w.family, w.alex, w.coach} {
			if got, err := FamilyView(w.ctx, d, who, ChannelPage); len(got) != 0 {
				t.Errorf("%s sees %v %v", who.Role, got, err)
			}
		}

		// Disclosures: one per category shown, each listed exactly once.
		list, err := ListDisclosures(w.ctx, d, w.alex)
		if err != nil || len(list) != 2 {
			t.Fatalf("disclosures %d %v", len(list), err)
		}
		seen := map[Category]int{}
		for _, x := range list {
			seen[x.Category]++
			if x.RecipientID != fam.UserID || x.RecipientName != "Jordan Rivera" || x.ConsentID != c.ID || x.RequestID != "req-family" {
				t.Errorf("disclosure %+v", x)
			}
		}
		if seen[ShareCoach] != 1 || seen[ShareMilestones] != 1 {
			t.Errorf("categories %v", seen)
		}
		if _, err := ListDisclosures(w.ctx, d, fam); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("family reads the accounting: %v", err)
		}
		var audited int
		_ = d.QueryRow(w.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'disclosure'`).Scan(&audited)
		if audited != 2 {
			t.Errorf("audited disclosures %d", audited)
		}

		// A new version supersedes the first, without a new invitation.
		in := goodConsent("jordan@example.test")
		in.Share = []Category{ShareCoach}
		c2, err := CreateConsent(w.ctx, d, a, w.alex, in)
		if err != nil || c2.Version != 2 || c2.Supersedes != c.ID {
			t.Fatalf("version 2 %+v %v", c2, err)
		}
		if n := countRows(t, d, "invitations"); n != 1 {
			t.Errorf("invitations %d", n)
		}
		view, _ = FamilyView(w.ctx, d, fam, ChannelPage)
		if len(view) != 1 || view[0].Milestones != nil || view[0].Coach == nil {
			t.Fatalf("after v2 %+v", view)
		}
		all, err := ListConsents(w.ctx, d, w.alex)
		if err != nil || len(all) != 2 || all[1].Status(chicagoToday(t)) != ConsentSuperseded || all[0].Status(chicagoToday(t)) != ConsentActive {
			t.Fatalf("list %+v %v", all, err)
		}

		// Revocation takes effect on the very next request.
		if _, err := RevokeConsent(w.ctx, d, w.alex, c2.ID); err != nil {
			t.Fatal(err)
		}
		if view, err := FamilyView(w.ctx, d, fam, ChannelPage); err != nil || len(view) != 0 {
			t.Fatalf("after revocation %v %v", view, err)
		}
		if _, err := RevokeConsent(w.ctx, d, w.alex, c2.ID); err != nil {
			t.Errorf("revoking twice: %v", err)
		}
		if list, _ := ListDisclosures(w.ctx, d, w.alex); len(list) != 3 {
			t.Errorf("disclosures after revocation %d", len(list))
		}
		for action, want := range map[string]int{"consent.create": 2, "consent.revoke": 2, "consent.list": 1, "invitation.create": 1} {
			var n int
			_ = d.QueryRow(w.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ?`, action).Scan(&n)
			if n != want {
				t.Errorf("audit %s: %d entries, want %d", action, n, want)
			}
		}
	})
}

func TestRevocationDropsQueuedFamilyMail(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := familyAuth(d)
		c, err := CreateConsent(w.ctx, d, a, w.alex, goodConsent("sam@example.test"))
		if err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, d, "mail_outbox"); n != 1 {
			t.Fatalf("queued %d", n)
		}
		// An in-app notification tied to the consent.
		if _, err := d.Exec(w.ctx, `INSERT INTO notifications (id, program_id, user_id, kind, title, created_at, consent_id)
			VALUES ('n1', ?, ?, 'milestone', 'Alex reached 30 days', ?, ?)`, w.prog, w.family.UserID, time.Now().UTC(), c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := RevokeConsent(w.ctx, d, w.alex, c.ID); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, d, "mail_outbox") + countRows(t, d, "notifications"); n != 0 {
			t.Errorf("left %d queued family messages", n)
		}
		var revoked int
		_ = d.QueryRow(w.ctx, `SELECT COUNT(*) FROM invitations WHERE revoked_at IS NOT NULL`).Scan(&revoked)
		if revoked != 1 {
			t.Errorf("invitation still open")
		}
	})
}

func TestExpiredConsentShowsNothing(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := familyAuth(d)
		in := goodConsent("jordan@example.test")
		in.ExpiresOn = chicagoToday(t).String()
		if _, err := CreateConsent(w.ctx, d, a, w.alex, in); err != nil {
			t.Fatal(err)
		}
		fam := acceptFamilyInvite(t, d, a, "jordan@example.test")
		if v, _ := FamilyView(w.ctx, d, fam, ChannelPage); len(v) != 1 {
			t.Fatalf("on the last day: %v", v)
		}
		defer func(old func() time.Time) { ConsentClock = old }(ConsentClock)
		ConsentClock = func() time.Time { return time.Now().Add(72 * time.Hour) }
		if v, _ := FamilyView(w.ctx, d, fam, ChannelPage); len(v) != 0 {
			t.Fatalf("after expiry: %v", v)
		}
	})
}

func TestDisclosuresCSVGuardsFormulas(t *testing.T) {
	list := []*Disclosure{
		{ConsentID: "c1", ConsentVersion: 1, RecipientName: "=HYPERLINK(\"http://x\")", Category: ShareCoach, Channel: ChannelPage,
			RequestID: "+1", DisclosedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)},
		{ConsentID: "c1", ConsentVersion: 1, RecipientName: "@SUM(A1)", Category: ShareMilestones, Channel: ChannelNotification,
			RequestID: "-2", DisclosedAt: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)},
		{ConsentID: "c1", ConsentVersion: 1, RecipientName: "\tTab", Category: ShareMilestones, Channel: ChannelNotification,
			RequestID: "\rx", DisclosedAt: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)},
	}
	var buf bytes.Buffer
	if err := WriteDisclosuresCSV(&buf, list, time.UTC); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(&buf)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "when" || rows[4][0] != RedisclosureNotice {
		t.Fatalf("rows %q", rows)
	}
	for _, row := range rows[1:4] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("unguarded cell %q", cell)
			}
		}
	}
	if rows[1][1] != "'=HYPERLINK(\"http://x\")" || rows[1][0] != "2026-03-01T12:00:00Z" {
		t.Errorf("row %q", rows[1])
	}
}
