package match

// DefaultMinDaysInRecovery is the minimum time in recovery, in days, that a
// buddy needs when [Options.MinDaysInRecovery] is left at zero (one year).
const DefaultMinDaysInRecovery = 365

// MaxCapacity is the most people one buddy can mentor at once. A larger
// [Offer.Capacity] is treated as MaxCapacity.
const MaxCapacity = 3

// Meeting is how a person would like to meet their buddy.
type Meeting string

// The meeting preferences. MeetingAny is the zero value.
const (
	// MeetingAny means either in person or online suits them.
	MeetingAny Meeting = ""
	// MeetingInPerson means they prefer meeting face to face.
	MeetingInPerson Meeting = "in_person"
	// MeetingOnline means they prefer meeting online (video, phone, chat).
	MeetingOnline Meeting = "online"
)

// Request is an alum's waiting request for a buddy.
//
// Text attributes (gender, languages, pathways, interests, city, contact
// times, life stage) are compared case-insensitively after trimming spaces;
// empty entries are ignored.
type Request struct {
	// ID identifies the request; proposals and unmatched lists use it.
	ID string
	// Gender is the requester's own gender, kept for the caller's records;
	// it does not affect matching.
	Gender string
	// WantGender, when not empty, is the gender the buddy must have
	// (hard constraint). Empty means any gender.
	WantGender string
	// Languages are the languages the requester speaks.
	Languages []string
	// WantLanguage, when true, requires the buddy to speak at least one of
	// Languages (hard constraint). With no Languages nobody qualifies.
	WantLanguage bool
	// Pathways are the recovery pathways the requester follows, such as
	// "SMART Recovery" or "12-step". Shared ones raise the score.
	Pathways []string
	// Interests are hobbies and interests ("hiking", "cooking"). Shared ones
	// raise the score.
	Interests []string
	// City is where the requester lives; the same city raises the score.
	City string
	// ContactTimes are when the requester likes to be in touch
	// ("mornings", "evenings", "weekends"). Overlap raises the score.
	ContactTimes []string
	// LifeStage is an optional life stage ("parent", "student", "retired");
	// the same stage raises the score. Empty means not given.
	LifeStage string
	// Meeting is how the requester prefers to meet; a buddy with the same
	// stated preference raises the score.
	Meeting Meeting
	// ExcludedOfferIDs are offers this request must never be paired with
	// (hard constraint): offers of people in a block with the requester, of
	// a current or past ended buddy (unless a re-match was asked for), and
	// the requester's own offer.
	ExcludedOfferIDs []string
}

// Offer is an alum's standing offer to be a buddy.
//
// Text attributes are compared as for [Request].
type Offer struct {
	// ID identifies the offer; proposals use it.
	ID string
	// Capacity is how many more people the buddy can take now (1 to
	// MaxCapacity). Zero or less takes nobody; more than MaxCapacity counts
	// as MaxCapacity.
	Capacity int
	// DaysInRecovery is the buddy's time in recovery in whole days; it must
	// reach [Options.MinDaysInRecovery] (hard constraint).
	DaysInRecovery int
	// Gender is the buddy's gender, checked against [Request.WantGender].
	Gender string
	// Languages are the languages the buddy speaks.
	Languages []string
	// Pathways are the recovery pathways the buddy follows.
	Pathways []string
	// Interests are the buddy's hobbies and interests.
	Interests []string
	// City is where the buddy lives.
	City string
	// ContactTimes are when the buddy likes to be in touch.
	ContactTimes []string
	// LifeStage is the buddy's optional life stage; empty means not given.
	LifeStage string
	// Meeting is how the buddy prefers to meet.
	Meeting Meeting
	// ExcludedRequestIDs are requests this offer must never be paired with
	// (hard constraint), for exclusions known from the buddy's side.
	ExcludedRequestIDs []string
}

// Options tunes a match run.
type Options struct {
	// MinDaysInRecovery is the minimum [Offer.DaysInRecovery] a buddy needs.
	// Zero means DefaultMinDaysInRecovery; a negative value means no minimum.
	MinDaysInRecovery int
}

// Proposal is one proposed pairing of a request with an offer.
type Proposal struct {
	// RequestID is the request being matched.
	RequestID string
	// OfferID is the offer proposed for it.
	OfferID string
	// Score is the pair's compatibility; higher is better (see [Score]).
	Score int
	// Reasons explain the score in plain words, one shared fact each, such
	// as "both enjoy hiking" or "both in Austin". Empty when the pair shares
	// nothing beyond passing the hard constraints.
	Reasons []string
}

// Result is the outcome of a match run.
type Result struct {
	// Proposals are the proposed pairings, ordered by request ID.
	Proposals []Proposal
	// Unmatched are the IDs of requests that got no proposal, in order.
	Unmatched []string
	// TotalScore is the sum of the proposals' scores.
	TotalScore int
}
