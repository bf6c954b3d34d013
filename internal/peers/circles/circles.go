package circles

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/google/uuid"
)

// The kinds of circle.
const (
	KindInterest = "interest"
	KindCohort   = "cohort"
	KindFamily   = "family"
)

// Kinds lists the kinds of circle, in the order forms show them.
var Kinds = []string{KindInterest, KindCohort, KindFamily}

// KindLabel is the kind's name for people.
func KindLabel(kind string) string {
	switch kind {
	case KindInterest:
		return "Interest or hobby"
	case KindCohort:
		return "Cohort"
	case KindFamily:
		return "Family"
	}
	return kind
}

// The join policies.
const (
	// JoinOpen circles are joined with one tap.
	JoinOpen = "open"
	// JoinRequest circles are joined when a moderator says yes.
	JoinRequest = "request"
)

// Limits on what people type.
const (
	MaxNameLen        = 80
	MaxDescriptionLen = 2000
	MaxInterestLen    = 60
	MaxPostLen        = 4000
	MaxCommentLen     = 2000
)

// ValidationError is the members' ValidationError: one message per field.
type ValidationError = members.ValidationError

// Circle is one circle as the actor sees it.
type Circle struct {
	ID          string
	ProgramID   string
	Kind        string
	Name        string
	Description string
	// Interest is the profile interest the circle is about ("" for none).
	Interest   string
	JoinPolicy string
	Archived   bool
	CreatedAt  time.Time
	// Members counts the circle's members (not pending requests).
	Members int
	// State is the actor's place: "member", "requested" or "" (none).
	State string
	// Moderator reports whether the actor was made a moderator.
	Moderator bool
}

// Open reports whether the circle is joined with one tap.
func (c *Circle) Open() bool { return c.JoinPolicy == JoinOpen }

// Member reports whether the actor is a member.
func (c *Circle) Member() bool { return c.State == "member" }

// KindLabel is the circle's kind for people.
func (c *Circle) KindLabel() string { return KindLabel(c.Kind) }

// rule is what the access rules need about the circle and the actor.
func (c *Circle) rule() access.Circle {
	return access.Circle{ProgramID: c.ProgramID, Kind: c.Kind, Open: c.JoinPolicy == JoinOpen,
		Archived: c.Archived, Member: c.State == "member", Moderator: c.Moderator}
}

// Input is what staff type to create or edit a circle.
type Input struct {
	Kind        string
	Name        string
	Description string
	Interest    string
	JoinPolicy  string
	Archived    bool
}

// clock is the time source; tests may replace it.
var clock = time.Now

func now() time.Time { return clock().UTC().Truncate(time.Microsecond) }

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// plainText reports whether s is valid UTF-8 without control characters
// other than line breaks and tabs (when multiline).
func plainText(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\n' || r == '\r' || r == '\t' {
			if multiline {
				continue
			}
			return false
		}
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// validate checks in and returns it cleaned.
func (in Input) validate() (Input, error) {
	var ve ValidationError
	in.Name = strings.TrimSpace(in.Name)
	in.Description = strings.TrimSpace(in.Description)
	in.Interest = strings.TrimSpace(in.Interest)
	if !contains(Kinds, in.Kind) {
		ve = append(ve, members.FieldError{Field: "kind", Message: "Choose interest, cohort or family."})
	}
	switch {
	case in.Name == "":
		ve = append(ve, members.FieldError{Field: "name", Message: "Give the circle a name."})
	case !plainText(in.Name, false) || utf8.RuneCountInString(in.Name) > MaxNameLen:
		ve = append(ve, members.FieldError{Field: "name", Message: fmt.Sprintf("The name must be plain text of at most %d characters.", MaxNameLen)})
	}
	if !plainText(in.Description, true) || utf8.RuneCountInString(in.Description) > MaxDescriptionLen {
		ve = append(ve, members.FieldError{Field: "description", Message: fmt.Sprintf("The description must be plain text of at most %d characters.", MaxDescriptionLen)})
	}
	if !plainText(in.Interest, false) || utf8.RuneCountInString(in.Interest) > MaxInterestLen {
		ve = append(ve, members.FieldError{Field: "interest", Message: fmt.Sprintf("The interest must be plain text of at most %d characters.", MaxInterestLen)})
	}
	if in.JoinPolicy != JoinOpen && in.JoinPolicy != JoinRequest {
		ve = append(ve, members.FieldError{Field: "join_policy", Message: "Choose open or by request."})
	}
	if len(ve) > 0 {
		return in, ve
	}
	return in, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Create makes a circle in the actor's program (coordinators and admins;
// anyone else is access.ErrNotFound) and returns it.
func Create(ctx context.Context, d *db.DB, actor access.Actor, in Input) (*Circle, error) {
	if err := access.ManageCircles(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	in, err := in.validate()
	if err != nil {
		return nil, err
	}
	c := &Circle{ID: newID(), ProgramID: actor.ProgramID, Kind: in.Kind, Name: in.Name, Description: in.Description,
		Interest: in.Interest, JoinPolicy: in.JoinPolicy, Archived: in.Archived, CreatedAt: now()}
	err = d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO circles (id, program_id, kind, name, description, interest, join_policy, archived,
			created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.ProgramID, c.Kind, c.Name, c.Description, c.Interest, c.JoinPolicy, c.Archived, actor.UserID, c.CreatedAt, c.CreatedAt); err != nil {
			return fmt.Errorf("circles: create: %w", err)
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "circle.create", SubjectType: "circle", SubjectID: c.ID})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Update changes a circle (coordinators and admins of its program).
func Update(ctx context.Context, d *db.DB, actor access.Actor, id string, in Input) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		c, err := load(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := access.ManageCircles(actor, c.ProgramID); err != nil {
			return err
		}
		in, err := in.validate()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE circles SET kind = ?, name = ?, description = ?, interest = ?, join_policy = ?,
			archived = ?, updated_at = ? WHERE id = ?`, in.Kind, in.Name, in.Description, in.Interest, in.JoinPolicy, in.Archived, now(), id); err != nil {
			return fmt.Errorf("circles: update: %w", err)
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "circle.update", SubjectType: "circle", SubjectID: id})
	})
}

// circleSelect reads a circle with its member count and the actor's place
// (the actor's id is the first argument).
const circleSelect = `SELECT c.id, c.program_id, c.kind, c.name, c.description, c.interest, c.join_policy, c.archived, c.created_at,
	c.member_count, COALESCE(m.state, ''), COALESCE(m.moderator, FALSE)
	FROM circles c LEFT JOIN circle_members m ON m.circle_id = c.id AND m.user_id = ?`

// circleSelectWith is circleSelect with more columns after the actor's
// place (their arguments come before the actor's id).
func circleSelectWith(cols string) string {
	return `SELECT c.id, c.program_id, c.kind, c.name, c.description, c.interest, c.join_policy, c.archived, c.created_at,
	c.member_count, COALESCE(m.state, ''), COALESCE(m.moderator, FALSE)` + cols + `
	FROM circles c LEFT JOIN circle_members m ON m.circle_id = c.id AND m.user_id = ?`
}

type scanner interface{ Scan(...any) error }

func scanCircle(s scanner) (*Circle, error) {
	c := &Circle{}
	err := s.Scan(&c.ID, &c.ProgramID, &c.Kind, &c.Name, &c.Description, &c.Interest, &c.JoinPolicy, &c.Archived, &c.CreatedAt,
		&c.Members, &c.State, &c.Moderator)
	return c, err
}

// load reads circle id with the actor's place in it, or access.ErrNotFound
// when there is none or the actor may not see it.
func load(ctx context.Context, q db.Querier, actor access.Actor, id string) (*Circle, error) {
	if id == "" || len(id) > 64 {
		return nil, access.ErrNotFound
	}
	c, err := scanCircle(q.QueryRow(ctx, circleSelect+` WHERE c.id = ?`, actor.UserID, id))
	if err != nil {
		if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
			return nil, access.ErrNotFound
		}
		return nil, fmt.Errorf("circles: load: %w", err)
	}
	if err := access.SeeCircle(actor, c.rule()); err != nil {
		return nil, err
	}
	return c, nil
}

// Get returns circle id as the actor sees it (access.ErrNotFound when the
// actor may not see it).
func Get(ctx context.Context, q db.Querier, actor access.Actor, id string) (*Circle, error) {
	return load(ctx, q, actor, id)
}

// MayManage reports whether the actor may edit the circle.
func (c *Circle) MayManage(actor access.Actor) bool {
	return access.ManageCircles(actor, c.ProgramID) == nil
}

// MayModerate reports whether the actor moderates the circle.
func (c *Circle) MayModerate(actor access.Actor) bool {
	return access.ModerateCircle(actor, c.rule()) == nil
}

// MayWrite reports whether the actor may post, comment and react.
func (c *Circle) MayWrite(actor access.Actor) bool {
	return access.WriteInCircle(actor, c.rule()) == nil
}

// MayRead reports whether the actor may read the circle's posts.
func (c *Circle) MayRead(actor access.Actor) bool {
	return access.ReadCirclePosts(actor, c.rule()) == nil
}

// MayJoin reports whether the actor may join (or ask to join) the circle
// and is not in it yet.
func (c *Circle) MayJoin(actor access.Actor) bool {
	return c.State == "" && access.JoinCircle(actor, c.rule()) == nil
}

// List returns the circles of the actor's program that the actor sees,
// the actor's own first, then by name. Archived circles are listed only
// for staff and their members.
func List(ctx context.Context, q db.Querier, actor access.Actor) ([]*Circle, error) {
	if err := access.UseCircles(actor); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, circleSelect+` WHERE c.program_id = ? ORDER BY c.name, c.id`, actor.UserID, actor.ProgramID)
	if err != nil {
		return nil, fmt.Errorf("circles: list: %w", err)
	}
	defer rows.Close()
	var mine, others []*Circle
	for rows.Next() {
		c, err := scanCircle(rows)
		if err != nil {
			return nil, fmt.Errorf("circles: list: %w", err)
		}
		if access.SeeCircle(actor, c.rule()) != nil {
			continue
		}
		if c.State == "member" {
			mine = append(mine, c)
		} else {
			others = append(others, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("circles: list: %w", err)
	}
	return append(mine, others...), nil
}
