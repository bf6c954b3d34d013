package access

// The rules of events. An event's audience is passed as its name
// ("alumni", "alumni_family", "staff", "public"), since this package knows
// nothing of events.

// ViewEvent: people of the program see the events meant for them: staff
// every event; alumni those for alumni (alumni, alumni_family, public);
// family those for families (alumni_family, public).
func ViewEvent(a Actor, programID, audience string) error {
	if a.Anonymous() || !a.in(programID) {
		return ErrNotFound
	}
	switch {
	case a.Role.Staff():
		return nil
	case a.Role == Alumnus:
		return allow(audience == "alumni" || audience == "alumni_family" || audience == "public")
	case a.Role == Family:
		return allow(audience == "alumni_family" || audience == "public")
	}
	return ErrNotFound
}

// RSVPEvent: whoever may see an event may answer for themself.
func RSVPEvent(a Actor, programID, audience string) error {
	return ViewEvent(a, programID, audience)
}

// ManageEvents: coordinators and admins create, change and cancel events,
// run milestone-dinner honoree lists and change the program's event
// settings.
func ManageEvents(a Actor, programID string) error {
	return allow(a.in(programID) && (a.Role == Coordinator || a.Role == Admin))
}

// TakeAttendance: staff check people in at an occurrence, add walk-ins and
// see the check-in code.
func TakeAttendance(a Actor, programID string) error {
	return allow(a.in(programID) && a.Role.Staff())
}

// SeeAllAttendees: staff see every RSVP and who came; members see only
// the attendees who chose to be listed.
func SeeAllAttendees(a Actor, programID string) error {
	return allow(a.in(programID) && a.Role.Staff())
}

// SeeAttendanceOf: a member sees their own attendance history; staff see
// anyone's in their program.
func SeeAttendanceOf(a Actor, programID, memberID string) error {
	if a.Anonymous() || !a.in(programID) {
		return ErrNotFound
	}
	return allow(a.UserID == memberID || a.Role.Staff())
}

// UseCalendarFeed: a signed-in member of the program (not a visitor) has a
// private calendar subscription of the occurrences they RSVP'd to.
func UseCalendarFeed(a Actor) error {
	return allow(!a.Anonymous() && a.ProgramID != "")
}

// AnswerHonour: only an alumnus answers whether their own milestone may be
// honoured at a milestone dinner.
func AnswerHonour(a Actor) error {
	return allow(!a.Anonymous() && a.Role == Alumnus && a.ProgramID != "")
}
