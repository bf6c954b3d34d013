package access

// Conversations: who may message whom, and who may read a conversation.
// UseConversations (in peers.go) lets a person reach their conversations
// at all; blocks are checked by the conversations package, which knows
// them.

// Peer describes someone an actor wants to start a conversation with.
type Peer struct {
	UserID    string
	ProgramID string
	Role      Role
	// Disabled reports a disabled account.
	Disabled bool
	// FamilyLinked reports that the actor and the peer are an alumnus and
	// a family member linked to each other.
	FamilyLinked bool
}

// StartConversation: people of a program message alumni, coaches and
// coordinators of their own program; family members only their linked
// alumnus and the program's staff. Never oneself, never a disabled
// account, never across programs:
//
//   - alumnus, coach, coordinator, admin → alumnus, coach, coordinator;
//   - alumnus → a family member linked to them;
//   - coach, coordinator → any family member of the program (staff stay
//     reachable for families);
//   - family → their linked alumnus, coaches and coordinators.
func StartConversation(a Actor, p Peer) error {
	if UseConversations(a) != nil || !a.in(p.ProgramID) || p.UserID == "" || p.UserID == a.UserID || p.Disabled {
		return ErrNotFound
	}
	switch a.Role {
	case Alumnus, Coach, Coordinator, Admin:
		switch p.Role {
		case Alumnus, Coach, Coordinator:
			return nil
		case Family:
			return allow(p.FamilyLinked || a.Role == Coach || a.Role == Coordinator)
		}
	case Family:
		switch p.Role {
		case Alumnus:
			return allow(p.FamilyLinked)
		case Coach, Coordinator:
			return nil
		}
	}
	return ErrNotFound
}

// ReadConversation: the members of a conversation read and write it; no
// one else does (staff read through AuditConversation only).
func ReadConversation(a Actor, programID string, member bool) error {
	return allow(UseConversations(a) == nil && a.in(programID) && member)
}

// AuditConversation: coordinators and admins of the program may read a
// conversation they are not in, for a moderation report; every such read
// is recorded in the audit log.
func AuditConversation(a Actor, programID string) error {
	return allow(!a.Anonymous() && a.in(programID) && (a.Role == Coordinator || a.Role == Admin))
}
