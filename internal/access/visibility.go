package access

import "fmt"

// Visibility is who may see one sensitive field of a member, as a ladder:
// each level includes the ones before it.
type Visibility string

// The visibility levels, from the narrowest to the widest.
const (
	// VisMe: only the member.
	VisMe Visibility = "me"
	// VisCoach: the member and their coach(es).
	VisCoach Visibility = "coach"
	// VisBuddy: the member, their coach(es) and their buddy.
	VisBuddy Visibility = "buddy"
	// VisProgram: every signed-in alumnus and staff member of the program.
	VisProgram Visibility = "program"
)

// Visibilities lists every level, narrowest first.
var Visibilities = []Visibility{VisMe, VisCoach, VisBuddy, VisProgram}

// ParseVisibility returns the level named s, or an error naming the choices.
func ParseVisibility(s string) (Visibility, error) {
	for _, v := range Visibilities {
		if string(v) == s {
			return v, nil
		}
	}
	return "", fmt.Errorf("unknown visibility %q (choose me, coach, buddy or program)", s)
}

// Label is the level's name for people, as on the profile form.
func (v Visibility) Label() string {
	switch v {
	case VisMe:
		return "Only me"
	case VisCoach:
		return "Me and my coach"
	case VisBuddy:
		return "Me, my coach and my buddy"
	case VisProgram:
		return "Alumni and staff of my program"
	}
	return string(v)
}

// Relation is how a viewer stands to a member (computed by
// internal/members). Family members are never Coach, Buddy or SameProgram
// in this sense: they see a member's data only through a consent.
type Relation struct {
	// Self: the viewer is the member.
	Self bool
	// Coach: the viewer is assigned as one of the member's coaches.
	Coach bool
	// Buddy: the viewer and the member are buddies.
	Buddy bool
	// SameProgram: the viewer is a signed-in alumnus or staff member of the
	// member's program.
	SameProgram bool
}

// MaySee reports whether a viewer with rel may see a field with
// visibility v. Every level requires the same program, except the member
// themself; an unknown level shows the field to the member only. Family
// never see through this ladder (only through consent).
func MaySee(v Visibility, rel Relation) bool {
	if rel.Self {
		return true
	}
	if !rel.SameProgram {
		return false
	}
	switch v {
	case VisCoach:
		return rel.Coach
	case VisBuddy:
		return rel.Coach || rel.Buddy
	case VisProgram:
		return true
	}
	return false
}
