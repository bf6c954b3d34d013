package conversations

import (
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/members"
)

// Limits on what people write.
const (
	// MaxBody is the longest message, in characters.
	MaxBody = 4000
	// MaxTitle is the longest group title, in characters.
	MaxTitle = 100
	// MaxMembers is the most people in a group, the starter included.
	MaxMembers = 50
	// PreviewLength is how many characters of the last message the list
	// shows.
	PreviewLength = 80
	// DefaultPage and MaxPage bound a page of messages.
	DefaultPage = 50
	MaxPage     = 200
)

// Conversation is a conversation as one of its members sees it.
type Conversation struct {
	ID        string
	ProgramID string
	// Kind is "direct" or "group".
	Kind string
	// Title is the group's title; for a direct conversation, the other
	// person's display name.
	Title string
	// Members are everyone in the conversation, the viewer included, by
	// display name.
	Members []Member
	// LastMessageAt is when the last message was sent (when it was
	// started, before any message).
	LastMessageAt time.Time
	// Unread is how many messages the viewer has not read.
	Unread int
	// Muted reports that the viewer muted it: it still counts unread
	// messages but sends no notifications.
	Muted bool
	// Preview is the first PreviewLength characters of the last message
	// the viewer may see, on one line ("" when none).
	Preview string
	// Closed reports a direct conversation where one person blocked the
	// other: it can be read but no one can send (Send is ErrClosed).
	Closed bool
}

// Member is a person in a conversation.
type Member struct {
	UserID string
	// Name is the display name: first name and last initial.
	Name string
}

// Message is one message as a member sees it.
type Message struct {
	ID, ConversationID, AuthorID, AuthorName string
	// Body is the text as typed (escape it on output). Empty when Hidden.
	Body   string
	SentAt time.Time
	// Hidden reports that a moderator hid the message.
	Hidden bool
	// Mine reports that the viewer wrote it.
	Mine bool
}

// NewConversation is what Start needs.
type NewConversation struct {
	// MemberIDs are the other people: one for a direct conversation, two
	// to 49 for a group.
	MemberIDs []string
	// Title names a group (required for groups, ignored for direct).
	Title string
	// Body is an optional first message.
	Body string
}

// Page selects messages by message id: those before Before, or after
// After (at most one of them), at most Limit (DefaultPage when 0). With
// neither, the newest page. Results are oldest first.
type Page struct {
	Before, After string
	Limit         int
}

// FieldError is the members' FieldError: one problem with one field.
type FieldError = members.FieldError

// ValidationError is the members' ValidationError: the problems found in
// a submission, one per field, as every package reports them.
type ValidationError = members.ValidationError

// addField adds a problem with field to v.
func addField(v *ValidationError, field, format string, args ...any) {
	*v = append(*v, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// ErrClosed is returned when a message cannot be sent into a direct
// conversation because one person blocked the other. Its text is fit to
// show, and does not say who blocked whom.
var ErrClosed error = closedError{}

type closedError struct{}

func (closedError) Error() string { return "This conversation is closed." }

// ErrUnreadable is returned when a stored message cannot be decrypted: its
// row was changed, or the key it names is missing or wrong.
var ErrUnreadable = errors.New("conversations: a message cannot be decrypted (its stored data was changed or its key is missing)")

// clock is the package's clock; tests replace it.
var clock = time.Now

// now is the clock in UTC, at the stores' precision.
func now() time.Time { return clock().UTC().Truncate(time.Microsecond) }

// formerMember names the author of a message who is no longer in the
// conversation (they left a group, or their account was deleted).
const formerMember = "Someone no longer here"
