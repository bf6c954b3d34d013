package access

import "testing"

// The rules of reading a reported conversation and managing message keys.
func TestSafetyStaffRules(t *testing.T) {
	const p, other = "p1", "p2"
	admin := Actor{UserID: "a", ProgramID: p, Role: Admin}
	coord := Actor{UserID: "c", ProgramID: p, Role: Coordinator}
	coach := Actor{UserID: "k", ProgramID: p, Role: Coach}
	alum := Actor{UserID: "m", ProgramID: p, Role: Alumnus}
	fam := Actor{UserID: "f", ProgramID: p, Role: Family}
	foreignAdmin := Actor{UserID: "x", ProgramID: other, Role: Admin}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"admin reads a reported conversation", ReadReportedConversation(admin, p), true},
		{"coordinator reads a reported conversation", ReadReportedConversation(coord, p), true},
		{"coach who moderates reads a reported conversation", ReadReportedConversation(coach, p), true},
		{"alumnus cannot read a reported conversation", ReadReportedConversation(alum, p), false},
		{"family cannot read a reported conversation", ReadReportedConversation(fam, p), false},
		{"foreign admin cannot read this program's", ReadReportedConversation(foreignAdmin, p), false},
		{"anonymous cannot read a reported conversation", ReadReportedConversation(Actor{}, p), false},
		{"system cannot read a reported conversation", ReadReportedConversation(System(p), p), false},
		{"admin manages message keys", ManageMessageKeys(admin, p), true},
		{"coordinator cannot manage message keys", ManageMessageKeys(coord, p), false},
		{"coach cannot manage message keys", ManageMessageKeys(coach, p), false},
		{"alumnus cannot manage message keys", ManageMessageKeys(alum, p), false},
		{"foreign admin cannot manage these keys", ManageMessageKeys(foreignAdmin, p), false},
		{"anonymous cannot manage message keys", ManageMessageKeys(Actor{}, p), false},
	}
	for _, tt := range tests {
		if got := tt.err == nil; got != tt.want {
			t.Errorf("%s: allowed = %v, want %v", tt.name, got, tt.want)
		}
		if tt.err != nil && tt.err != ErrNotFound {
			t.Errorf("%s: error %v, want ErrNotFound", tt.name, tt.err)
		}
	}
}
