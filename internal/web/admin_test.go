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
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// admEnv is the shared webEnv with auth in demo mode: staff sessions are
// fully signed in without a second factor, so a test may sign the same
// person in as often as it needs. The second factor itself is tested with
// the sign-in pages.
func admEnv(t *testing.T, d *db.DB) *webEnv {
	t.Helper()
	e := newWebEnv(t, d)
	e.auth = auth.New(d, auth.Options{SecretKey: e.cfg.SecretKey, BaseURL: e.cfg.BaseURL, StaffIdle: e.cfg.StaffIdle,
		MemberIdle: e.cfg.MemberIdle, Lifetime: e.cfg.SessionLifetime, Argon: auth.CheapArgon2ParamsForTests(), Demo: true})
	e.srv.auth = e.auth
	return e
}

// admSession signs u in through the auth API and returns the session
// cookie's value and the session.
func admSession(t *testing.T, e *webEnv, u *auth.User) (string, *auth.Session) {
	t.Helper()
	token, sess, err := e.auth.SignIn(context.Background(), u.Email, testPassword, "192.0.2.50", "test-agent", "req")
	if err != nil {
		t.Fatalf("sign in %s: %v", u.Role, err)
	}
	if sess.Stage != auth.StageFull {
		t.Fatalf("sign in %s: stage %q, want full", u.Role, sess.Stage)
	}
	return token, sess
}

// admCount counts rows of a table matching a condition.
func admCount(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// admAudit returns the program's audit entries with action, read straight
// from the table (so that the check does not itself add a read entry).
func admAudit(t *testing.T, e *webEnv, action string) []audit.Entry {
	t.Helper()
	rows, err := e.db.Query(context.Background(), `SELECT actor_id, subject_id FROM audit_log WHERE program_id = ? AND action = ? ORDER BY seq`,
		e.program.ID, action)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var en audit.Entry
		if err := rows.Scan(&en.ActorID, &en.SubjectID); err != nil {
			t.Fatal(err)
		}
		out = append(out, en)
	}
	return out
}

// admCheck is one expectation of a page test: a status, texts the body
// must and must not hold, and where a redirect goes.
type admCheck struct {
	status   int
	contains []string
	lacks    []string
	location string
}

func (c admCheck) verify(t *testing.T, what string, rec interface {
	Result() *http.Response
}, body string) {
	t.Helper()
	res := rec.Result()
	if res.StatusCode != c.status {
		t.Errorf("%s: status %d, want %d\n%s", what, res.StatusCode, c.status, admExcerpt(body))
	}
	for _, s := range c.contains {
		if !strings.Contains(body, s) {
			t.Errorf("%s: body lacks %q\n%s", what, s, admExcerpt(body))
		}
	}
	for _, s := range c.lacks {
		if strings.Contains(body, s) {
			t.Errorf("%s: body holds %q", what, s)
		}
	}
	if c.location != "" && res.Header.Get("Location") != c.location {
		t.Errorf("%s: Location %q, want %q", what, res.Header.Get("Location"), c.location)
	}
}

// admExcerpt is the main part of a page, for failure messages.
func admExcerpt(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	if i := strings.Index(body, `</main>`); i >= 0 {
		body = body[:i]
	}
	if len(body) > 3000 {
		body = body[:3000]
	}
	return body
}

func TestAdminPages(t *testing.T) {
	type step struct {
		as     access.Role // "" for a visitor
		method string
		path   func(e *webEnv) string
		form   url.Values
		check  admCheck
	}
	static := func(p string) func(*webEnv) string { return func(*webEnv) string { return p } }
	person := func(role access.Role, suffix string) func(*webEnv) string {
		return func(e *webEnv) string { return "/admin/people/" + e.users[role].ID + suffix }
	}
	tests := []struct {
		name  string
		steps []step
		after func(t *testing.T, e *webEnv)
	}{
		{
			name: "admin index links only to the sections each role may use",
			steps: []step{
				{access.Coach, "GET", static("/admin"), nil, admCheck{status: http.StatusOK,
					contains: []string{`href="/admin/invitations"`}, lacks: []string{`href="/admin/people"`, `href="/admin/audit"`, `href="/admin/program"`, `href="/admin/outbox"`}}},
				{access.Coordinator, "GET", static("/admin"), nil, admCheck{status: http.StatusOK,
					contains: []string{`href="/admin/invitations"`, `href="/admin/people"`}, lacks: []string{`href="/admin/audit"`, `href="/admin/program"`, `href="/admin/outbox"`}}},
				{access.Admin, "GET", static("/admin"), nil, admCheck{status: http.StatusOK,
					contains: []string{`href="/admin/invitations"`, `href="/admin/people"`, `href="/admin/audit"`, `href="/admin/program"`, `href="/admin/outbox"`}}},
				{access.Family, "GET", static("/admin"), nil, admCheck{status: http.StatusNotFound}},
			},
		},
		{
			name: "admin invites; the email waits in the outbox and the invitation is audited",
			steps: []step{
				{access.Admin, "POST", static("/admin/invitations"), url.Values{"email": {"New.Person@Example.test"}, "role": {"alumnus"}},
					admCheck{status: http.StatusSeeOther, location: "/admin/invitations?done=invited"}},
				{access.Admin, "GET", static("/admin/invitations?done=invited"), nil,
					admCheck{status: http.StatusOK, contains: []string{"The email with their link is in the outbox.", "new.person@example.test", "Withdraw", "<td>You</td>"},
						lacks: []string{"/invite/"}}},
			},
			after: func(t *testing.T, e *webEnv) {
				if n := admCount(t, e.db, `SELECT COUNT(*) FROM mail_outbox WHERE to_address = ? AND status = ?`, "new.person@example.test", notify.StatusQueued); n != 1 {
					t.Errorf("outbox holds %d queued messages to the invited person, want 1", n)
				}
				got := admAudit(t, e, "invitation.create")
				if len(got) != 1 || got[0].ActorID != e.users[access.Admin].ID {
					t.Errorf("invitation.create entries = %+v, want one by the admin", got)
				}
			},
		},
		{
			name: "coordinator cannot invite an admin and nothing is created",
			steps: []step{
				{access.Coordinator, "POST", static("/admin/invitations"), url.Values{"email": {"boss@example.test"}, "role": {"admin"}},
					admCheck{status: http.StatusUnprocessableEntity, contains: []string{"Choose one of the listed roles.", `aria-invalid="true"`, `value="boss@example.test"`},
						lacks: []string{`<option value="admin"`}}},
			},
			after: func(t *testing.T, e *webEnv) {
				if n := admCount(t, e.db, `SELECT COUNT(*) FROM invitations`); n != 0 {
					t.Errorf("%d invitations exist, want 0", n)
				}
				if n := admCount(t, e.db, `SELECT COUNT(*) FROM mail_outbox`); n != 0 {
					t.Errorf("%d outbox messages exist, want 0", n)
				}
			},
		},
		{
			name: "invite with a bad email shows auth's field message",
			steps: []step{
				{access.Coach, "POST", static("/admin/invitations"), url.Values{"email": {"not an email"}, "role": {"family"}},
					admCheck{status: http.StatusUnprocessableEntity, contains: []string{"Enter an email address like name@example.org.", `id="email-error"`}}},
				{access.Coach, "POST", static("/admin/invitations"), url.Values{"email": {"family@example.test"}, "role": {"family"}},
					admCheck{status: http.StatusUnprocessableEntity, contains: []string{"That person already has an account."}}},
			},
		},
		{
			name: "role change takes effect and is audited",
			steps: []step{
				{access.Alumnus, "GET", static("/admin/invitations"), nil, admCheck{status: http.StatusNotFound}},
				{access.Admin, "POST", person(access.Alumnus, "/role"), url.Values{"role": {"coach"}},
					admCheck{status: http.StatusSeeOther}},
				{access.Admin, "GET", person(access.Alumnus, "?done=role"), nil,
					admCheck{status: http.StatusOK, contains: []string{"Role changed.", "Peer coach"}}},
				{access.Alumnus, "GET", static("/admin/invitations"), nil, admCheck{status: http.StatusOK, contains: []string{"Invite someone"}}},
				{access.Admin, "POST", person(access.Alumnus, "/role"), url.Values{"role": {"wizard"}},
					admCheck{status: http.StatusUnprocessableEntity, contains: []string{"Choose one of the listed roles."}}},
			},
			after: func(t *testing.T, e *webEnv) {
				u, err := e.auth.GetUser(context.Background(), access.System(e.program.ID), e.users[access.Alumnus].ID)
				if err != nil || u.Role != access.Coach {
					t.Errorf("role after change = %v (%v), want coach", u, err)
				}
				if got := admAudit(t, e, "user.role"); len(got) != 1 || got[0].SubjectID != e.users[access.Alumnus].ID {
					t.Errorf("user.role entries = %+v", got)
				}
			},
		},
		{
			name: "admin has no forms for their own account and cannot post them",
			steps: []step{
				{access.Admin, "GET", person(access.Admin, ""), nil,
					admCheck{status: http.StatusOK, contains: []string{"This is your own account."}, lacks: []string{"Change role", "Disable account"}}},
				{access.Admin, "POST", person(access.Admin, "/role"), url.Values{"role": {"alumnus"}}, admCheck{status: http.StatusNotFound}},
				{access.Coordinator, "GET", person(access.Alumnus, ""), nil,
					admCheck{status: http.StatusOK, contains: []string{"alumnus@example.test"}, lacks: []string{"Change role"}}},
			},
		},
		{
			name: "disabling needs the confirmation and then ends the person's sessions",
			steps: []step{
				{access.Family, "GET", static("/home"), nil, admCheck{status: http.StatusOK}},
				{access.Admin, "POST", person(access.Family, "/disable"), url.Values{}, admCheck{status: http.StatusUnprocessableEntity,
					contains: []string{"Tick the box to confirm"}}},
				{access.Family, "GET", static("/home"), nil, admCheck{status: http.StatusOK}},
				{access.Admin, "POST", person(access.Family, "/disable"), url.Values{"confirm": {"yes"}}, admCheck{status: http.StatusSeeOther}},
				{access.Family, "GET", static("/home"), nil, admCheck{status: http.StatusSeeOther, location: "/signin"}},
				{access.Admin, "GET", person(access.Family, "?done=disabled"), nil,
					admCheck{status: http.StatusOK, contains: []string{"Account disabled.", "Disabled: cannot sign in", "Enable account"}}},
				{access.Admin, "POST", person(access.Family, "/enable"), url.Values{}, admCheck{status: http.StatusSeeOther}},
			},
			after: func(t *testing.T, e *webEnv) {
				if got := admAudit(t, e, "user.disable"); len(got) != 1 {
					t.Errorf("user.disable entries = %d, want 1", len(got))
				}
				if got := admAudit(t, e, "user.enable"); len(got) != 1 {
					t.Errorf("user.enable entries = %d, want 1", len(got))
				}
			},
		},
		{
			name: "people list filters by role and search, and rejects an unknown role",
			steps: []step{
				{access.Coordinator, "GET", static("/admin/people"), nil,
					admCheck{status: http.StatusOK, contains: []string{"Alex R.", "Casey N.", "Morgan L.", "coach@example.test", "Peer coach"}, lacks: []string{"Quinn"}}},
				{access.Coordinator, "GET", static("/admin/people?role=coach"), nil,
					admCheck{status: http.StatusOK, contains: []string{"Casey N.", "Showing 1 of 5 people."}, lacks: []string{"Alex R."}}},
				{access.Coordinator, "GET", static("/admin/people?q=RIVERA"), nil,
					admCheck{status: http.StatusOK, contains: []string{"Alex R.", "Sam R.", "Showing 2 of 5 people."}, lacks: []string{"Casey N."}}},
				{access.Coordinator, "GET", static("/admin/people?role=wizard"), nil,
					admCheck{status: http.StatusUnprocessableEntity, contains: []string{"Choose one of the listed roles.", `aria-describedby="role-error"`}}},
			},
		},
		{
			name: "another program's admin gets not found for this program's people",
			steps: []step{
				{"outsider", "GET", person(access.Alumnus, ""), nil, admCheck{status: http.StatusNotFound, contains: []string{"We could not find that page."}}},
				{"outsider", "POST", person(access.Alumnus, "/disable"), url.Values{"confirm": {"yes"}}, admCheck{status: http.StatusNotFound}},
				{"outsider", "GET", static("/admin/people"), nil, admCheck{status: http.StatusOK, contains: []string{"Quinn O."}, lacks: []string{"Alex R."}}},
			},
			after: func(t *testing.T, e *webEnv) {
				if got := admAudit(t, e, "user.disable"); len(got) != 0 {
					t.Errorf("the outsider disabled someone: %+v", got)
				}
			},
		},
		{
			name: "audit log filters, and a bad date gets a clear field error",
			steps: []step{
				{access.Admin, "POST", person(access.Alumnus, "/role"), url.Values{"role": {"family"}}, admCheck{status: http.StatusSeeOther}},
				{access.Admin, "GET", static("/admin/audit"), nil,
					admCheck{status: http.StatusOK, contains: []string{"user.role", "program.create", "Morgan L.", "Administrator", "Cairn (system)"}}},
				{access.Admin, "GET", static("/admin/audit?action=user.role"), nil,
					admCheck{status: http.StatusOK, contains: []string{"<code>user.role</code>", "from: alumnus, to: family"}, lacks: []string{"<code>signin.success</code>", "<code>program.create</code>"}}},
				{access.Admin, "GET", static("/admin/audit?action=signin."), nil,
					admCheck{status: http.StatusOK, contains: []string{"<code>signin.success</code>"}, lacks: []string{"<code>user.role</code>"}}},
				{access.Admin, "GET", func(e *webEnv) string { return "/admin/audit?actor=" + e.users[access.Admin].ID }, nil,
					admCheck{status: http.StatusOK, contains: []string{"<code>user.role</code>", "<code>signin.success</code>"}, lacks: []string{"<code>program.create</code>", "<code>user.create</code>"}}},
				{access.Admin, "GET", static("/admin/audit?from=2000-01-01&to=2000-01-02"), nil,
					admCheck{status: http.StatusOK, contains: []string{"No entries match these filters."}}},
				{access.Admin, "GET", static("/admin/audit?from=2026-13-45"), nil,
					admCheck{status: http.StatusUnprocessableEntity, contains: []string{"Enter the “from” date as year-month-day", `id="from-error"`, `value="2026-13-45"`}}},
				{access.Admin, "GET", static("/admin/audit?from=2026-03-02&to=2026-03-01"), nil,
					admCheck{status: http.StatusUnprocessableEntity, contains: []string{"The “to” date is before the “from” date."}}},
				{access.Admin, "GET", static("/admin/audit?actor=nobody"), nil,
					admCheck{status: http.StatusUnprocessableEntity, contains: []string{"Choose one of the listed people."}}},
				{access.Admin, "GET", static("/admin/audit?action=x%27%3B--"), nil,
					admCheck{status: http.StatusUnprocessableEntity, contains: []string{"Enter an action such as user.role"}}},
			},
			after: func(t *testing.T, e *webEnv) {
				if got := admAudit(t, e, "audit.read"); len(got) != 5 {
					t.Errorf("audit.read entries = %d, want 5 (one per listing shown)", len(got))
				}
			},
		},
		{
			name: "program settings show on the landing page; a bad time zone is a field error",
			steps: []step{
				{access.Admin, "GET", static("/admin/program"), nil,
					admCheck{status: http.StatusOK, contains: []string{`value="Driftwood Recovery Alumni"`, `value="America/Chicago"`, "We stay connected after treatment."}}},
				{access.Admin, "POST", static("/admin/program"), url.Values{"name": {"Harbor Alumni"}, "timezone": {"Mars/Olympus"}, "description": {"Kept text"}},
					admCheck{status: http.StatusUnprocessableEntity, contains: []string{"is not a known time zone", `id="timezone-error"`, "Kept text"}}},
				{access.Admin, "POST", static("/admin/program"), url.Values{"name": {"Harbor Alumni"}, "timezone": {"America/Denver"},
					"phone": {"(303) 555-0100"}, "address": {"1 Pier Road"}, "description": {"First paragraph <b>bold</b>.\n\nSecond paragraph."}},
					admCheck{status: http.StatusSeeOther, location: "/admin/program?done=saved"}},
				{"", "GET", static("/"), nil, admCheck{status: http.StatusOK,
					contains: []string{"Harbor Alumni", "<p>First paragraph &lt;b&gt;bold&lt;/b&gt;.</p>", "<p>Second paragraph.</p>", "1 Pier Road", "(303) 555-0100"},
					lacks:    []string{"<b>bold</b>"}}},
			},
			after: func(t *testing.T, e *webEnv) {
				if got := admAudit(t, e, "program.update"); len(got) != 1 {
					t.Errorf("program.update entries = %d, want 1", len(got))
				}
			},
		},
		{
			name: "outbox lists mail and shows one message's text escaped, and the read is audited",
			steps: []step{
				{access.Admin, "POST", static("/admin/invitations"), url.Values{"email": {"pat@example.test"}, "role": {"family"}}, admCheck{status: http.StatusSeeOther}},
				{access.Admin, "GET", static("/admin/outbox"), nil,
					admCheck{status: http.StatusOK, contains: []string{"pat@example.test", "You are invited to Driftwood Recovery Alumni", "queued"}, lacks: []string{"/invite/"}}},
				{access.Admin, "GET", static("/admin/outbox?status=bogus"), nil,
					admCheck{status: http.StatusUnprocessableEntity, contains: []string{"Choose queued, sent or failed."}}},
				{access.Admin, "GET", func(e *webEnv) string {
					var id string
					if err := e.db.QueryRow(context.Background(), `SELECT id FROM mail_outbox WHERE to_address = ?`, "pat@example.test").Scan(&id); err != nil {
						e.t.Fatal(err)
					}
					return "/admin/outbox/" + id
				}, nil, admCheck{status: http.StatusOK, contains: []string{"<pre", "http://cairn.test/invite/", "Morgan L. invited you"}}},
				{access.Admin, "GET", static("/admin/outbox/00000000-0000-0000-0000-000000000000"), nil, admCheck{status: http.StatusNotFound}},
			},
			after: func(t *testing.T, e *webEnv) {
				if got := admAudit(t, e, "outbox.read"); len(got) != 1 {
					t.Errorf("outbox.read entries = %d, want 1", len(got))
				}
			},
		},
		{
			name: "invitations can be withdrawn; a coach cannot withdraw an admin's invitation to a staff role",
			steps: []step{
				{access.Admin, "POST", static("/admin/invitations"), url.Values{"email": {"staff@example.test"}, "role": {"coordinator"}}, admCheck{status: http.StatusSeeOther}},
				{access.Coach, "GET", static("/admin/invitations"), nil,
					admCheck{status: http.StatusOK, contains: []string{"staff@example.test"}, lacks: []string{"Withdraw the invitation to staff@example.test"}}},
				{access.Coach, "POST", func(e *webEnv) string {
					return "/admin/invitations/" + admInvitationID(e, "staff@example.test") + "/revoke"
				}, url.Values{},
					admCheck{status: http.StatusNotFound}},
				{access.Admin, "POST", func(e *webEnv) string {
					return "/admin/invitations/" + admInvitationID(e, "staff@example.test") + "/revoke"
				}, url.Values{},
					admCheck{status: http.StatusSeeOther, location: "/admin/invitations?done=invite-revoked"}},
				{access.Admin, "GET", static("/admin/invitations?done=invite-revoked"), nil,
					admCheck{status: http.StatusOK, contains: []string{"Invitation withdrawn.", "Withdrawn", "No open invitations."}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testkit.Engines(t, func(t *testing.T, d *db.DB) {
				e := admEnv(t, d)
				cookies := map[access.Role]string{}
				for i, st := range tt.steps {
					cookie := ""
					if st.as != "" {
						if cookies[st.as] == "" {
							u := e.users[st.as]
							if st.as == "outsider" {
								u = e.outsider
							}
							cookies[st.as], _ = admSession(t, e, u)
						}
						cookie = cookies[st.as]
					}
					rec := e.do(st.method, st.path(e), st.form, cookie)
					st.check.verify(t, fmt.Sprintf("step %d: %s %s as %q", i+1, st.method, st.path(e), st.as), rec, rec.Body.String())
				}
				if tt.after != nil {
					tt.after(t, e)
				}
			})
		})
	}
}

// admInvitationID is the id of the invitation to email.
func admInvitationID(e *webEnv, email string) string {
	var id string
	if err := e.db.QueryRow(context.Background(), `SELECT id FROM invitations WHERE email = ?`, email).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func TestAdminAuditPaging(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := admEnv(t, d)
		ctx := context.Background()
		admin := e.users[access.Admin]
		for i := 0; i < auditPageSize+5; i++ {
			if err := audit.RecordNow(ctx, d, admin.Actor("paging"), audit.Event{Action: "test.filler", SubjectType: "test", SubjectID: fmt.Sprint(i)}); err != nil {
				t.Fatal(err)
			}
		}
		cookie, _ := admSession(t, e, admin)
		rec := e.do("GET", "/admin/audit?action=test.filler", nil, cookie)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		body := rec.Body.String()
		if n := strings.Count(body, "<code>test.filler</code>"); n != auditPageSize {
			t.Errorf("first page shows %d entries, want %d", n, auditPageSize)
		}
		m := regexp.MustCompile(`href="(/admin/audit\?[^"]*before=[0-9]+[^"]*)">Older entries`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no Older entries link\n%s", admExcerpt(body))
		}
		older := strings.ReplaceAll(m[1], "&amp;", "&")
		if !strings.Contains(older, "action=test.filler") {
			t.Errorf("older link %q drops the action filter", older)
		}
		rec = e.do("GET", older, nil, cookie)
		body = rec.Body.String()
		if n := strings.Count(body, "<code>test.filler</code>"); rec.Code != http.StatusOK || n != 5 {
			t.Errorf("second page: status %d, %d entries, want 200 and 5", rec.Code, n)
		}
		if strings.Contains(body, "Older entries") {
			t.Error("second page offers older entries, but there are none")
		}
		if rec := e.do("GET", "/admin/audit?before=abc", nil, cookie); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("bad before: status %d, want 422", rec.Code)
		}
	})
}

var admNonceAttr = regexp.MustCompile(`nonce="([^"]+)"`)

func TestAdminSecurityHeaders(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := admEnv(t, d)
		cookie, _ := admSession(t, e, e.users[access.Admin])
		_, _, err := e.auth.Invite(context.Background(), e.users[access.Admin].Actor("h"), "hdr@example.test", access.Alumnus)
		if err != nil {
			t.Fatal(err)
		}
		var outboxID string
		if err := d.QueryRow(context.Background(), `SELECT id FROM mail_outbox`).Scan(&outboxID); err != nil {
			t.Fatal(err)
		}
		paths := []struct {
			method, path string
			form         url.Values
		}{
			{"GET", "/admin", nil},
			{"GET", "/admin/people", nil},
			{"GET", "/admin/people?role=wizard", nil},
			{"GET", "/admin/people/" + e.users[access.Alumnus].ID, nil},
			{"GET", "/admin/people/" + e.outsider.ID, nil},
			{"POST", "/admin/people/" + e.users[access.Alumnus].ID + "/role", url.Values{"role": {"nope"}}},
			{"GET", "/admin/invitations", nil},
			{"POST", "/admin/invitations", url.Values{}},
			{"GET", "/admin/audit", nil},
			{"GET", "/admin/audit?from=bad", nil},
			{"GET", "/admin/program", nil},
			{"POST", "/admin/program", url.Values{}},
			{"GET", "/admin/outbox", nil},
			{"GET", "/admin/outbox/" + outboxID, nil},
		}
		for _, p := range paths {
			rec := e.do(p.method, p.path, p.form, cookie)
			h := rec.Header()
			what := p.method + " " + p.path
			csp := h.Get("Content-Security-Policy")
			m := admNonceAttr.FindStringSubmatch(rec.Body.String())
			switch {
			case m == nil:
				t.Errorf("%s (%d): no nonce in the page", what, rec.Code)
			case !strings.Contains(csp, "script-src 'self' 'nonce-"+m[1]+"'"):
				t.Errorf("%s: CSP %q does not allow the page's nonce %q", what, csp, m[1])
			}
			if strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("%s: weak CSP %q", what, csp)
			}
			for k, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "no-referrer",
				"Cache-Control":          "no-store",
			} {
				if got := h.Get(k); got != want {
					t.Errorf("%s: %s = %q, want %q", what, k, got, want)
				}
			}
			if strings.Contains(rec.Body.String(), "style=") {
				t.Errorf("%s: inline style attribute in the page", what)
			}
		}
	})
}
