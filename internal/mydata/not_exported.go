package mydata

// NotExported lists the references to a person ("table.column") whose
// rows the "my data" download leaves out, each with its reason. A table
// that refers to users must be exported (members' table list or a
// section) or listed here.
var NotExported = map[string]string{
	"recovery_codes.user_id":     "second-factor recovery codes are secrets (hashes only); nothing else is in the row",
	"roster_uploads.uploaded_by": "a staff member's upload of the program's roster holds the alumni's data, not the uploader's",
	"invitations.invited_by":     "whom a staff member invited: the invitees' emails, not data about the inviter",
	"blocks.blocked_id":          "a block is never revealed to the blocked person",
	"reports.author_id":          "reports about a person: the reporter is never revealed, and the fact of a report would point at them",
	"buddies.buddy_id":           "pairs are stored both ways; the person's own row is exported through buddies.member_id",
}
