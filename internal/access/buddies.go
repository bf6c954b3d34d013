package access

// The buddy program: alumni offer to be a buddy or ask for one, and answer
// the matches proposed to them; coordinators and admins run the matcher,
// review and send its proposals, and set the program's minimum time in
// recovery for buddies. (UseBuddies in peers.go says who reaches the
// section at all.)

// TakePartInBuddies: alumni of a program offer to be a buddy, ask for one
// and see their own offer, request, proposals and pairings.
func TakePartInBuddies(a Actor) error {
	return allow(!a.Anonymous() && a.ProgramID != "" && a.Role == Alumnus)
}

// CoordinateBuddies: coordinators and admins of the program run the
// matcher, see and send its draft proposals, and change the buddy
// settings. What they read is audited: requests and offers hold personal
// preferences.
func CoordinateBuddies(a Actor, programID string) error {
	return allow(a.in(programID) && (a.Role == Coordinator || a.Role == Admin))
}

// AnswerBuddyProposal: only the two people of a sent proposal (the one who
// asked and the buddy who offered) accept or decline it.
func AnswerBuddyProposal(a Actor, programID, requesterID, buddyID string) error {
	return allow(a.in(programID) && a.Role == Alumnus && (a.UserID == requesterID || a.UserID == buddyID))
}

// EndBuddyPairing: either person of a pairing may end it, at any time.
func EndBuddyPairing(a Actor, programID, requesterID, buddyID string) error {
	return allow(a.in(programID) && !a.Anonymous() && (a.UserID == requesterID || a.UserID == buddyID))
}
