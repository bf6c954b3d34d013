package access

// Safety: blocks, reports and what staff do about them. Moderate (in
// peers.go) lets staff reach the queue; the rules below decide each act.

// UseBlocks: alumni and family of a program may block others of their
// program and list whom they blocked. Staff do not block: they serve
// everyone, and report or moderate instead.
func UseBlocks(a Actor) error {
	return allow(!a.Anonymous() && a.ProgramID != "" && (a.Role == Alumnus || a.Role == Family))
}

// BlockPerson: a signed-in person blocks someone else of their program who
// is not staff (staff stay reachable, for everyone's safety).
func BlockPerson(a Actor, programID, targetID string, target Role) error {
	return allow(UseBlocks(a) == nil && a.in(programID) && targetID != a.UserID && !target.Staff())
}

// FileReports: every signed-in person of a program may report what they
// can see.
func FileReports(a Actor) error {
	return allow(!a.Anonymous() && a.ProgramID != "")
}

// ModerateReport: staff of the report's program read a report, the content
// it is about, and hide, unhide, warn or dismiss.
func ModerateReport(a Actor, programID string) error {
	return allow(Moderate(a) == nil && a.in(programID))
}

// SuspendAccount: coordinators and admins of the program suspend (and lift
// the suspension of) an account of their program other than their own;
// only admins suspend staff.
func SuspendAccount(a Actor, programID, targetID string, target Role) error {
	ok := a.in(programID) && !a.Anonymous() && targetID != a.UserID &&
		(a.Role == Coordinator || a.Role == Admin) && (!target.Staff() || a.Role == Admin)
	return allow(ok)
}

// ReadReportedConversation: staff who may moderate a report of their
// program (ModerateReport) read the conversation around a reported
// message, to judge it in context. They reach it only through the report,
// every read is audited with the report, and blocks between members do not
// hide messages from them.
func ReadReportedConversation(a Actor, programID string) error {
	return allow(ModerateReport(a, programID) == nil)
}

// ManageMessageKeys: the program's admins see the program's message keys
// (ids, dates and counts, never key material) and rotate the active one.
func ManageMessageKeys(a Actor, programID string) error {
	return allow(!a.Anonymous() && a.in(programID) && a.Role == Admin)
}
