package buddies

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// Request statuses. A request is open while waiting or proposed.
const (
	RequestWaiting   = "waiting"
	RequestProposed  = "proposed"
	RequestMatched   = "matched"
	RequestWithdrawn = "withdrawn"
)

// Request is an alumnus' request for a buddy.
type Request struct {
	ID, UserID string
	// Hopes is what they hope for, in their words.
	Hopes string
	// WantGender is a key of WantGenders, or "" for any gender.
	WantGender string
	// WantLanguage asks for a buddy who speaks one of the languages on
	// their profile.
	WantLanguage bool
	// Pathway is a pathway key (members.Pathways) they would like to share
	// with their buddy, or "".
	Pathway string
	// Meeting and LifeStage are keys of Meetings and LifeStages.
	Meeting, LifeStage string
	// OpenToPrevious lets the matcher propose a buddy they were paired
	// with before.
	OpenToPrevious bool
	Status         string
	CreatedAt      time.Time
	// Flagged is set by AskForBuddy when Hopes held crisis language: it
	// was saved all the same, the member's coach was told, and the caller
	// should show the crisis numbers. It is not stored.
	Flagged bool
}

// RequestInput is what the request form and the API send.
type RequestInput struct {
	Hopes          string
	WantGender     string
	WantLanguage   bool
	Pathway        string
	Meeting        string
	LifeStage      string
	OpenToPrevious bool
}

// Validate checks in and returns it cleaned, or a members.ValidationError
// naming each bad field.
func (in RequestInput) Validate() (RequestInput, error) {
	var ve members.ValidationError
	var ok bool
	if in.Hopes, ok = cleanText(in.Hopes, MaxText, true); !ok {
		ve = append(ve, members.FieldError{Field: "hopes", Message: fmt.Sprintf("Use at most %d characters.", MaxText)})
	}
	if !valid(WantGenders, in.WantGender, true) {
		ve = append(ve, members.FieldError{Field: "want_gender", Message: "Choose from the list, or any gender."})
	}
	if in.Pathway != "" {
		k, ok := members.PathwayKey(in.Pathway)
		if !ok {
			ve = append(ve, members.FieldError{Field: "pathway", Message: "Choose a pathway from the list, or leave it empty."})
		}
		in.Pathway = k
	}
	if in.Meeting == "" {
		in.Meeting = MeetEither
	}
	if !valid(Meetings, in.Meeting, false) {
		ve = append(ve, members.FieldError{Field: "meeting", Message: "Choose in person, online, or either."})
	}
	if !valid(LifeStages, in.LifeStage, true) {
		ve = append(ve, members.FieldError{Field: "life_stage", Message: "Choose from the list, or leave it empty."})
	}
	if len(ve) > 0 {
		return in, ve
	}
	return in, nil
}

const requestColumns = `id, user_id, hopes, want_gender, want_language, pathway, meeting, life_stage, open_to_previous, status, created_at`

func scanRequest(row interface{ Scan(...any) error }) (*Request, error) {
	var r Request
	if err := row.Scan(&r.ID, &r.UserID, &r.Hopes, &r.WantGender, &r.WantLanguage, &r.Pathway, &r.Meeting, &r.LifeStage,
		&r.OpenToPrevious, &r.Status, &r.CreatedAt); err != nil {
		return nil, err
	}
	return &r, nil
}

// openRequest returns userID's open request, or nil.
func openRequest(ctx context.Context, q db.Querier, userID string) (*Request, error) {
	r, err := scanRequest(q.QueryRow(ctx, `SELECT `+requestColumns+` FROM buddy_requests
		WHERE user_id = ? AND status IN ('waiting', 'proposed')`, userID))
	if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("buddies: request: %w", err)
	}
	return r, nil
}

// AskForBuddy opens a request for a buddy for the actor (alumni only;
// others are access.ErrNotFound). A person has one open request at a time:
// asking again while one is open is a ValidationError on "request".
func AskForBuddy(ctx context.Context, d *db.DB, actor access.Actor, in RequestInput) (*Request, error) {
	if err := access.TakePartInBuddies(actor); err != nil {
		return nil, err
	}
	in, err := in.Validate()
	if err != nil {
		return nil, err
	}
	var out *Request
	err = d.Tx(ctx, func(tx *db.Tx) error {
		old, err := openRequest(ctx, tx, actor.UserID)
		if err != nil {
			return err
		}
		if old != nil {
			return invalid("request", "You already have a request open. You can withdraw it and ask again.")
		}
		t := now()
		id := newID()
		if _, err := tx.Exec(ctx, `INSERT INTO buddy_requests (id, program_id, user_id, hopes, want_gender, want_language, pathway,
			meeting, life_stage, open_to_previous, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?)`,
			id, actor.ProgramID, actor.UserID, in.Hopes, in.WantGender, in.WantLanguage, in.Pathway, in.Meeting, in.LifeStage,
			in.OpenToPrevious, t, t); err != nil {
			if errors.Is(db.Err(err), db.ErrConflict) {
				return invalid("request", "You already have a request open. You can withdraw it and ask again.")
			}
			return fmt.Errorf("buddies: ask: %w", err)
		}
		flagged, err := saved(ctx, tx, actor, audit.Event{Action: "buddy.request.open", SubjectType: "buddy_request", SubjectID: id}, in.Hopes)
		if err != nil {
			return err
		}
		if out, err = openRequest(ctx, tx, actor.UserID); err != nil {
			return err
		}
		out.Flagged = flagged
		return nil
	})
	return out, err
}

// WithdrawRequest withdraws the actor's open request. A proposal waiting
// on it ends; the other person only sees that the match did not go ahead.
func WithdrawRequest(ctx context.Context, d *db.DB, actor access.Actor) error {
	if err := access.TakePartInBuddies(actor); err != nil {
		return err
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		r, err := openRequest(ctx, tx, actor.UserID)
		if err != nil {
			return err
		}
		if r == nil {
			return access.ErrNotFound
		}
		if _, err := tx.Exec(ctx, `UPDATE buddy_requests SET status = 'withdrawn', updated_at = ? WHERE id = ?`, now(), r.ID); err != nil {
			return fmt.Errorf("buddies: withdraw: %w", err)
		}
		ps, err := loadProposals(ctx, tx, `WHERE request_id = ? AND status IN ('draft', 'sent')`, r.ID)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if err := closeProposal(ctx, tx, p, ProposalWithdrawn, actor.UserID); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "buddy.request.withdraw", SubjectType: "buddy_request", SubjectID: r.ID})
	})
}
