// Package circles keeps the program's circles: groups around an interest
// or hobby, a cohort (the month members finished treatment) or family.
// Staff create circles; alumni (and family members, in family circles)
// join with one tap or ask to join; members post, comment and react;
// moderators (the program's staff and alumni chosen by them) pin, hide
// and delete, and answer join requests.
//
// Who may do what is decided by internal/access (the circle rules); this
// package loads each circle with the actor's place in it, asks the rule,
// changes the store in one transaction and records the audit entry. People
// who blocked each other (internal/peers/safety) do not see each other's
// posts and comments. Every post and comment goes through the crisis
// check (internal/peers/crisis) in the same transaction, and a new post
// is published live to the circle's members.
package circles
