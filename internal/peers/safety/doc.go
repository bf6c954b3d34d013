// Package safety keeps people safe from each other inside a program:
// blocks (a person stops someone from reaching, seeing or finding them),
// reports (anyone may tell staff about content or a person), the staff
// moderation queue, and what staff do about a report (hide content, warn
// its author, suspend an account, dismiss the report).
//
// Features make their own content reportable with [RegisterKind];
// conversations, circles and buddies ask [Blocked] and [BlockedIDs] before
// they let two people meet.
package safety
