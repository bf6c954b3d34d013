package web

import "github.com/cairn-recovery/cairn/internal/access"

// The peer-support sections of the menu. Each asks internal/access, so
// that the menu never offers a page its rule would refuse.

// CanMessage reports whether the person has conversations.
func (v *view) CanMessage() bool {
	return v.User != nil && access.UseConversations(v.User.Actor("")) == nil
}

// CanCircles reports whether the person sees circles.
func (v *view) CanCircles() bool {
	return v.User != nil && access.UseCircles(v.User.Actor("")) == nil
}

// CanBuddies reports whether the person takes part in the buddy program
// (alumni) or runs it (coordinators and admins).
func (v *view) CanBuddies() bool {
	return v.User != nil && access.UseBuddies(v.User.Actor("")) == nil
}

// CanModerate reports whether the person works the moderation queue.
func (v *view) CanModerate() bool {
	return v.User != nil && access.Moderate(v.User.Actor("")) == nil
}
