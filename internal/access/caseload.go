package access

// AssignCoaches: coordinators and admins of the program set a member's
// primary and secondary coaches.
func AssignCoaches(a Actor, programID string) error {
	return allow(a.in(programID) && (a.Role == Coordinator || a.Role == Admin))
}

// ViewCaseload: coaches of the program see the members assigned to them,
// as primary or secondary coach (which members those are is read from the
// assignments, scoped to the coach's own program).
func ViewCaseload(a Actor) error {
	return allow(!a.Anonymous() && a.ProgramID != "" && a.Role == Coach)
}
