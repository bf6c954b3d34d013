package access

import (
	"errors"
	"testing"
)

func TestRules(t *testing.T) {
	const p, other = "p1", "p2"
	admin := Actor{UserID: "a", ProgramID: p, Role: Admin}
	coord := Actor{UserID: "c", ProgramID: p, Role: Coordinator}
	coach := Actor{UserID: "k", ProgramID: p, Role: Coach}
	alum := Actor{UserID: "m", ProgramID: p, Role: Alumnus}
	fam := Actor{UserID: "f", ProgramID: p, Role: Family}
	foreignAdmin := Actor{UserID: "x", ProgramID: other, Role: Admin}
	anon := Actor{}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"admin views audit", ViewAudit(admin, p), true},
		{"coordinator cannot view audit", ViewAudit(coord, p), false},
		{"other program's admin cannot view audit", ViewAudit(foreignAdmin, p), false},
		{"anonymous cannot view audit", ViewAudit(anon, p), false},
		{"coordinator views people", ViewPeople(coord, p), true},
		{"coach does not list people", ViewPeople(coach, p), false},
		{"alumnus does not list people", ViewPeople(alum, p), false},
		{"admin invites admin", Invite(admin, p, Admin), true},
		{"coordinator invites coach", Invite(coord, p, Coach), true},
		{"coordinator cannot invite admin", Invite(coord, p, Admin), false},
		{"coach invites alumnus", Invite(coach, p, Alumnus), true},
		{"coach cannot invite coordinator", Invite(coach, p, Coordinator), false},
		{"alumnus cannot invite", Invite(alum, p, Alumnus), false},
		{"family cannot invite", Invite(fam, p, Family), false},
		{"foreign admin cannot invite here", Invite(foreignAdmin, p, Alumnus), false},
		{"system invites in its program", Invite(System(p), p, Admin), true},
		{"admin manages another", ManageAccount(admin, p, "m"), true},
		{"admin cannot manage self", ManageAccount(admin, p, "a"), false},
		{"coordinator cannot manage accounts", ManageAccount(coord, p, "m"), false},
		{"admin edits program", EditProgram(admin, p), true},
		{"foreign admin cannot edit program", EditProgram(foreignAdmin, p), false},
		{"own account", OwnAccount(alum, "m"), true},
		{"admin manages jobs", ManageJobs(admin, p), true},
		{"admin manages installation jobs", ManageJobs(admin, ""), true},
		{"coordinator cannot manage jobs", ManageJobs(coord, p), false},
		{"coordinator edits interests", EditInterests(coord, p), true},
		{"coach cannot edit interests", EditInterests(coach, p), false},
		{"foreign admin cannot edit interests", EditInterests(foreignAdmin, p), false},
		{"admin edits milestone schedule", EditMilestoneSchedule(admin, p), true},
		{"alumnus cannot edit milestone schedule", EditMilestoneSchedule(alum, p), false},
		{"alumnus keeps own recovery", OwnRecovery(alum), true},
		{"coach has no own recovery", OwnRecovery(coach), false},
		{"family has no own recovery", OwnRecovery(fam), false},
		{"anonymous has no recovery", OwnRecovery(anon), false},
		{"coach lists upcoming milestones", ViewUpcomingMilestones(coach, p), true},
		{"alumnus cannot list upcoming milestones", ViewUpcomingMilestones(alum, p), false},
		{"foreign admin cannot list upcoming milestones here", ViewUpcomingMilestones(foreignAdmin, p), false},
		{"alumnus uses profiles", UseProfiles(alum), true},
		{"coach uses profiles", UseProfiles(coach), true},
		{"family does not use profiles", UseProfiles(fam), false},
		{"coordinator sees hidden members", SeeHiddenMembers(coord, p), true},
		{"coach sees hidden members", SeeHiddenMembers(coach, p), true},
		{"alumnus does not see hidden members", SeeHiddenMembers(alum, p), false},
		{"foreign admin does not see hidden members here", SeeHiddenMembers(foreignAdmin, p), false},
		{"not another's account", OwnAccount(alum, "a"), false},
		{"anonymous has no account", OwnAccount(anon, ""), false},
		{"alumnus sets own recovery date", EditRecoveryOf(alum, RecoveryFacts{MemberID: "m", ProgramID: p}), true},
		{"assigned coach sets it when allowed", EditRecoveryOf(coach, RecoveryFacts{MemberID: "m", ProgramID: p, AssignedCoach: true, CoachMayEdit: true}), true},
		{"assigned coach not allowed by member", EditRecoveryOf(coach, RecoveryFacts{MemberID: "m", ProgramID: p, AssignedCoach: true}), false},
		{"another coach cannot set it", EditRecoveryOf(coach, RecoveryFacts{MemberID: "m", ProgramID: p, CoachMayEdit: true}), false},
		{"another alumnus cannot set it", EditRecoveryOf(Actor{UserID: "o", ProgramID: p, Role: Alumnus}, RecoveryFacts{MemberID: "m", ProgramID: p, AssignedCoach: true, CoachMayEdit: true}), false},
		{"coach of another program cannot set it", EditRecoveryOf(Actor{UserID: "k", ProgramID: other, Role: Coach}, RecoveryFacts{MemberID: "m", ProgramID: p, AssignedCoach: true, CoachMayEdit: true}), false},
		{"family cannot set it", EditRecoveryOf(fam, RecoveryFacts{MemberID: "m", ProgramID: p, AssignedCoach: true, CoachMayEdit: true}), false},
		{"anonymous cannot set it", EditRecoveryOf(anon, RecoveryFacts{MemberID: "m", ProgramID: p}), false},
		{"system sets it in its program", EditRecoveryOf(System(p), RecoveryFacts{MemberID: "m", ProgramID: p}), true},
		{"system of another program cannot", EditRecoveryOf(System(other), RecoveryFacts{MemberID: "m", ProgramID: p}), false},
		{"alumnus requests own deletion", RequestOwnDeletion(alum, "m"), true},
		{"family requests own deletion", RequestOwnDeletion(fam, "f"), true},
		{"not another's deletion", RequestOwnDeletion(alum, "f"), false},
		{"coach does not request deletion", RequestOwnDeletion(coach, "k"), false},
		{"admin does not request deletion", RequestOwnDeletion(admin, "a"), false},
		{"anonymous requests no deletion", RequestOwnDeletion(anon, ""), false},
		{"admin sees admin area", SeeAdminArea(admin), true},
		{"coordinator sees admin area", SeeAdminArea(coord), true},
		{"coach sees admin area", SeeAdminArea(coach), true},
		{"alumnus does not see admin area", SeeAdminArea(alum), false},
		{"family does not see admin area", SeeAdminArea(fam), false},
		{"anonymous does not see admin area", SeeAdminArea(anon), false},
	}
	for _, tt := range tests {
		if got := tt.err == nil; got != tt.want {
			t.Errorf("%s: allowed = %v, want %v", tt.name, got, tt.want)
		}
		if tt.err != nil && !errors.Is(tt.err, ErrNotFound) {
			t.Errorf("%s: denial %v is not ErrNotFound", tt.name, tt.err)
		}
	}
}
