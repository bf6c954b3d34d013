package access

import "testing"

func TestEventRules(t *testing.T) {
	const p, other = "p1", "p2"
	admin := Actor{UserID: "a", ProgramID: p, Role: Admin}
	coord := Actor{UserID: "c", ProgramID: p, Role: Coordinator}
	coach := Actor{UserID: "k", ProgramID: p, Role: Coach}
	alum := Actor{UserID: "m", ProgramID: p, Role: Alumnus}
	fam := Actor{UserID: "f", ProgramID: p, Role: Family}
	foreign := Actor{UserID: "x", ProgramID: other, Role: Coordinator}
	anon := Actor{}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"alumnus sees alumni event", ViewEvent(alum, p, "alumni"), true},
		{"alumnus sees public event", ViewEvent(alum, p, "public"), true},
		{"alumnus does not see staff event", ViewEvent(alum, p, "staff"), false},
		{"family sees family dinner", ViewEvent(fam, p, "alumni_family"), true},
		{"family does not see alumni-only event", ViewEvent(fam, p, "alumni"), false},
		{"coach sees staff event", ViewEvent(coach, p, "staff"), true},
		{"other program does not see event", ViewEvent(foreign, p, "public"), false},
		{"visitor does not see event page", ViewEvent(anon, p, "public"), false},
		{"family RSVPs to family dinner", RSVPEvent(fam, p, "alumni_family"), true},
		{"coordinator manages events", ManageEvents(coord, p), true},
		{"admin manages events", ManageEvents(admin, p), true},
		{"coach does not manage events", ManageEvents(coach, p), false},
		{"alumnus does not manage events", ManageEvents(alum, p), false},
		{"foreign coordinator does not manage events", ManageEvents(foreign, p), false},
		{"coach takes attendance", TakeAttendance(coach, p), true},
		{"alumnus does not take attendance", TakeAttendance(alum, p), false},
		{"staff see all attendees", SeeAllAttendees(coord, p), true},
		{"family does not see all attendees", SeeAllAttendees(fam, p), false},
		{"alumnus sees own attendance", SeeAttendanceOf(alum, p, "m"), true},
		{"alumnus does not see another's attendance", SeeAttendanceOf(alum, p, "z"), false},
		{"coach sees a member's attendance", SeeAttendanceOf(coach, p, "z"), true},
		{"foreign staff do not see attendance", SeeAttendanceOf(foreign, p, "z"), false},
		{"member has a calendar feed", UseCalendarFeed(fam), true},
		{"visitor has no calendar feed", UseCalendarFeed(anon), false},
		{"alumnus answers honour", AnswerHonour(alum), true},
		{"family does not answer honour", AnswerHonour(fam), false},
	}
	for _, tt := range tests {
		if got := tt.err == nil; got != tt.want {
			t.Errorf("%s: allowed = %v, want %v", tt.name, got, tt.want)
		}
	}
}
