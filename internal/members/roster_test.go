package members

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestParseRosterBOMSemicolonAnyOrder(t *testing.T) {
	data := "\xef\xbb\xbfEMAIL; First_Name ;Last_Name;Coach_Email\r\n" +
		"ana@example.org;Ana;\"Lopez; Jr.\";\r\n" +
		"\r\n" +
		"bo@example.org;Bo;\"Smith \"\"B\"\"\";casey@harbor.test\r\n"
	rows, err := ParseRoster([]byte(data))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if len(rows) != 2 {
		t.Fatalf("got %d rows, want 2", len(rows))
	}
	if r := rows[0]; r.Row != 2 || r.Email != "ana@example.org" || r.FirstName != "Ana" || r.LastName != "Lopez; Jr." {
		t.Errorf("row 0 = %+v", r)
	}
	if r := rows[1]; r.Row != 4 || r.LastName != `Smith "B"` || r.CoachEmail != "casey@harbor.test" {
		t.Errorf("row 1 = %+v", r)
	}
}

func TestParseRosterSample(t *testing.T) {
	data, err := os.ReadFile("testdata/roster-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ParseRoster(data)
	if err != nil {
		t.Fatalf("parse sample: %v", err)
	}
	if len(rows) != 4 || rows[2].FirstName != `Sam "Sunny"` || rows[3].LastName != "García" {
		t.Errorf("sample rows = %+v", rows)
	}
}

func TestParseRosterFileProblems(t *testing.T) {
	cases := []struct {
		name, data string
		row        int
		column     string
		reason     string
	}{
		{"unknown columns", "first_name,email,shoe_size,Notes\n", 1, "", `unknown column "shoe_size", "Notes"`},
		{"missing email", "first_name,last_name\nA,B\n", 1, "email", "missing"},
		{"twice", "email,first_name,EMAIL\n", 1, "email", "twice"},
		{"empty", "\xef\xbb\xbf  \n", 1, "", "empty"},
		{"short row", "first_name,email\nA,a@example.org\nB\n", 3, "", "has 1 cells but the header has 2"},
		{"bad quote", "first_name,email\nA,a@example.org\n\"B,b@example.org\n", 3, "", "quote"},
		{"not utf-8", "first_name,email\nA,a@example.org\n\xff\xfe,x\n", 3, "", "UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseRoster([]byte(c.data))
			var ri *RosterIssue
			if !errors.As(err, &ri) {
				t.Fatalf("err = %v, want a RosterIssue", err)
			}
			if ri.Row != c.row || ri.Column != c.column || !strings.Contains(ri.Reason, c.reason) {
				t.Errorf("issue = %+v, want row %d column %q reason containing %q", ri, c.row, c.column, c.reason)
			}
		})
	}
}

func TestParseRosterLimits(t *testing.T) {
	big := make([]byte, MaxRosterBytes+1)
	var ri *RosterIssue
	if _, err := ParseRoster(big); !errors.As(err, &ri) || !strings.Contains(ri.Reason, "larger than 5 MiB") {
		t.Errorf("big file: %v", err)
	}
	var b strings.Builder
	b.WriteString("first_name,email\n")
	for range MaxRosterRows + 1 {
		b.WriteString("a,b@c.de\n")
	}
	if _, err := ParseRoster([]byte(b.String())); !errors.As(err, &ri) || ri.Row != MaxRosterRows+2 || !strings.Contains(ri.Reason, "more than 20000 people") {
		t.Errorf("too many rows: %v", err)
	}
}

func TestPlanRosterRowProblems(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newRosterFixture(t, d)
		f.user(t, f.prog.ID, access.Alumnus, "already@harbor.test")
		other := newRosterFixtureProgram(t, f, "Other Program")
		f.user(t, other, access.Alumnus, "elsewhere@other.test")
		data := "first_name,last_name,email,phone,discharge_date,recovery_date,coach_email\n" +
			"Ana,L,ana@example.org,,2026-03-09,2026-03-09,casey@harbor.test\n" + // 2 ok (today in Chicago)
			",L,nofirst@example.org,,,,\n" + // 3
			"Bo,L,not-an-email,,,,\n" + // 4
			"Cy,L,cy@example.org,,2026-3-1,,\n" + // 5
			"Di,L,di@example.org,,,2026-03-10,\n" + // 6 future in Chicago
			"Ed,L,ed@example.org,,,,nobody@harbor.test\n" + // 7
			"Fa,L,ANA@example.org,,,,\n" + // 8 duplicate of row 2
			"Gi,L,elsewhere@other.test,,,,\n" + // 9 another program
			"Ha,L,already@harbor.test,,,,\n" + // 10 existing
			"Io,L,io@example.org,12,,,\n" // 11 bad phone
		plan, err := PlanRoster(f.ctx, d, f.actor(), []byte(data), rosterNow)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int][2]string{
			3: {"first_name", "first name is missing"}, 4: {"email", "not an email"}, 5: {"discharge_date", "YYYY-MM-DD"},
			6: {"recovery_date", "in the future"}, 7: {"coach_email", "unknown coach"}, 8: {"email", "same email is on row 2"},
			9: {"email", "already has an account"}, 11: {"phone", "at least 5 digits"},
		}
		if len(plan.Issues) != len(want) {
			t.Errorf("issues = %+v, want %d", plan.Issues, len(want))
		}
		for _, is := range plan.Issues {
			w, ok := want[is.Row]
			if !ok || is.Column != w[0] || !strings.Contains(is.Reason, w[1]) {
				t.Errorf("unexpected issue %+v", is)
			}
			if strings.Contains(is.Reason, "Other Program") {
				t.Errorf("issue reveals the other program: %+v", is)
			}
		}
		if plan.Rows[0].Status != RosterNew || plan.Rows[8].Status != RosterExisting || plan.New != 1 || plan.Existing != 1 {
			t.Errorf("statuses: %+v %+v new %d existing %d", plan.Rows[0].Status, plan.Rows[8].Status, plan.New, plan.Existing)
		}
	})
}

func TestImportRosterOneBadRowImportsNothing(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newRosterFixture(t, d)
		data := "first_name,email,recovery_date\nAna,ana@example.org,2025-01-01\nBo,bo@example.org,2025-13-01\nCy,cy@example.org,\n"
		plan, err := ImportRoster(f.ctx, d, f.auth, f.actor(), []byte(data), rosterNow)
		if !errors.Is(err, ErrRosterInvalid) {
			t.Fatalf("err = %v, want ErrRosterInvalid", err)
		}
		if len(plan.Issues) != 1 || plan.Issues[0].Row != 3 || plan.Issues[0].Column != "recovery_date" {
			t.Errorf("issues = %+v, want row 3 recovery_date", plan.Issues)
		}
		for _, table := range []string{"invitations", "roster_entries", "mail_outbox"} {
			if n := f.count(t, `SELECT COUNT(*) FROM `+table); n != 0 {
				t.Errorf("%s has %d rows after a refused import", table, n)
			}
		}
	})
}

func TestImportRosterTwiceChangesNothing(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newRosterFixture(t, d)
		f.user(t, f.prog.ID, access.Alumnus, "already@harbor.test")
		if _, _, err := f.auth.Invite(f.ctx, f.actor(), "invited@harbor.test", access.Alumnus); err != nil {
			t.Fatal(err)
		}
		data := "first_name,last_name,email,phone,discharge_date,recovery_date,coach_email\n" +
			"In,Vited,invited@harbor.test,,,,\n" +
			"Ana,Lopez,ana@example.org,+1 312 555 0100,2026-01-02,2025-12-01,casey@harbor.test\n" +
			"Bo,Smith,bo@example.org,,,,\n" +
			"Al,Ready,already@harbor.test,,,,\n"
		plan, err := ImportRoster(f.ctx, d, f.auth, f.actor(), []byte(data), rosterNow)
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		if plan.New != 2 || plan.Existing != 2 {
			t.Errorf("first import: new %d existing %d", plan.New, plan.Existing)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM invitations WHERE program_id = ? AND role = 'alumnus'`, f.prog.ID); n != 3 {
			t.Errorf("invitations = %d, want 3 (one made before the import)", n)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM mail_outbox WHERE to_address IN ('ana@example.org', 'bo@example.org')`); n != 2 {
			t.Errorf("invitation emails = %d, want 2", n)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM roster_entries WHERE email = 'ana@example.org' AND coach_id = ? AND recovery_date = '2025-12-01'`, f.coach.ID); n != 1 {
			t.Errorf("roster entry of ana not kept with coach and recovery date")
		}
		before := f.count(t, `SELECT COUNT(*) FROM audit_log`)
		plan, err = ImportRoster(f.ctx, d, f.auth, f.actor(), []byte(data), rosterNow)
		if err != nil {
			t.Fatalf("re-import: %v", err)
		}
		if plan.New != 0 || plan.Existing != 4 {
			t.Errorf("re-import: new %d existing %d", plan.New, plan.Existing)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM invitations`); n != 3 {
			t.Errorf("invitations after re-import = %d, want 3", n)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM mail_outbox`); n != 3 {
			t.Errorf("emails after re-import = %d, want 3", n)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM audit_log`); n != before+1 {
			t.Errorf("re-import wrote %d audit entries, want only roster.import", n-before)
		}
		entries, err := audit.List(f.ctx, d, f.actor(), audit.Filter{Action: "roster.import"})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 || entries[0].Detail["new"] == "" || len(entries[0].Detail) != 2 {
			t.Errorf("roster.import audit entries = %+v", entries)
		}
	})
}

func TestImportRosterStaffOnly(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newRosterFixture(t, d)
		data := rosterCSV(2, "")
		for _, actor := range []access.Actor{f.coach.Actor("r"), {}, f.user(t, f.prog.ID, access.Alumnus, "al@harbor.test").Actor("r")} {
			if _, err := ImportRoster(f.ctx, d, f.auth, actor, data, rosterNow); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("import as %q: err = %v, want not found", actor.Role, err)
			}
			if _, err := PlanRoster(f.ctx, d, actor, data, rosterNow); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("plan as %q: err = %v, want not found", actor.Role, err)
			}
		}
		coord := f.user(t, f.prog.ID, access.Coordinator, "coord@harbor.test")
		if _, err := ImportRoster(f.ctx, d, f.auth, coord.Actor("r"), data, rosterNow); err != nil {
			t.Errorf("coordinator import: %v", err)
		}
	})
}

func TestImportRoster10k(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 rows")
	}
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newRosterFixture(t, d)
		data := rosterCSV(10000, "casey@harbor.test")
		plan, err := ImportRoster(f.ctx, d, f.auth, f.actor(), data, rosterNow)
		if err != nil {
			t.Fatalf("import: %v (%d issues)", err, len(planIssues(plan)))
		}
		if plan.New != 10000 {
			t.Errorf("new = %d", plan.New)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM roster_entries`); n != 10000 {
			t.Errorf("roster entries = %d", n)
		}
	})
}

func planIssues(p *RosterPlan) []RosterIssue {
	if p == nil {
		return nil
	}
	return p.Issues
}

func TestRosterSampleImportsCleanly(t *testing.T) {
	d := testkit.SQLite(t)
	f := newRosterFixture(t, d)
	f.user(t, f.prog.ID, access.Coach, "coach@demo.cairn.test")
	data, err := os.ReadFile("testdata/roster-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := PlanRoster(f.ctx, d, f.actor(), data, rosterNow)
	if err != nil || len(plan.Issues) != 0 || plan.New != 4 {
		t.Fatalf("sample plan: %v %+v", err, plan)
	}
}
