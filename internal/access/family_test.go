package access

import "testing"

func TestFamilyRules(t *testing.T) {
	alum := Actor{UserID: "a1", ProgramID: "p1", Role: Alumnus}
	fam := Actor{UserID: "f1", ProgramID: "p1", Role: Family}
	coach := Actor{UserID: "c1", ProgramID: "p1", Role: Coach}
	if ManageConsents(alum, "a1") != nil {
		t.Error("alumnus may manage own consents")
	}
	for _, a := range []Actor{fam, coach, {UserID: "a2", ProgramID: "p1", Role: Alumnus}, {}} {
		if ManageConsents(a, "a1") == nil {
			t.Errorf("%+v must not manage a1's consents", a)
		}
	}
	if ViewFamilyPage(fam) != nil || ViewFamilyPage(alum) == nil || ViewFamilyPage(Actor{}) == nil {
		t.Error("family page is for family members only")
	}
	if SeeAsFamily(fam, "p1", "f1", true) != nil {
		t.Error("family with live consent may see")
	}
	cases := []struct {
		a       Actor
		prog    string
		family  string
		live    bool
		comment string
	}{
		{fam, "p1", "f1", false, "no live consent"},
		{fam, "p2", "f1", true, "other program"},
		{fam, "p1", "f2", true, "someone else's link"},
		{coach, "p1", "c1", true, "staff"},
		{Actor{}, "p1", "", true, "anonymous"},
	}
	for _, c := range cases {
		if SeeAsFamily(c.a, c.prog, c.family, c.live) == nil {
			t.Errorf("%s: allowed", c.comment)
		}
	}
}
