package notify

import "strings"

// Kind is what a notification is about. Each kind has its own preferences.
type Kind string

// The kinds of notification.
const (
	// KindEventReminder reminds a person of an event they signed up for.
	KindEventReminder Kind = "event_reminder"
	// KindMessage tells a person they have a new message.
	KindMessage Kind = "message"
	// KindMilestone congratulates a person on a milestone.
	KindMilestone Kind = "milestone"
	// KindSupportRequest tells staff that someone asked for help. It is
	// urgent: quiet hours never delay it.
	KindSupportRequest Kind = "support_request"
	// KindModerationReport tells the program's staff that a new report is
	// waiting in the moderation queue. It never says what or who was
	// reported, nor who reported.
	KindModerationReport Kind = "moderation_report"
	// KindDigest is a periodic summary.
	KindDigest Kind = "digest"
	// KindAccount is about the account itself (invitations, resets,
	// security). It is always emailed and has no preferences.
	KindAccount Kind = "account"
)

// Kinds are the kinds a person sets preferences for, in the order the
// preferences page shows them. KindAccount is not among them.
var Kinds = []Kind{KindEventReminder, KindMessage, KindMilestone, KindSupportRequest, KindModerationReport, KindDigest}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	return k == KindAccount || k.configurable()
}

func (k Kind) configurable() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Urgent reports whether quiet hours are ignored for k.
func (k Kind) Urgent() bool { return k == KindSupportRequest || k == KindAccount }

// Label is the kind's name for people.
func (k Kind) Label() string {
	switch k {
	case KindEventReminder:
		return "Event reminders"
	case KindMessage:
		return "Messages"
	case KindMilestone:
		return "Milestones"
	case KindSupportRequest:
		return "Support requests"
	case KindModerationReport:
		return "Moderation reports"
	case KindDigest:
		return "Digests"
	case KindAccount:
		return "Account and security"
	}
	return string(k)
}

// Channel is a way a notification reaches a person.
type Channel string

// The channels.
const (
	// ChannelInApp is the notifications page and the bell.
	ChannelInApp Channel = "inapp"
	// ChannelEmail is email through the outbox.
	ChannelEmail Channel = "email"
	// ChannelSMS is a text message through the outbox and the SMS webhook.
	ChannelSMS Channel = "sms"
)

// Channels are all channels, in the order the preferences page shows them.
var Channels = []Channel{ChannelInApp, ChannelEmail, ChannelSMS}

// Label is the channel's name for people.
func (c Channel) Label() string {
	switch c {
	case ChannelInApp:
		return "In Cairn"
	case ChannelEmail:
		return "Email"
	case ChannelSMS:
		return "Text message"
	}
	return string(c)
}

// Default reports whether channel c is on for kind k when the person has
// not chosen: in-app is on for every kind; email is on for every kind
// (reminders, messages, milestones, support requests and digests are what
// people miss most when they are away from the site); SMS is off until
// the person gives a phone number and turns it on.
func Default(k Kind, c Channel) bool {
	switch c {
	case ChannelInApp:
		return true
	case ChannelEmail:
		return true
	}
	return false
}

// Noun is the kind's name inside a sentence ("event reminders").
func (k Kind) Noun() string { return strings.ToLower(k.Label()) }
