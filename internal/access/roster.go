package access

// ImportRoster: coordinators and admins of the program import its roster
// (coaches do not), and so does the installation itself for that program
// (the command line).
func ImportRoster(a Actor, programID string) error {
	return allow(a.in(programID) && (a.Role == Coordinator || a.Role == Admin || a.IsSystem()))
}

// ViewDeletions: coordinators and admins of the program see its members'
// pending account deletion requests.
func ViewDeletions(a Actor, programID string) error {
	return allow(a.in(programID) && (a.Role == Coordinator || a.Role == Admin))
}

// ConfirmDeletion: admins of the program confirm its members' account
// deletion requests.
func ConfirmDeletion(a Actor, programID string) error {
	return allow(a.in(programID) && a.Role == Admin)
}

// ExportOwnData: a signed-in person downloads what Cairn holds about them,
// and asks for their account to be deleted.
func ExportOwnData(a Actor, userID string) error {
	return allow(!a.Anonymous() && a.UserID == userID)
}
