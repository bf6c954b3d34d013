package members

import (
	"errors"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestSecondaryCoach: a coordinator sets, changes and clears a member's
// secondary coach; the secondary coach has the member on their caseload
// marked secondary and stands as "my coach" to them; the history keeps
// both roles.
func TestSecondaryCoach(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		dana := addUser(t, w.ctx, d, w.prog, access.Coach, "Dana", "Park")
		lee := addUser(t, w.ctx, d, w.prog, access.Coach, "Lee", "Hart")
		outsider := addUser(t, w.ctx, d, w.other, access.Coordinator, "Oli", "Berg")
		both := CoachChange{PrimaryID: w.coach.UserID, SecondaryID: dana.UserID, SetSecondary: true}
		for _, a := range []access.Actor{w.alex, w.peer, w.coach, dana, w.family, outsider, {}} {
			if err := SetCoaches(w.ctx, d, a, w.alex.UserID, both); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s of %s set coaches: %v", a.Role, a.ProgramID, err)
			}
		}
		if err := SetCoaches(w.ctx, d, w.staff, "no-such-member", both); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("unknown member: %v", err)
		}
		if rel, err := RelationTo(w.ctx, d, dana, w.alex.UserID); err != nil || rel.Coach {
			t.Fatalf("dana before: %+v %v", rel, err)
		}
		if err := SetCoaches(w.ctx, d, w.staff, w.alex.UserID, both); err != nil {
			t.Fatal(err)
		}
		if got := caseloadIDs(t, w, dana); got[w.alex.UserID].Role != SecondaryCoach {
			t.Errorf("dana's caseload = %+v", got)
		}
		if got := caseloadIDs(t, w, w.coach); got[w.alex.UserID].Role != PrimaryCoach {
			t.Errorf("casey's caseload = %+v", got)
		}
		// The secondary coach is "my coach": they see what Alex shares with their coach.
		if rel, err := RelationTo(w.ctx, d, dana, w.alex.UserID); err != nil || !rel.Coach {
			t.Errorf("dana after: %+v %v", rel, err)
		}
		if err := SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, MustDate("2025-03-14"), ""); err != nil {
			t.Fatal(err)
		}
		if v, err := ViewMember(w.ctx, d, dana, w.alex.UserID); err != nil || !v.RecoveryVisible {
			t.Errorf("the secondary coach's view of Alex: %+v %v", v, err)
		}
		if v, err := ViewMember(w.ctx, d, lee, w.alex.UserID); err != nil || v.RecoveryVisible {
			t.Errorf("another coach's view of Alex: %+v %v", v, err)
		}

		// Bad choices change nothing and name the field.
		var ve ValidationError
		for _, c := range []struct {
			change CoachChange
			field  string
		}{
			{CoachChange{PrimaryID: dana.UserID, SecondaryID: dana.UserID, SetSecondary: true}, "secondary_coach_id"},
			{CoachChange{PrimaryID: lee.UserID, SecondaryID: w.peer.UserID, SetSecondary: true}, "secondary_coach_id"},
			{CoachChange{PrimaryID: lee.UserID, SecondaryID: "nobody", SetSecondary: true}, "secondary_coach_id"},
			{CoachChange{SecondaryID: lee.UserID, SetSecondary: true}, "coach_id"},
		} {
			if err := SetCoaches(w.ctx, d, w.staff, w.alex.UserID, c.change); !errors.As(err, &ve) || ve.For(c.field) == "" {
				t.Errorf("%+v: %v, want an error on %s", c.change, err, c.field)
			}
		}
		if f, err := LoadCoachForm(w.ctx, d, w.staff, w.alex.UserID); err != nil || f.CoachID != w.coach.UserID || f.SecondaryID != dana.UserID {
			t.Errorf("after bad choices: %+v %v", f, err)
		}

		// The old request shape keeps the secondary coach...
		if err := SetPrimaryCoach(w.ctx, d, w.staff, w.alex.UserID, lee.UserID); err != nil {
			t.Fatal(err)
		}
		if f, _ := LoadCoachForm(w.ctx, d, w.staff, w.alex.UserID); f.CoachID != lee.UserID || f.SecondaryID != dana.UserID {
			t.Errorf("primary changed: %+v", f)
		}
		// ...unless the secondary coach becomes the primary one.
		if err := SetPrimaryCoach(w.ctx, d, w.staff, w.alex.UserID, dana.UserID); err != nil {
			t.Fatal(err)
		}
		if f, _ := LoadCoachForm(w.ctx, d, w.staff, w.alex.UserID); f.CoachID != dana.UserID || f.SecondaryID != "" {
			t.Errorf("secondary promoted: %+v", f)
		}
		if err := SetCoaches(w.ctx, d, w.staff, w.alex.UserID, CoachChange{PrimaryID: dana.UserID, SecondaryID: lee.UserID, SetSecondary: true}); err != nil {
			t.Fatal(err)
		}
		// Clearing the secondary coach takes Alex off their caseload.
		if err := SetCoaches(w.ctx, d, w.staff, w.alex.UserID, CoachChange{PrimaryID: dana.UserID, SetSecondary: true}); err != nil {
			t.Fatal(err)
		}
		if got := caseloadIDs(t, w, lee); len(got) != 0 {
			t.Errorf("cleared secondary coach still has %+v", got)
		}
		if rel, err := RelationTo(w.ctx, d, lee, w.alex.UserID); err != nil || rel.Coach {
			t.Errorf("cleared secondary coach: %+v %v", rel, err)
		}
		var before int
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&before); err != nil {
			t.Fatal(err)
		}
		if err := SetCoaches(w.ctx, d, w.staff, w.alex.UserID, CoachChange{PrimaryID: dana.UserID, SetSecondary: true}); err != nil {
			t.Fatal(err)
		}
		var after int
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&after); err != nil || after != before {
			t.Errorf("setting the same coaches again wrote %d audit entries (%v)", after-before, err)
		}

		h, err := CoachHistory(w.ctx, d, w.staff, w.alex.UserID)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			coach, role string
			open        bool
		}
		want := []row{
			{w.coach.UserID, PrimaryCoach, false}, {dana.UserID, SecondaryCoach, false},
			{lee.UserID, PrimaryCoach, false}, {dana.UserID, PrimaryCoach, true}, {lee.UserID, SecondaryCoach, false},
		}
		got := map[row]int{}
		for _, a := range h {
			got[row{a.CoachID, a.Role, a.EndedAt.IsZero()}]++
			if a.AssignedBy != w.staff.UserID {
				t.Errorf("history row %+v not by the coordinator", a)
			}
		}
		if len(h) != len(want) {
			t.Errorf("history has %d rows, want %d: %+v", len(h), len(want), h)
		}
		for _, r := range want {
			if got[r] != 1 {
				t.Errorf("history lacks %+v: %+v", r, h)
			}
		}
		if _, err := CoachHistory(w.ctx, d, dana, w.alex.UserID); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("a coach read the history: %v", err)
		}
		var n int
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND link = '/caseload'`, lee.UserID).Scan(&n); err != nil || n != 2 {
			t.Errorf("lee's caseload notifications = %d, %v (primary once, secondary once)", n, err)
		}
	})
}

// TestCaseloadSharesOnlyWhatMembersChose: milestones and pathways appear
// only when the member shares them with their coach; the caseload filters
// by role and sorts by last contact, never-contacted first.
func TestCaseloadSharesOnlyWhatMembersChose(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		dana := addUser(t, w.ctx, d, w.prog, access.Coach, "Dana", "Park")
		if err := SetCoaches(w.ctx, d, w.staff, w.peer.UserID, CoachChange{PrimaryID: dana.UserID, SecondaryID: w.coach.UserID, SetSecondary: true}); err != nil {
			t.Fatal(err)
		}
		today := Today(time.UTC, clock())
		start := today.AddDays(-45)
		for _, a := range []access.Actor{w.alex, w.peer} {
			if err := SetRecoveryDate(w.ctx, d, a, a.UserID, start, ""); err != nil {
				t.Fatal(err)
			}
		}
		alexIn := ProfileInput{Pathways: []string{"smart"}, Visibility: DefaultVisibility}
		alexIn.Visibility.Pathways = access.VisMe
		w.save(t, w.alex, alexIn)
		patIn := ProfileInput{Pathways: []string{"12-step", "faith"}, Visibility: DefaultVisibility}
		patIn.Visibility.Milestones, patIn.Visibility.Recovery = access.VisMe, access.VisMe
		w.save(t, w.peer, patIn)

		got := caseloadIDs(t, w, w.coach)
		alex, pat := got[w.alex.UserID], got[w.peer.UserID]
		if alex.Role != PrimaryCoach || pat.Role != SecondaryCoach {
			t.Errorf("roles: alex %q, pat %q", alex.Role, pat.Role)
		}
		if !alex.MilestonesVisible || alex.LastMilestone == nil || alex.LastMilestone.Label != "30 days" ||
			alex.NextMilestone == nil || alex.NextMilestone.Label != "60 days" {
			t.Errorf("alex's milestones: %+v last %+v next %+v", alex, alex.LastMilestone, alex.NextMilestone)
		}
		if alex.PathwaysVisible || alex.Pathways != nil {
			t.Errorf("alex's private pathways shown: %+v", alex)
		}
		if pat.MilestonesVisible || pat.LastMilestone != nil || pat.NextMilestone != nil || pat.RecoveryVisible || !pat.RecoverySince.IsZero() {
			t.Errorf("pat's private recovery shown: %+v", pat)
		}
		if !pat.PathwaysVisible || len(pat.PathwayLabels()) != 2 || pat.PathwayLabels()[1] != "Faith-based" {
			t.Errorf("pat's shared pathways: %+v", pat)
		}

		list := func(f CaseloadFilter) []string {
			t.Helper()
			l, err := Caseload(w.ctx, d, w.coach, f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range l {
				ids = append(ids, e.MemberID)
			}
			return ids
		}
		if ids := list(CaseloadFilter{Role: SecondaryCoach}); len(ids) != 1 || ids[0] != w.peer.UserID {
			t.Errorf("secondary only: %v", ids)
		}
		if ids := list(CaseloadFilter{Role: PrimaryCoach}); len(ids) != 1 || ids[0] != w.alex.UserID {
			t.Errorf("primary only: %v", ids)
		}
		// Never contacted: by name (Alex, Pat). After a note about Alex,
		// Pat (never contacted) comes first.
		if ids := list(CaseloadFilter{}); len(ids) != 2 || ids[0] != w.alex.UserID {
			t.Errorf("by contact, none yet: %v", ids)
		}
		if err := recordNote(w, w.coach, w.alex.UserID); err != nil {
			t.Fatal(err)
		}
		if ids := list(CaseloadFilter{}); len(ids) != 2 || ids[0] != w.peer.UserID {
			t.Errorf("by contact after a note about Alex: %v", ids)
		}
		if ids := list(CaseloadFilter{Sort: ByName}); len(ids) != 2 || ids[0] != w.alex.UserID {
			t.Errorf("by name: %v", ids)
		}
		var ve ValidationError
		if _, err := Caseload(w.ctx, d, w.coach, CaseloadFilter{Role: "tertiary", Sort: "age"}); !errors.As(err, &ve) || ve.For("role") == "" || ve.For("sort") == "" {
			t.Errorf("bad filter: %v", err)
		}
	})
}

// recordNote records that a did something about memberID, as a coach's
// note would.
func recordNote(w *world, a access.Actor, memberID string) error {
	return audit.RecordNow(w.ctx, w.d, a, audit.Event{Action: "member.note", SubjectType: "user", SubjectID: memberID})
}

// FuzzCaseloadFilter: any ?role= and ?sort= either pass or give an error
// naming the field that is wrong.
func FuzzCaseloadFilter(f *testing.F) {
	for _, s := range [][2]string{{"", ""}, {"primary", "name"}, {"secondary", "contact"}, {"tertiary", "age"}, {"Primary", " name"}, {"\xff", "<b>"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, role, sort string) {
		err := CaseloadFilter{Role: role, Sort: sort}.Validate()
		roleOK := role == "" || role == PrimaryCoach || role == SecondaryCoach
		sortOK := sort == "" || sort == ByContact || sort == ByName
		if roleOK && sortOK {
			if err != nil {
				t.Fatalf("%q %q: %v", role, sort, err)
			}
			return
		}
		var ve ValidationError
		if !errors.As(err, &ve) || (ve.For("role") != "") == roleOK || (ve.For("sort") != "") == sortOK {
			t.Fatalf("%q %q: %v", role, sort, err)
		}
	})
}

// TestSetCoachesTidiesOldAssignments: a member given several coaches
// before coach roles existed (or by a roster import, which only adds) has
// exactly their primary and secondary coach once a coordinator sets them.
func TestSetCoachesTidiesOldAssignments(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d) // Casey coaches Alex
		dana := addUser(t, w.ctx, d, w.prog, access.Coach, "Dana", "Park")
		if err := d.Tx(w.ctx, func(tx *db.Tx) error { return AssignCoach(w.ctx, tx, w.prog, w.alex.UserID, dana.UserID) }); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM coach_assignments WHERE member_id = ?`, w.alex.UserID).Scan(&n); err != nil || n != 1 {
			t.Fatalf("AssignCoach over a primary coach: %d assignments, want 1 (%v)", n, err)
		}
		// Two primaries, as left from before coach roles existed.
		if _, err := d.Exec(w.ctx, `INSERT INTO coach_assignments (member_id, coach_id, program_id, role) VALUES (?, ?, ?, 'primary')`,
			w.alex.UserID, dana.UserID, w.prog); err != nil {
			t.Fatal(err)
		}
		f, err := LoadCoachForm(w.ctx, d, w.staff, w.alex.UserID)
		if err != nil || f.CoachID == "" {
			t.Fatalf("form over two primaries: %+v %v", f, err)
		}
		if err := SetCoaches(w.ctx, d, w.staff, w.alex.UserID, CoachChange{PrimaryID: f.CoachID, SetSecondary: true}); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM coach_assignments WHERE member_id = ?`, w.alex.UserID).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d assignments after tidying, want 1 (%v)", n, err)
		}
	})
}
