package members

import (
	"context"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
)

// FamilyEvent is one upcoming gathering an alumnus answered yes or maybe
// to, as their family sees it under a consent that shares events.
type FamilyEvent struct {
	Title string
	// Kind is the kind's name for people ("Family dinner").
	Kind string
	// Start and End are in the program's time zone.
	Start, End time.Time
	Place      string
	// Going is false while the alumnus is on the waitlist or said maybe.
	Going bool
}

// FamilyEventsFunc lists at most limit upcoming occurrences alumnusID
// answered yes or maybe to (events for staff only never), by start.
type FamilyEventsFunc func(ctx context.Context, q db.Querier, alumnusID string, limit int) ([]FamilyEvent, error)

// familyEvents is where family pages read an alumnus' events from; nil
// until the events package registers itself (it imports this package, so
// it cannot be called directly).
var familyEvents FamilyEventsFunc

// SetFamilyEvents registers the source of an alumnus' events for family
// pages. The events package calls it once, when it is initialised.
func SetFamilyEvents(f FamilyEventsFunc) { familyEvents = f }

// maxFamilyEvents is how many upcoming events a family page lists.
const maxFamilyEvents = 20
