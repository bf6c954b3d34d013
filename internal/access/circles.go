package access

// Circles: groups around an interest, a cohort or family. Interest and
// cohort circles are for the program's alumni, family circles for its
// family members; staff see and moderate every circle of their program.
// Coordinators and admins create circles and choose alumni moderators.

// Circle is what the circle rules need to know about one circle and the
// actor's place in it.
type Circle struct {
	ProgramID string
	// Kind is "interest", "cohort" or "family".
	Kind string
	// Open is true for circles anyone eligible joins with one tap, false
	// for circles joined by request.
	Open     bool
	Archived bool
	// Member is true when the actor is a member (not a pending request).
	Member bool
	// Moderator is true when the actor was made a moderator of the circle.
	Moderator bool
}

// circleEligible reports whether the actor's role is one the circle is
// for: family circles for family members, the others for alumni.
func circleEligible(a Actor, c Circle) bool {
	if c.Kind == "family" {
		return a.Role == Family
	}
	return a.Role == Alumnus
}

// ManageCircles: coordinators and admins of the program create, edit and
// archive circles and choose their moderators.
func ManageCircles(a Actor, programID string) error {
	return allow(a.in(programID) && (a.Role == Coordinator || a.Role == Admin))
}

// SeeCircle: staff of the program see every circle; members of a circle
// see it; alumni see the program's interest and cohort circles and family
// members its family circles, while they are not archived.
func SeeCircle(a Actor, c Circle) error {
	if !a.in(c.ProgramID) || a.Anonymous() {
		return ErrNotFound
	}
	return allow(a.Role.Staff() || c.Member || (!c.Archived && circleEligible(a, c)))
}

// ReadCirclePosts: members and staff read a circle's posts; people the
// circle is for also read the posts of open circles before they join, but
// not those of circles joined by request.
func ReadCirclePosts(a Actor, c Circle) error {
	if SeeCircle(a, c) != nil {
		return ErrNotFound
	}
	return allow(a.Role.Staff() || c.Member || (c.Open && circleEligible(a, c)))
}

// JoinCircle: people the circle is for join an open circle, or ask to join
// one joined by request, while it is not archived.
func JoinCircle(a Actor, c Circle) error {
	return allow(SeeCircle(a, c) == nil && !c.Archived && circleEligible(a, c))
}

// WriteInCircle: members and staff post, comment and react in a circle
// that is not archived.
func WriteInCircle(a Actor, c Circle) error {
	return allow(SeeCircle(a, c) == nil && !c.Archived && (c.Member || a.Role.Staff()))
}

// ModerateCircle: the program's staff and the circle's chosen moderators
// pin, hide and delete posts and comments and answer join requests.
func ModerateCircle(a Actor, c Circle) error {
	return allow(SeeCircle(a, c) == nil && (a.Role.Staff() || (c.Member && c.Moderator)))
}
