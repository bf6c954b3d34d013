package access

// SeeHiddenMembers: staff of the program see members who hid themselves
// from the directory (in the directory and on their profile pages); other
// members see them only as their coach or buddy, or themselves.
func SeeHiddenMembers(a Actor, programID string) error {
	return allow(a.in(programID) && a.Role.Staff())
}
