package access

// The rules of family links under 42 CFR Part 2: an alumnus alone manages
// their consents and reads their accounting of disclosures; a family
// member sees an alumnus' records only through a live consent.

// ManageConsents: only the alumnus themself creates, lists and revokes
// their consents and reads who saw what.
func ManageConsents(a Actor, alumnusID string) error {
	return allow(!a.Anonymous() && a.Role == Alumnus && a.UserID == alumnusID)
}

// ViewFamilyPage: the family page is for family members.
func ViewFamilyPage(a Actor) error {
	return allow(!a.Anonymous() && a.Role == Family && a.ProgramID != "")
}

// SeeAsFamily: a family member sees what a consent allows when the link is
// theirs, in their program, and the consent is live (not revoked, not
// expired, not superseded).
func SeeAsFamily(a Actor, programID, familyID string, live bool) error {
	return allow(!a.Anonymous() && a.Role == Family && a.in(programID) && a.UserID == familyID && live)
}
