package api

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzCoachRequest feeds PUT /members/{id}/coach bodies to the decoder and
// to coachRequest.change: every refusal is a problem naming a field, and
// an accepted secondary_coach_id is set only when the body has one.
func FuzzCoachRequest(f *testing.F) {
	for _, s := range []string{
		`{"coach_id": "c1"}`, `{"coach_id": "c1", "secondary_coach_id": "c2"}`, `{"coach_id": "c1", "secondary_coach_id": null}`,
		`{"coach_id": "c1", "secondary_coach_id": 7}`, `{"coach_id": "c1", "secondary_coach_id": ["c2"]}`, `{"coach_id": 1}`,
		`{"coach_id": "c1", "secondary_coach_id": ""}`, `{"secondary_coach_id": {}}`, `{"coach_id": "c1", "other": 1}`, `[`, "\xff", `null`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("PUT", "/api/v1/members/m/coach", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var req coachRequest
		err := decodeJSON(httptest.NewRecorder(), r, 1024, &req)
		if err == nil {
			change, cerr := req.change()
			if cerr == nil {
				if change.PrimaryID != req.CoachID || change.SetSecondary != (len(req.SecondaryCoachID) > 0) {
					t.Fatalf("%q: change %+v from %+v", body, change, req)
				}
				return
			}
			err = cerr
		}
		var p *Problem
		if !errors.As(err, &p) {
			t.Fatalf("%q: error %v is not a problem", body, err)
		}
		switch p.Status {
		case http.StatusBadRequest:
			if len(p.Errors) != 1 || p.Errors[0].Field == "" || p.Errors[0].Message == "" {
				t.Fatalf("%q: 400 without a named field: %+v", body, p)
			}
		case http.StatusRequestEntityTooLarge:
			if len(body) <= 1024 {
				t.Fatalf("%q: 413 for %d bytes", body, len(body))
			}
		default:
			t.Fatalf("%q: status %d", body, p.Status)
		}
	})
}
