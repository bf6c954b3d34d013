package api

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestCrisisSupportFor: the crisis numbers for the caller's program: 988
// (call or text), SAMHSA, 911 and the program's phone, with the page
// where the member asks their coach to reach out.
func TestCrisisSupportFor(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		a, ok := e.h.(*API)
		if !ok {
			t.Fatalf("New returned %T", e.h)
		}
		p, err := programs.Create(context.Background(), d, programs.Settings{Name: "Harbor Light", TimeZone: "America/Chicago", Phone: "(555) 010-2000"})
		if err != nil {
			t.Fatal(err)
		}
		u := e.user(p, access.Alumnus, "alex@example.test", "Alex", "Rivera")
		raw, _ := e.token(u)
		r := httptest.NewRequest("POST", "http://cairn.test/api/v1/conversations", nil)
		r.Header.Set("Authorization", "Bearer "+raw)
		c := &call{}
		if err := a.authenticate(r, c); err != nil {
			t.Fatal(err)
		}
		cs := a.crisisSupportFor(r, c)
		if cs.ReachOutURL != "/support/now" || cs.Message == "" {
			t.Errorf("crisis support = %+v", cs)
		}
		want := map[string]crisisNumber{
			"988":            {Call: "tel:988", Text: "sms:988"},
			"1-800-662-4357": {Call: "tel:+18006624357"},
			"911":            {Call: "tel:911"},
			"(555) 010-2000": {Call: "tel:+15550102000"},
		}
		if len(cs.Numbers) != len(want) {
			t.Errorf("numbers = %+v", cs.Numbers)
		}
		for _, n := range cs.Numbers {
			w, ok := want[n.Number]
			if !ok || n.Call != w.Call || n.Text != w.Text || n.Name == "" {
				t.Errorf("number %+v", n)
			}
		}
		b, err := json.Marshal(cs)
		if err != nil || !strings.Contains(string(b), `"reach_out_url":"/support/now"`) || !strings.Contains(string(b), `"text":"sms:988"`) {
			t.Errorf("JSON %s %v", b, err)
		}
		// Without credentials the national numbers are still there.
		cs = a.crisisSupportFor(httptest.NewRequest("GET", "http://cairn.test/api/v1/me", nil), nil)
		if len(cs.Numbers) < 3 || cs.Numbers[0].Number != "988" {
			t.Errorf("anonymous crisis support = %+v", cs)
		}
	})
}
