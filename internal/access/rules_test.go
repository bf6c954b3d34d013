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
		{"not another's account", OwnAccount(alum, "a"), false},
		{"anonymous has no account", OwnAccount(anon, ""), false},
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
