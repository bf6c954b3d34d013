package api

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

var apiInviteLink = regexp.MustCompile(`/invite/([A-Za-z0-9_-]{22})`)

func TestMyConsentsAndDisclosures(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		ctx := context.Background()
		alex := e.user(e.program, access.Alumnus, "alex@example.test", "Alex", "Rivera")
		coach := e.user(e.program, access.Coach, "casey@example.test", "Casey", "Nguyen")
		if err := d.Tx(ctx, func(tx *db.Tx) error { return members.AssignCoach(ctx, tx, e.program.ID, alex.ID, coach.ID) }); err != nil {
			t.Fatal(err)
		}
		tok, _ := e.token(alex)
		post := func(body string) *http.Response {
			return e.do(req{method: "POST", path: "/api/v1/me/consents", bearer: tok, contentType: "application/json", body: body}).Result()
		}
		full := map[string]any{"recipient_name": "Pat Rivera", "recipient_email": "pat@example.test", "share": []string{"coach"},
			"purpose": "Support", "acknowledge_revocation": true, "expires_on": "2099-01-01", "signature": "Alex Rivera"}
		for field, mod := range map[string]func(m map[string]any){
			"share":                  func(m map[string]any) { delete(m, "share") },
			"recipient_name":         func(m map[string]any) { m["recipient_name"] = "" },
			"recipient_email":        func(m map[string]any) { delete(m, "recipient_email") },
			"purpose":                func(m map[string]any) { delete(m, "purpose") },
			"acknowledge_revocation": func(m map[string]any) { m["acknowledge_revocation"] = false },
			"expiry":                 func(m map[string]any) { delete(m, "expires_on") },
			"expires_on":             func(m map[string]any) { m["expires_on"] = "01/01/2099" },
			"signature":              func(m map[string]any) { m["signature"] = "Someone Else" },
		} {
			m := map[string]any{}
			for k, v := range full {
				m[k] = v
			}
			mod(m)
			b, _ := json.Marshal(m)
			problem(t, e.do(req{method: "POST", path: "/api/v1/me/consents", bearer: tok, contentType: "application/json", body: string(b)}),
				http.StatusUnprocessableEntity, field)
		}
		problem(t, e.do(req{method: "POST", path: "/api/v1/me/consents", bearer: tok, contentType: "application/json",
			body: `{"share":"coach"}`}), http.StatusBadRequest, "share")

		b, _ := json.Marshal(full)
		res := post(string(b))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
		var created consentJSON
		if err := json.NewDecoder(res.Body).Decode(&created); err != nil || created.Status != "active" || created.Version != 1 ||
			created.Linked || created.Discloser != e.program.Name {
			t.Fatalf("created %+v %v", created, err)
		}
		list := decode[struct{ Items []consentJSON }](t, e.do(req{method: "GET", path: "/api/v1/me/consents", bearer: tok}))
		if len(list.Items) != 1 || list.Items[0].ID != created.ID {
			t.Fatalf("list %+v", list)
		}

		// The family member accepts and looks; the accounting lists it once.
		var body string
		if err := d.QueryRow(ctx, `SELECT body_text FROM mail_outbox WHERE to_address = 'pat@example.test'`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		pat, err := e.auth.AcceptInvitation(ctx, apiInviteLink.FindStringSubmatch(body)[1], "Pat", "Rivera", testPassword, "req")
		if err != nil {
			t.Fatal(err)
		}
		if v, err := members.FamilyView(ctx, d, pat.Actor("req-pat"), members.ChannelPage); err != nil || len(v) != 1 {
			t.Fatalf("family view %v %v", v, err)
		}
		disc := decode[struct{ Items []disclosureJSON }](t, e.do(req{method: "GET", path: "/api/v1/me/disclosures", bearer: tok}))
		if len(disc.Items) != 1 || disc.Items[0].Category != "coach" || disc.Items[0].RecipientID != pat.ID || disc.Items[0].RequestID != "req-pat" {
			t.Fatalf("disclosures %+v", disc)
		}

		// Only the alumnus: the family member and others get 404.
		ptok, _ := e.token(pat)
		problem(t, e.do(req{method: "GET", path: "/api/v1/me/consents", bearer: ptok}), http.StatusNotFound, "")
		problem(t, e.do(req{method: "GET", path: "/api/v1/me/disclosures", bearer: ptok}), http.StatusNotFound, "")
		problem(t, e.do(req{method: "POST", path: "/api/v1/me/consents/" + created.ID + "/revoke", bearer: ptok}), http.StatusNotFound, "")

		revoked := decode[consentJSON](t, e.do(req{method: "POST", path: "/api/v1/me/consents/" + created.ID + "/revoke", bearer: tok}))
		if revoked.Status != "revoked" || revoked.RevokedAt == nil {
			t.Fatalf("revoked %+v", revoked)
		}
		if v, err := members.FamilyView(ctx, d, pat.Actor("req-pat2"), members.ChannelPage); err != nil || len(v) != 0 {
			t.Fatalf("after revocation %v %v", v, err)
		}
		problem(t, e.do(req{method: "POST", path: "/api/v1/me/consents/nope/revoke", bearer: tok}), http.StatusNotFound, "")
	})
}
