// Package conversations keeps direct and group messages between people of
// a program: who is in a conversation, the messages (encrypted at rest),
// what each member has read, mutes, notifications and live updates.
//
// Only the members of a conversation read it. Coordinators and admins may
// read one for a moderation report through [StaffMessages], and every such
// read is audited; members reading their own conversations are not.
//
// # Live events
//
// [Send] publishes, inside its transaction (so only on commit):
//
//   - to every member who may see the message, the author included (for
//     their other tabs): type "message", data
//     {"conversation_id": "…", "message_id": "…"};
//   - to every other member who may see it: type "conversations_unread",
//     data {} (their number of conversations with unread messages changed;
//     a page that shows it asks for [UnreadTotal]: counting it for every
//     recipient of every message would cost more than the send).
//
// [MarkRead] publishes "conversations_unread" to the reader, with the
// count: data {"unread": n}. A recipient
// notified through notify.Send also gets notify's own "notification"
// event. Events never carry message text. Members in a block with the
// author get no event: the message is hidden for them.
//
// # Errors
//
// Bad input is a [ValidationError] naming the field (body, member_ids,
// title). Sending into a direct conversation where one person blocked the
// other is [ErrClosed], whose text is fit to show. Anything the actor may
// not see is access.ErrNotFound.
package conversations
