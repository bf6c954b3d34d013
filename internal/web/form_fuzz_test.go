package web

import (
	"net/http"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// FuzzSigninForm posts arbitrary bodies to the sign-in and invitation
// forms: whatever arrives, the answer is never a server error.
func FuzzSigninForm(f *testing.F) {
	e := newWebEnv(f, testkit.SQLite(f))
	token := sgnInvite(f, e, "fuzz@example.test", access.Alumnus)
	for _, seed := range []string{
		"", "email=alumnus%40example.test&password=correct+horse+battery+staple",
		"email=%zz", "password=%", "email=a&email=b&next=%2F%2Fevil", "first_name=A&password=a+long+password&confirm=a+long+password",
		"first_name=%00%ff&last_name=" + string([]byte{0xff, 0xfe}) + "&password=x&confirm=y", "next=javascript:alert(1)",
		"email=" + string(make([]byte, 300)),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/signin", "/invite/" + token, "/reset"} {
			e.t = t
			rec := sgnRequest(e, http.MethodPost, path, body, "", nil)
			if rec.Code >= 500 {
				t.Fatalf("POST %s %q: status %d\n%s", path, body, rec.Code, rec.Body.String())
			}
		}
	})
}
