package access

import "testing"

func TestSeeOnlineLink(t *testing.T) {
	const p = "p1"
	coach := Actor{UserID: "k", ProgramID: p, Role: Coach}
	alum := Actor{UserID: "m", ProgramID: p, Role: Alumnus}
	fam := Actor{UserID: "f", ProgramID: p, Role: Family}
	foreign := Actor{UserID: "x", ProgramID: "p2", Role: Alumnus}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"staff see the link", SeeOnlineLink(coach, p, ""), true},
		{"confirmed alumnus sees the link", SeeOnlineLink(alum, p, "confirmed"), true},
		{"confirmed family member sees the link", SeeOnlineLink(fam, p, "confirmed"), true},
		{"maybe does not see the link", SeeOnlineLink(alum, p, "tentative"), false},
		{"waitlisted does not see the link", SeeOnlineLink(alum, p, "waitlisted"), false},
		{"no RSVP, no link", SeeOnlineLink(alum, p, ""), false},
		{"other program, no link", SeeOnlineLink(foreign, p, "confirmed"), false},
		{"visitor, no link", SeeOnlineLink(Actor{}, p, "confirmed"), false},
	}
	for _, tt := range tests {
		if got := tt.err == nil; got != tt.want {
			t.Errorf("%s: allowed = %v, want %v", tt.name, got, tt.want)
		}
	}
}
