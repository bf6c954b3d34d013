package events

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Attendee is one RSVP on an occurrence's attendee list.
type Attendee struct {
	UserID string
	// DisplayName is how members show each other (first name and last
	// initial); staff see the full name.
	DisplayName string
	// Adults, Children, Dietary and Position are filled for staff only;
	// members see only confirmed people, by name.
	State            string
	Adults, Children int
	Dietary          string
	Position         int
}

// displayName is how Cairn shows a person to other members: first name
// and last initial (the accounts' own rule).
func displayName(first, last, email string) string {
	u := auth.User{FirstName: first, LastName: last, Email: email}
	return u.DisplayName()
}

// fullName is the name staff see, falling back to the display name.
func fullName(first, last, email string) string {
	if n := strings.TrimSpace(strings.TrimSpace(first) + " " + strings.TrimSpace(last)); n != "" {
		return n
	}
	return displayName(first, last, email)
}

// stateOrder sorts attendee lists: confirmed, waitlisted, maybe, no.
var stateOrder = map[string]int{RSVPConfirmed: 0, RSVPWaitlisted: 1, RSVPTentative: 2, RSVPDeclined: 3}

// Attendees returns the attendee list of one occurrence. Staff (access
// SeeAllAttendees) get every RSVP with its state, party, dietary notes and
// waitlist position: confirmed first by name, then the waitlist in order,
// then maybes and noes. Other members who may see the event get only the
// confirmed people who chose to be listed (show me), by display name, and
// nothing else about them. An event the actor may not see is
// db.ErrNotFound. A staff member's read of the whole list (dietary notes
// included) is recorded in the audit log as "events.attendees".
func Attendees(ctx context.Context, d *db.DB, actor access.Actor, eventID, occ string) ([]Attendee, error) {
	out, staff, e, err := attendees(ctx, d, actor, eventID, occ)
	if err != nil || !staff {
		return out, err
	}
	err = audit.RecordNow(ctx, d, actor, audit.Event{Action: "events.attendees", SubjectType: "event", SubjectID: e.ID,
		ProgramID: e.ProgramID, Detail: map[string]string{"occurrence": occ, "count": strconv.Itoa(len(out))}})
	return out, err
}

func attendees(ctx context.Context, q db.Querier, actor access.Actor, eventID, occ string) ([]Attendee, bool, *Event, error) {
	e, err := loadEvent(ctx, q, eventID)
	if err != nil {
		return nil, false, nil, err
	}
	if err := access.ViewEvent(actor, e.ProgramID, string(e.Audience)); err != nil {
		return nil, false, nil, err
	}
	staff := access.SeeAllAttendees(actor, e.ProgramID) == nil
	query := `SELECT r.user_id, u.first_name, u.last_name, u.email, r.state, r.adults, r.children, r.dietary,
		COALESCE(r.waitlist_position, 0)
		FROM event_rsvps r JOIN users u ON u.id = r.user_id
		WHERE r.event_id = ? AND r.occurrence = ?`
	if !staff {
		query += ` AND r.state = 'confirmed' AND r.show_me = TRUE AND u.disabled_at IS NULL`
	}
	rows, err := q.Query(ctx, query, e.ID, occ)
	if err != nil {
		return nil, false, nil, fmt.Errorf("events: attendees: %w", err)
	}
	defer rows.Close()
	var out []Attendee
	for rows.Next() {
		var a Attendee
		var first, last, email string
		if err := rows.Scan(&a.UserID, &first, &last, &email, &a.State, &a.Adults, &a.Children, &a.Dietary, &a.Position); err != nil {
			return nil, false, nil, err
		}
		if staff {
			a.DisplayName = fullName(first, last, email)
		} else {
			a = Attendee{UserID: a.UserID, DisplayName: displayName(first, last, email), State: RSVPConfirmed}
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, false, nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if stateOrder[a.State] != stateOrder[b.State] {
			return stateOrder[a.State] < stateOrder[b.State]
		}
		if a.State == RSVPWaitlisted {
			return a.Position < b.Position
		}
		return strings.ToLower(a.DisplayName) < strings.ToLower(b.DisplayName)
	})
	// Staff see waitlist ranks (1 = next), not stored tickets.
	rank := 0
	for i := range out {
		if out[i].State == RSVPWaitlisted {
			rank++
			out[i].Position = rank
		} else {
			out[i].Position = 0
		}
	}
	return out, staff, e, nil
}
