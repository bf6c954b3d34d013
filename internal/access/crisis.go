package access

// The rules of the crisis support page (internal/peers/crisis).

// ReachOutToCoach: a signed-in member of a program (an alumnus, or a
// family member, who reaches the program's coordinators) asks to be
// contacted now from the support page. Staff are the ones who reach out,
// and the anonymous visitor has the public crisis numbers.
func ReachOutToCoach(a Actor) error {
	return allow(!a.Anonymous() && !a.IsSystem() && a.ProgramID != "" && (a.Role == Alumnus || a.Role == Family))
}
