package access

// AssignCoaches: coordinators and admins of the program set a member's
// primary coach.
func AssignCoaches(a Actor, programID string) error {
	return allow(a.in(programID) && (a.Role == Coordinator || a.Role == Admin))
}

// ViewCaseload: coaches of the program see the members assigned to them.
func ViewCaseload(a Actor) error {
	return allow(!a.Anonymous() && a.ProgramID != "" && a.Role == Coach)
}
