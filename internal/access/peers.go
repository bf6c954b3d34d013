package access

// Peer support: who reaches which part at all. What they may see there
// (a conversation they are in, a circle they belong to) is decided by the
// rules of each part.

// UseConversations: every signed-in person of a program has conversations.
func UseConversations(a Actor) error {
	return allow(!a.Anonymous() && a.ProgramID != "")
}

// UseCircles: every signed-in person of a program sees the circles open
// to them (family members see family circles).
func UseCircles(a Actor) error {
	return allow(!a.Anonymous() && a.ProgramID != "")
}

// UseBuddies: alumni offer or ask for a buddy; coordinators and admins run
// the matching.
func UseBuddies(a Actor) error {
	return allow(!a.Anonymous() && a.ProgramID != "" && (a.Role == Alumnus || a.Role == Coordinator || a.Role == Admin))
}

// Moderate: the program's staff work the moderation queue.
func Moderate(a Actor) error {
	return allow(!a.Anonymous() && a.ProgramID != "" && a.Role.Staff())
}
