package buddies

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// Offer statuses.
const (
	OfferActive    = "active"
	OfferPaused    = "paused"
	OfferWithdrawn = "withdrawn"
)

// Offer is an alumnus' offer to be a buddy.
type Offer struct {
	ID, UserID string
	// Capacity is how many people they would mentor at once (1 to 3).
	Capacity int
	// ContactTimes are keys of ContactTimes; Availability is their own note.
	ContactTimes []string
	Availability string
	// About is what they offer, in their words.
	About string
	// Meeting, Gender and LifeStage are keys of Meetings, Genders and
	// LifeStages (Gender and LifeStage may be empty).
	Meeting, Gender, LifeStage string
	Status                     string
	UpdatedAt                  time.Time
	// Flagged is set by SaveOffer when About held crisis language: it was
	// saved all the same, the member's coach was told, and the caller
	// should show the crisis numbers. It is not stored.
	Flagged bool
}

// OfferInput is what the offer form and the API send.
type OfferInput struct {
	Capacity     int
	ContactTimes []string
	Availability string
	About        string
	Meeting      string
	Gender       string
	LifeStage    string
}

// Validate checks in and returns it cleaned, or a members.ValidationError
// naming each bad field.
func (in OfferInput) Validate() (OfferInput, error) {
	var ve members.ValidationError
	if in.Capacity < 1 || in.Capacity > 3 {
		ve = append(ve, members.FieldError{Field: "capacity", Message: "Choose how many people: 1, 2 or 3."})
	}
	var times []string
	for _, t := range in.ContactTimes {
		if !valid(ContactTimes, t, false) {
			ve = append(ve, members.FieldError{Field: "contact_times", Message: "Choose times from the list."})
			break
		}
		if !slices.Contains(times, t) {
			times = append(times, t)
		}
	}
	in.ContactTimes = times
	var ok bool
	if in.Availability, ok = cleanText(in.Availability, MaxAvailability, false); !ok {
		ve = append(ve, members.FieldError{Field: "availability", Message: fmt.Sprintf("Use at most %d characters on one line.", MaxAvailability)})
	}
	if in.About, ok = cleanText(in.About, MaxText, true); !ok {
		ve = append(ve, members.FieldError{Field: "about", Message: fmt.Sprintf("Use at most %d characters.", MaxText)})
	}
	if in.Meeting == "" {
		in.Meeting = MeetEither
	}
	if !valid(Meetings, in.Meeting, false) {
		ve = append(ve, members.FieldError{Field: "meeting", Message: "Choose in person, online, or either."})
	}
	if !valid(Genders, in.Gender, true) {
		ve = append(ve, members.FieldError{Field: "gender", Message: "Choose from the list, or leave it empty."})
	}
	if !valid(LifeStages, in.LifeStage, true) {
		ve = append(ve, members.FieldError{Field: "life_stage", Message: "Choose from the list, or leave it empty."})
	}
	if len(ve) > 0 {
		return in, ve
	}
	return in, nil
}

// Eligibility says whether an alumnus may offer to be a buddy yet.
type Eligibility struct {
	// OK: they may offer now.
	OK bool
	// HasDate: they have a current recovery date.
	HasDate bool
	// From is the first day they may offer (set when HasDate).
	From members.Date
	// Settings are the program's, for the explanation.
	Settings Settings
}

// Message is the kind explanation shown when they may not offer yet.
func (e Eligibility) Message() string {
	switch {
	case e.OK:
		return ""
	case !e.HasDate:
		return "To offer to be a buddy, add your recovery date on your recovery page first. Thank you for wanting to help."
	}
	return "Thank you for wanting to help. You can offer to be a buddy from " + e.From.Label() + "."
}

// eligible decides from a recovery start (ok false: none) and the day.
func eligible(s Settings, start members.Date, hasDate bool, day members.Date) Eligibility {
	e := Eligibility{Settings: s, HasDate: hasDate}
	if !hasDate {
		e.OK = s.MinMonths == 0
		return e
	}
	e.From = start.AddMonths(s.MinMonths)
	e.OK = !day.Before(e.From)
	return e
}

// eligibilityOf works out whether userID of programID may offer today.
func eligibilityOf(ctx context.Context, q db.Querier, programID, userID string) (Eligibility, error) {
	s, err := GetSettings(ctx, q, programID)
	if err != nil {
		return Eligibility{}, err
	}
	day, err := today(ctx, q, programID)
	if err != nil {
		return Eligibility{}, err
	}
	start, ok, err := members.CurrentRecoveryStart(ctx, q, userID)
	if err != nil {
		return Eligibility{}, err
	}
	return eligible(s, start, ok, day), nil
}

const offerColumns = `id, user_id, capacity, contact_times, availability, about, meeting, gender, life_stage, status, updated_at`

func scanOffer(row interface{ Scan(...any) error }) (*Offer, error) {
	var o Offer
	var times string
	if err := row.Scan(&o.ID, &o.UserID, &o.Capacity, &times, &o.Availability, &o.About, &o.Meeting, &o.Gender,
		&o.LifeStage, &o.Status, &o.UpdatedAt); err != nil {
		return nil, err
	}
	o.ContactTimes = decodeList(times)
	return &o, nil
}

// ownOffer returns userID's offer, or nil when they never made one.
func ownOffer(ctx context.Context, q db.Querier, userID string) (*Offer, error) {
	o, err := scanOffer(q.QueryRow(ctx, `SELECT `+offerColumns+` FROM buddy_offers WHERE user_id = ?`, userID))
	if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("buddies: offer: %w", err)
	}
	return o, nil
}

// SaveOffer makes or changes the actor's offer to be a buddy, and makes it
// active. Only alumni take part (others are access.ErrNotFound); an
// alumnus below the program's minimum time in recovery gets a
// ValidationError on recovery_date with the kind explanation.
func SaveOffer(ctx context.Context, d *db.DB, actor access.Actor, in OfferInput) (*Offer, error) {
	if err := access.TakePartInBuddies(actor); err != nil {
		return nil, err
	}
	in, err := in.Validate()
	if err != nil {
		return nil, err
	}
	var out *Offer
	err = d.Tx(ctx, func(tx *db.Tx) error {
		e, err := eligibilityOf(ctx, tx, actor.ProgramID, actor.UserID)
		if err != nil {
			return err
		}
		if !e.OK {
			return invalid("recovery_date", e.Message())
		}
		old, err := ownOffer(ctx, tx, actor.UserID)
		if err != nil {
			return err
		}
		t := now()
		id := newID()
		if old != nil {
			id = old.ID
			_, err = tx.Exec(ctx, `UPDATE buddy_offers SET capacity = ?, contact_times = ?, availability = ?, about = ?, meeting = ?,
				gender = ?, life_stage = ?, status = 'active', updated_at = ? WHERE id = ?`,
				in.Capacity, encodeList(in.ContactTimes), in.Availability, in.About, in.Meeting, in.Gender, in.LifeStage, t, id)
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO buddy_offers (id, program_id, user_id, capacity, contact_times, availability, about,
				meeting, gender, life_stage, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
				id, actor.ProgramID, actor.UserID, in.Capacity, encodeList(in.ContactTimes), in.Availability, in.About,
				in.Meeting, in.Gender, in.LifeStage, t, t)
		}
		if err != nil {
			return fmt.Errorf("buddies: save offer: %w", err)
		}
		flagged, err := saved(ctx, tx, actor, audit.Event{Action: "buddy.offer.save", SubjectType: "buddy_offer", SubjectID: id,
			Detail: map[string]string{"capacity": fmt.Sprint(in.Capacity)}}, in.About)
		if err != nil {
			return err
		}
		if out, err = ownOffer(ctx, tx, actor.UserID); err != nil {
			return err
		}
		out.Flagged = flagged
		return nil
	})
	return out, err
}

// SetOfferStatus pauses (OfferPaused), withdraws (OfferWithdrawn) or
// resumes (OfferActive) the actor's offer. Resuming checks the minimum
// time in recovery again. Proposals already sent stay for the person to
// answer; drafts of a paused or withdrawn offer are not sent.
func SetOfferStatus(ctx context.Context, d *db.DB, actor access.Actor, status string) error {
	if err := access.TakePartInBuddies(actor); err != nil {
		return err
	}
	if status != OfferActive && status != OfferPaused && status != OfferWithdrawn {
		return invalid("status", "Choose to pause, resume or withdraw your offer.")
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		o, err := ownOffer(ctx, tx, actor.UserID)
		if err != nil {
			return err
		}
		if o == nil {
			return access.ErrNotFound
		}
		if o.Status == status {
			return nil
		}
		if status == OfferActive {
			e, err := eligibilityOf(ctx, tx, actor.ProgramID, actor.UserID)
			if err != nil {
				return err
			}
			if !e.OK {
				return invalid("recovery_date", e.Message())
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE buddy_offers SET status = ?, updated_at = ? WHERE id = ?`, status, now(), o.ID); err != nil {
			return fmt.Errorf("buddies: offer status: %w", err)
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "buddy.offer." + status, SubjectType: "buddy_offer", SubjectID: o.ID})
	})
}
