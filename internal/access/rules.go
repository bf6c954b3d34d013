package access

// The rules of the foundation: people, invitations, roles, the audit log
// and program settings. Each takes the program (and where it matters the
// person) the action is about, and returns nil or ErrNotFound.

// ViewPeople: staff of the program see its list of people.
func ViewPeople(a Actor, programID string) error {
	return allow(a.in(programID) && (a.Role == Coordinator || a.Role == Admin))
}

// InviteRoles lists the roles the actor may invite people into: admins any
// role, coordinators members and coaches, coaches alumni and family.
func InviteRoles(a Actor) []Role {
	switch a.Role {
	case Admin:
		return Roles
	case Coordinator:
		return []Role{Alumnus, Family, Coach}
	case Coach:
		return []Role{Alumnus, Family}
	}
	return nil
}

// Invite: may the actor invite someone into programID with role?
func Invite(a Actor, programID string, role Role) error {
	if !a.in(programID) && !(a.IsSystem() && a.ProgramID == programID) {
		return ErrNotFound
	}
	if a.IsSystem() {
		return nil
	}
	for _, r := range InviteRoles(a) {
		if r == role {
			return nil
		}
	}
	return ErrNotFound
}

// ViewInvitations: staff who may invite see the program's open invitations.
func ViewInvitations(a Actor, programID string) error {
	return allow(a.in(programID) && len(InviteRoles(a)) > 0)
}

// ManageAccount: only admins change another person's role or disable an
// account, and never their own (so a program cannot lose its last admin by
// accident, and nobody raises their own rights).
func ManageAccount(a Actor, programID, userID string) error {
	return allow(a.in(programID) && a.Role == Admin && a.UserID != userID)
}

// ViewAudit: admins read their program's audit log.
func ViewAudit(a Actor, programID string) error {
	return allow(a.in(programID) && a.Role == Admin)
}

// EditProgram: admins change the program's settings and public page.
func EditProgram(a Actor, programID string) error {
	return allow(a.in(programID) && a.Role == Admin)
}

// ViewOutbox: admins read the program's outgoing mail.
func ViewOutbox(a Actor, programID string) error {
	return allow(a.in(programID) && a.Role == Admin)
}

// OwnAccount: a signed-in person manages their own password, second factor
// and sessions.
func OwnAccount(a Actor, userID string) error {
	return allow(!a.Anonymous() && a.UserID == userID)
}

// ManageJobs: admins see and retry or discard the failed background jobs
// of their program, and those of the installation (programID "").
func ManageJobs(a Actor, programID string) error {
	return allow(!a.Anonymous() && a.Role == Admin && a.ProgramID != "" && (programID == "" || a.in(programID)))
}

// EditInterests: coordinators and admins keep the program's list of
// interests and hobbies that members choose from.
func EditInterests(a Actor, programID string) error {
	return allow(a.in(programID) && (a.Role == Coordinator || a.Role == Admin))
}

// EditMilestoneSchedule: coordinators and admins set the program's
// milestone schedule.
func EditMilestoneSchedule(a Actor, programID string) error {
	return allow(a.in(programID) && (a.Role == Coordinator || a.Role == Admin))
}

// OwnRecovery: an alumnus reads and keeps their own recovery date,
// periods, settings and milestones.
func OwnRecovery(a Actor) error {
	return allow(!a.Anonymous() && a.Role == Alumnus)
}

// UseProfiles: alumni and staff have profiles and use the directory;
// family members do not.
func UseProfiles(a Actor) error {
	return allow(!a.Anonymous() && (a.Role == Alumnus || a.Role.Staff()))
}

// ViewUpcomingMilestones: staff of the program list upcoming milestones
// (for milestone dinners); each member is still shown only as their
// milestone visibility allows (MaySee).
func ViewUpcomingMilestones(a Actor, programID string) error {
	return allow(a.in(programID) && a.Role.Staff())
}

// SecondFactorRequired reports whether people with role must use a second
// factor: staff see other people's records.
func SecondFactorRequired(r Role) bool { return r.Staff() }

// ViewMetrics: an admin's API token opens /metrics from another machine
// (installation-wide counts, no personal data). Loopback needs no token.
func ViewMetrics(r Role) bool { return r == Admin }
