package api

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/buddies"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestBuddyAPI(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEvEnv(t, d)
		setDate := func(u *auth.User, years int) {
			t.Helper()
			date := time.Now().AddDate(-years, 0, -2).Format("2006-01-02")
			if rec := e.call(u, "PUT", "/api/v1/me/recovery-date", `{"date": "`+date+`"}`); rec.Code != http.StatusOK {
				t.Fatalf("recovery date: %d %s", rec.Code, rec.Body)
			}
		}
		setDate(e.alex, 3)
		setDate(e.blair, 0)

		// Offers: bad input names the field; too early says from when.
		problem(t, e.call(e.alex, "POST", "/api/v1/buddy/offers", `{"capacity": "two"}`), http.StatusBadRequest, "capacity")
		problem(t, e.call(e.alex, "POST", "/api/v1/buddy/offers", `{"capacity": 5}`), http.StatusUnprocessableEntity, "capacity")
		problem(t, e.call(e.alex, "POST", "/api/v1/buddy/offers", `{"capacity": 1, "meeting": "mars"}`), http.StatusUnprocessableEntity, "meeting")
		problem(t, e.call(e.alex, "POST", "/api/v1/buddy/offers", `{"capacity": 1, "extra": 1}`), http.StatusBadRequest, "extra")
		p := problem(t, e.call(e.blair, "POST", "/api/v1/buddy/offers", `{"capacity": 1}`), http.StatusUnprocessableEntity, "recovery_date")
		if !strings.Contains(p.Detail, "You can offer to be a buddy from") {
			t.Errorf("too early: %q", p.Detail)
		}
		problem(t, e.call(e.coach, "POST", "/api/v1/buddy/offers", `{"capacity": 1}`), http.StatusNotFound, "")
		off := evOK[buddyOfferJSON](t, e.call(e.alex, "POST", "/api/v1/buddy/offers",
			`{"capacity": 2, "contact_times": ["evenings"], "about": "Coffee and walks.", "meeting": "in_person"}`), http.StatusOK)
		if off.Capacity != 2 || off.Status != "active" || off.ContactTimes[0] != "evenings" {
			t.Errorf("offer %+v", off)
		}

		// Requests: one open at a time.
		req := evOK[buddyRequestJSON](t, e.call(e.blair, "POST", "/api/v1/buddy/requests", `{"hopes": "Someone to talk to.", "meeting": "online"}`), http.StatusCreated)
		if req.Status != "waiting" {
			t.Errorf("request %+v", req)
		}
		problem(t, e.call(e.blair, "POST", "/api/v1/buddy/requests", `{}`), http.StatusUnprocessableEntity, "request")
		problem(t, e.call(e.casey, "POST", "/api/v1/buddy/requests", `{"want_gender": "dragon"}`), http.StatusUnprocessableEntity, "want_gender")
		if off := evOK[buddyOfferJSON](t, e.call(e.alex, "POST", "/api/v1/buddy/offers", `{"capacity": 2, "about": "I wanted to die once; I know the way back."}`), http.StatusOK); off.CrisisSupport == nil || off.CrisisSupport.ReachOutURL == "" {
			t.Errorf("crisis words without crisis_support: %+v", off)
		}
		problem(t, e.call(e.casey, "POST", "/api/v1/buddy/requests", `{"want_language": "yes"}`), http.StatusBadRequest, "want_language")

		// Match runs are for coordinators.
		for _, u := range []*auth.User{e.alex, e.blair, e.coach, e.fam, e.outsider} {
			if rec := e.call(u, "POST", "/api/v1/buddy/match-runs", ""); rec.Code != http.StatusNotFound && !(u == e.outsider && rec.Code == http.StatusCreated) {
				t.Errorf("%s ran the matcher: %d", u.FirstName, rec.Code)
			}
		}
		run := evOK[buddyRunJSON](t, e.call(e.coord, "POST", "/api/v1/buddy/match-runs", ""), http.StatusCreated)
		if len(run.Proposals) != 1 || run.Proposals[0].BuddyID != e.alex.ID || run.Proposals[0].RequesterID != e.blair.ID || run.Requests != 1 {
			t.Fatalf("run %+v", run)
		}
		pid := run.Proposals[0].ID
		// A draft cannot be answered yet.
		problem(t, e.call(e.blair, "POST", "/api/v1/buddy/proposals/"+pid+"/accept", ""), http.StatusNotFound, "")
		if n := e.send(t, pid); n != 1 {
			t.Fatalf("sent %d", n)
		}
		problem(t, e.call(e.casey, "POST", "/api/v1/buddy/proposals/"+pid+"/accept", ""), http.StatusNotFound, "")
		if got := evOK[buddyAnswerJSON](t, e.call(e.blair, "POST", "/api/v1/buddy/proposals/"+pid+"/accept", ""), http.StatusOK); got.Status != "waiting" {
			t.Errorf("first yes: %+v", got)
		}
		got := evOK[buddyAnswerJSON](t, e.call(e.alex, "POST", "/api/v1/buddy/proposals/"+pid+"/accept", ""), http.StatusOK)
		if got.Status != "paired" || got.PairingID == "" || got.ConversationID == "" {
			t.Errorf("second yes: %+v", got)
		}
		me := evOK[buddyMeJSON](t, e.call(e.blair, "GET", "/api/v1/buddy/me", ""), http.StatusOK)
		if len(me.Pairings) != 1 || me.Pairings[0].OtherID != e.alex.ID || me.Pairings[0].ConversationID != got.ConversationID || me.Request != nil {
			t.Errorf("blair's state %+v", me)
		}
		problem(t, e.call(e.coord, "GET", "/api/v1/buddy/me", ""), http.StatusNotFound, "")

		// Declining: casey asks, alex (room for one more) declines.
		evOK[buddyRequestJSON](t, e.call(e.casey, "POST", "/api/v1/buddy/requests", `{}`), http.StatusCreated)
		run = evOK[buddyRunJSON](t, e.call(e.coord, "POST", "/api/v1/buddy/match-runs", ""), http.StatusCreated)
		if len(run.Proposals) != 1 {
			t.Fatalf("second run %+v", run)
		}
		pid = run.Proposals[0].ID
		e.send(t, pid)
		if rec := e.call(e.alex, "POST", "/api/v1/buddy/proposals/"+pid+"/decline", ""); rec.Code != http.StatusNoContent {
			t.Fatalf("decline: %d %s", rec.Code, rec.Body)
		}
		me = evOK[buddyMeJSON](t, e.call(e.casey, "GET", "/api/v1/buddy/me", ""), http.StatusOK)
		if len(me.Proposals) != 1 || me.Proposals[0].State != "not_ahead" || me.Proposals[0].MyAnswer != "" || me.Request == nil || me.Request.Status != "waiting" {
			t.Errorf("casey's state %+v", me)
		}
	})
}

// send sends one draft as the coordinator, through the store (the API has
// no send route; coordinators send from the web page).
func (e *evEnv) send(t *testing.T, id string) int {
	t.Helper()
	n, err := buddies.SendProposals(context.Background(), e.d, e.coord.Actor("test"), []string{id})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// FuzzBuddyBodies feeds offer and request bodies to the decoder and the
// validation: every refusal is a problem or a validation error naming a
// field, never a panic.
func FuzzBuddyBodies(f *testing.F) {
	for _, s := range []string{
		`{"capacity": 1}`, `{"capacity": 3, "contact_times": ["evenings", "weekends"], "meeting": "online"}`, `{"capacity": "1"}`,
		`{"capacity": 1.5}`, `{"capacity": 99999999999999999999}`, `{"contact_times": "evenings"}`, `{"about": null}`,
		`{"hopes": "x", "want_language": true, "pathway": "smart"}`, `{"pathway": 3}`, `{"open_to_previous": "yes"}`,
		`{"gender": "unsaid", "life_stage": "parent"}`, `[`, "\xff", `null`, `{"x": 1}`, `{"about": "\u0000"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, into := range []func() (func() error, error){
			func() (func() error, error) {
				var b buddyOfferBody
				err := decodeBody(body, &b)
				return func() error { _, err := b.input().Validate(); return err }, err
			},
			func() (func() error, error) {
				var b buddyRequestBody
				err := decodeBody(body, &b)
				return func() error { _, err := b.input().Validate(); return err }, err
			},
		} {
			validate, err := into()
			if err == nil {
				if verr := validate(); verr != nil {
					if p, ok := membersProblem(verr).(*Problem); !ok || len(p.Errors) == 0 || p.Errors[0].Field == "" {
						t.Fatalf("%q: validation %v names no field", body, verr)
					}
				}
				continue
			}
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("%q: error %v is not a problem", body, err)
			}
			if p.Status == http.StatusBadRequest && (len(p.Errors) != 1 || p.Errors[0].Field == "") {
				t.Fatalf("%q: 400 without a named field: %+v", body, p)
			}
		}
	})
}

func decodeBody(body string, v any) error {
	r := httptest.NewRequest("POST", "/api/v1/buddy/offers", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return decodeJSON(httptest.NewRecorder(), r, 4096, v)
}
