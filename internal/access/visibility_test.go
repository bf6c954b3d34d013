package access

import "testing"

func TestParseVisibility(t *testing.T) {
	for _, v := range Visibilities {
		got, err := ParseVisibility(string(v))
		if err != nil || got != v {
			t.Errorf("ParseVisibility(%q) = %q, %v", v, got, err)
		}
	}
	for _, s := range []string{"", "everyone", "Program", " me"} {
		if _, err := ParseVisibility(s); err == nil {
			t.Errorf("ParseVisibility(%q) accepted", s)
		}
	}
}

func TestMaySee(t *testing.T) {
	self := Relation{Self: true, SameProgram: true}
	coach := Relation{Coach: true, SameProgram: true}
	buddy := Relation{Buddy: true, SameProgram: true}
	peer := Relation{SameProgram: true}
	outsider := Relation{}
	// A stale coach or buddy row from another program grants nothing.
	foreignCoach := Relation{Coach: true, Buddy: true}
	cases := []struct {
		v    Visibility
		rel  Relation
		name string
		want bool
	}{
		{VisMe, self, "self", true},
		{VisMe, coach, "coach", false},
		{VisMe, buddy, "buddy", false},
		{VisMe, peer, "peer", false},
		{VisMe, outsider, "outsider", false},
		{VisCoach, self, "self", true},
		{VisCoach, coach, "coach", true},
		{VisCoach, buddy, "buddy", false},
		{VisCoach, peer, "peer", false},
		{VisCoach, outsider, "outsider", false},
		{VisCoach, foreignCoach, "foreign coach", false},
		{VisBuddy, self, "self", true},
		{VisBuddy, coach, "coach", true},
		{VisBuddy, buddy, "buddy", true},
		{VisBuddy, peer, "peer", false},
		{VisBuddy, outsider, "outsider", false},
		{VisProgram, self, "self", true},
		{VisProgram, coach, "coach", true},
		{VisProgram, buddy, "buddy", true},
		{VisProgram, peer, "peer", true},
		{VisProgram, outsider, "outsider", false},
		{Visibility("bogus"), peer, "peer, unknown level", false},
		{Visibility("bogus"), self, "self, unknown level", true},
	}
	for _, c := range cases {
		if got := MaySee(c.v, c.rel); got != c.want {
			t.Errorf("MaySee(%s, %s) = %v, want %v", c.v, c.name, got, c.want)
		}
	}
}
