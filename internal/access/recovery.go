package access

// The rules of recovery dates and of a person's own account that are not
// about one field's visibility.

// RecoveryFacts are what the store knows about a member when someone
// wants to set their recovery date.
type RecoveryFacts struct {
	// MemberID and ProgramID name the member and their program.
	MemberID, ProgramID string
	// AssignedCoach: the actor is assigned as one of the member's coaches.
	AssignedCoach bool
	// CoachMayEdit: the member lets their coach set their recovery date.
	CoachMayEdit bool
}

// EditRecoveryOf: the member sets their own recovery date; their assigned
// coach (staff of the same program) may when the member allows it; the
// installation may in the member's program (roster import). Anyone else,
// another coach or a buddy included, may not.
func EditRecoveryOf(a Actor, f RecoveryFacts) error {
	switch {
	case f.ProgramID == "" || f.MemberID == "":
		return ErrNotFound
	case a.IsSystem():
		return allow(a.ProgramID == f.ProgramID)
	case a.Anonymous() || !a.in(f.ProgramID):
		return ErrNotFound
	case a.UserID == f.MemberID:
		return nil
	}
	return allow(a.Role.Staff() && f.AssignedCoach && f.CoachMayEdit)
}

// RequestOwnDeletion: a signed-in member (alumnus or family) asks for
// their own account to be deleted; staff accounts are closed by another
// admin instead.
func RequestOwnDeletion(a Actor, userID string) error {
	return allow(ExportOwnData(a, userID) == nil && !a.Role.Staff())
}

// SeeAdminArea: staff see the Admin link in the navigation (the admin
// index then lists only the sections each may use).
func SeeAdminArea(a Actor) error {
	return allow(!a.Anonymous() && a.Role.Staff())
}
