package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// famMatrixConsent signs a fresh consent of the matrix alumnus and returns
// its id.
func famMatrixConsent(f *admFixture) string {
	c, err := members.CreateConsent(context.Background(), f.e.db, f.e.auth, f.e.users[access.Alumnus].Actor("matrix"),
		famConsentInput(fmt.Sprintf("kin-%s@example.test", randomString(6))))
	if err != nil {
		f.e.t.Fatal(err)
	}
	return c.ID
}

func famConsentInput(email string) members.ConsentInput {
	return members.ConsentInput{RecipientName: "Pat Rivera", RecipientEmail: email, Share: []members.Category{members.ShareCoach},
		Purpose: "Family support", AcknowledgeRevocation: true, ExpiresOn: "2099-12-31", Signature: "Alex Rivera"}
}

var famInviteLink = regexp.MustCompile(`/invite/([A-Za-z0-9_-]{22})`)

func TestFamilyConsentFlow(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := admEnv(t, d)
		ctx := context.Background()
		alex := e.users[access.Alumnus]
		alexCookie, _ := admSession(t, e, alex)
		e.assignCoach(t, alex)

		// Every missing element is named, and nothing is stored.
		rec := e.do(http.MethodPost, "/family/consents/new", url.Values{"recipient_email": {""}}, alexCookie)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("empty consent: %d", rec.Code)
		}
		for _, want := range []string{"what is disclosed", "to whom", "purpose of the disclosure", "you can revoke this consent at any time", "(expiry)", "(signature)"} {
			if !strings.Contains(rec.Body.String(), want) {
				t.Errorf("empty consent page does not name %q", want)
			}
		}
		if n := admCount(t, d, `SELECT COUNT(*) FROM consents`); n != 0 {
			t.Fatalf("stored %d consents", n)
		}

		form := url.Values{"share": {"milestones", "coach"}, "recipient_name": {"Pat Rivera"}, "recipient_email": {"pat@example.test"},
			"purpose": {"Support at home"}, "acknowledge_revocation": {"yes"}, "expires_on": {"2099-12-31"}, "signature": {"alex rivera"}}
		rec = e.do(http.MethodPost, "/family/consents/new", form, alexCookie)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("consent: %d %s", rec.Code, rec.Body.String())
		}
		var body string
		if err := d.QueryRow(ctx, `SELECT body_text FROM mail_outbox WHERE to_address = 'pat@example.test'`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		m := famInviteLink.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no invitation link")
		}
		pat, err := e.auth.AcceptInvitation(ctx, m[1], "=Pat", "Rivera", testPassword, "req")
		if err != nil {
			t.Fatal(err)
		}
		patCookie, _ := admSession(t, e, pat)

		rec = e.do(http.MethodGet, "/family", nil, patCookie)
		page := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(page, members.RedisclosureNotice) || !strings.Contains(page, "Casey N.") ||
			!strings.Contains(page, "Alex R.") {
			t.Fatalf("family page %d: %s", rec.Code, page)
		}
		// Someone else's family member sees nothing of Alex.
		samCookie, _ := admSession(t, e, e.users[access.Family])
		if page := e.do(http.MethodGet, "/family", nil, samCookie).Body.String(); strings.Contains(page, "Alex R.") {
			t.Error("an unlinked family member sees Alex")
		}

		rec = e.do(http.MethodGet, "/family/disclosures", nil, alexCookie)
		if rec.Code != http.StatusOK || strings.Count(rec.Body.String(), "=Pat Rivera") != 1 {
			t.Fatalf("disclosures page %d: %s", rec.Code, rec.Body.String())
		}
		rec = e.do(http.MethodGet, "/family/disclosures.csv", nil, alexCookie)
		csv := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") ||
			!strings.Contains(csv, "'=Pat Rivera") || strings.Contains(csv, ",=Pat") {
			t.Fatalf("csv %d %q", rec.Code, csv)
		}

		// Revocation: the family member's very next request shows nothing.
		var id string
		if err := d.QueryRow(ctx, `SELECT id FROM consents WHERE recipient_email = 'pat@example.test'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if rec := e.do(http.MethodPost, "/family/consents/"+id+"/revoke", nil, patCookie); rec.Code != http.StatusNotFound {
			t.Errorf("family revokes: %d", rec.Code)
		}
		if rec := e.do(http.MethodPost, "/family/consents/"+id+"/revoke", nil, alexCookie); rec.Code != http.StatusSeeOther {
			t.Fatalf("revoke: %d", rec.Code)
		}
		page = e.do(http.MethodGet, "/family", nil, patCookie).Body.String()
		if strings.Contains(page, "Alex R.") || strings.Contains(page, "Casey N.") {
			t.Fatal("revoked consent still shows data")
		}
		if rec := e.do(http.MethodGet, "/family/consents", nil, alexCookie); !strings.Contains(rec.Body.String(), "Revoked") {
			t.Error("consent list does not show the revocation")
		}
	})
}
