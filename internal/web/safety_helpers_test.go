package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// sftNewAlumnus adds an alumnus named first to the program.
func sftNewAlumnus(e *webEnv, first string) *auth.User {
	e.t.Helper()
	u, err := e.auth.CreateUser(context.Background(), access.System(e.program.ID), auth.NewUser{ProgramID: e.program.ID,
		Email:     fmt.Sprintf("%s-%s@example.test", strings.ToLower(first), strings.ToLower(randomString(6))),
		FirstName: first, LastName: "Safety", Role: access.Alumnus, Password: testPassword})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// sftMatrixPerson makes a fresh alumnus for a matrix cell.
func sftMatrixPerson(f *admFixture) string { return sftNewAlumnus(f.e, "Robin").ID }

// sftMatrixReport makes a fresh alumnus reported by the program's
// alumnus, and returns the report's id.
func sftMatrixReport(f *admFixture) string {
	target := sftNewAlumnus(f.e, "Jordan")
	id, err := safety.Report(context.Background(), f.e.db, f.e.users[access.Alumnus].Actor("matrix"),
		safety.ReportInput{Kind: safety.KindPerson, ID: target.ID, Reason: "spam"})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return id
}

// sftPostRaw posts body, as typed, as a form.
func sftPostRaw(e *webEnv, path, body, cookie string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "http://cairn.test"+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: e.srv.cookieName(), Value: cookie})
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}
