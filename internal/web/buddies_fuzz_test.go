package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// FuzzBuddyForms posts arbitrary bodies to the buddy forms: whatever
// arrives, the answer is a redirect (saved), a 404, or a 422 page naming
// a field; never a server error.
func FuzzBuddyForms(f *testing.F) {
	e := newWebEnv(f, testkit.SQLite(f))
	al := e.users[access.Alumnus]
	bdySetStart(f, e, al, 800)
	alCookie, coord := e.signIn(al), e.signIn(e.users[access.Coordinator])
	for _, seed := range []string{
		"", "capacity=2&contact_time=evenings&about=Walks", "capacity=9", "capacity=-1&meeting=mars", "capacity=%zz",
		"capacity=1&contact_time=noon&contact_time=evenings", "hopes=" + strings.Repeat("a", 1001), "want_gender=robot",
		"pathway=smart&open_to_previous=on&want_language=on", "min_months=12", "min_months=7", "status=paused", "status=x",
		"about=%00%ff&gender=unsaid&life_stage=parent", "availability=" + string([]byte{0xff, 0xfe}),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, c := range []struct{ path, cookie string }{
			{"/buddies/offer", alCookie}, {"/buddies/offer/status", alCookie}, {"/buddies/request", alCookie},
			{"/buddies/coordinate/settings", coord},
		} {
			e.t = t
			rec := sgnRequest(e, http.MethodPost, c.path, body, c.cookie, nil)
			switch {
			case rec.Code >= 500:
				t.Fatalf("POST %s %q: status %d\n%s", c.path, body, rec.Code, rec.Body.String())
			case rec.Code == http.StatusUnprocessableEntity && !strings.Contains(rec.Body.String(), "error-summary"):
				t.Fatalf("POST %s %q: 422 without naming a field", c.path, body)
			}
			if c.path == "/buddies/request" && rec.Code == http.StatusSeeOther {
				_ = sgnRequest(e, http.MethodPost, "/buddies/request/withdraw", "", alCookie, nil)
			}
		}
	})
}
