package access

// SeeOnlineLink: an event's online meeting link is shown to staff of the
// program and to a member whose RSVP to the occurrence is confirmed
// (rsvpState "confirmed"); never to someone who said maybe, is on the
// waitlist or has not answered, nor to the public listing.
func SeeOnlineLink(a Actor, programID, rsvpState string) error {
	if a.Anonymous() || !a.in(programID) {
		return ErrNotFound
	}
	return allow(a.Role.Staff() || rsvpState == "confirmed")
}
