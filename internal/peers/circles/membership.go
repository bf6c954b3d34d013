package circles

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// Join puts the actor in circle id: at once in an open circle, as a
// request for a moderator to answer in a circle joined by request. It
// returns the actor's new state ("member" or "requested"). Joining again
// changes nothing.
func Join(ctx context.Context, d *db.DB, actor access.Actor, id string) (string, error) {
	var state string
	err := d.Tx(ctx, func(tx *db.Tx) error {
		c, err := load(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if c.State != "" {
			state = c.State
			return nil
		}
		if err := access.JoinCircle(actor, c.rule()); err != nil {
			return err
		}
		state = "member"
		if !c.Open() {
			state = "requested"
		}
		if _, err := tx.Exec(ctx, `INSERT INTO circle_members (circle_id, user_id, program_id, state, joined_at) VALUES (?, ?, ?, ?, ?)`,
			c.ID, actor.UserID, c.ProgramID, state, now()); err != nil {
			return fmt.Errorf("circles: join: %w", err)
		}
		if state == "member" {
			if err := addMembers(ctx, tx, c.ID, 1); err != nil {
				return err
			}
		}
		action := "circle.join"
		if state == "requested" {
			action = "circle.request"
			if err := tellModerators(ctx, tx, c); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: action, SubjectType: "circle", SubjectID: c.ID})
	})
	return state, err
}

// Leave takes the actor out of circle id (or withdraws their request).
// Leaving a circle one is not in changes nothing.
func Leave(ctx context.Context, d *db.DB, actor access.Actor, id string) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		c, err := load(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if c.State == "" {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM circle_members WHERE circle_id = ? AND user_id = ?`, c.ID, actor.UserID); err != nil {
			return fmt.Errorf("circles: leave: %w", err)
		}
		if c.State == "member" {
			if err := addMembers(ctx, tx, c.ID, -1); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "circle.leave", SubjectType: "circle", SubjectID: c.ID})
	})
}

// Person is a member of a circle, or someone asking to join.
type Person struct {
	UserID      string
	DisplayName string
	Moderator   bool
	State       string
}

// People lists the members and pending requests of circle id, by name,
// for its moderators (others get access.ErrNotFound). The read is audited
// when staff make it.
func People(ctx context.Context, d *db.DB, actor access.Actor, id string) ([]Person, error) {
	var out []Person
	err := d.Tx(ctx, func(tx *db.Tx) error {
		c, err := load(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := access.ModerateCircle(actor, c.rule()); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT u.id, u.first_name, u.last_name, u.email, m.moderator, m.state
			FROM circle_members m JOIN users u ON u.id = m.user_id WHERE m.circle_id = ?`, c.ID)
		if err != nil {
			return fmt.Errorf("circles: people: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var p Person
			var u auth.User
			if err := rows.Scan(&p.UserID, &u.FirstName, &u.LastName, &u.Email, &p.Moderator, &p.State); err != nil {
				return fmt.Errorf("circles: people: %w", err)
			}
			p.DisplayName = u.DisplayName()
			out = append(out, p)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("circles: people: %w", err)
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].DisplayName < out[j].DisplayName })
		if actor.Role.Staff() {
			return audit.Record(ctx, tx, actor, audit.Event{Action: "circle.people.view", SubjectType: "circle", SubjectID: c.ID})
		}
		return nil
	})
	return out, err
}

// Answer approves (yes) or declines a request to join circle id, for the
// circle's moderators. The person is told when approved. A request that is
// not there is access.ErrNotFound.
func Answer(ctx context.Context, d *db.DB, actor access.Actor, id, userID string, yes bool) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		c, err := load(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := access.ModerateCircle(actor, c.rule()); err != nil {
			return err
		}
		var state string
		if err := tx.QueryRow(ctx, `SELECT state FROM circle_members WHERE circle_id = ? AND user_id = ?`, c.ID, userID).Scan(&state); err != nil {
			if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
				return access.ErrNotFound
			}
			return fmt.Errorf("circles: answer: %w", err)
		}
		if state != "requested" {
			return access.ErrNotFound
		}
		if yes {
			if _, err := tx.Exec(ctx, `UPDATE circle_members SET state = 'member', joined_at = ? WHERE circle_id = ? AND user_id = ?`,
				now(), c.ID, userID); err != nil {
				return fmt.Errorf("circles: answer: %w", err)
			}
			if err := addMembers(ctx, tx, c.ID, 1); err != nil {
				return err
			}
			if _, err := notify.Send(ctx, tx, userID, notify.KindMessage, notify.Data{
				Title: "Your request to join a circle was accepted", Link: "/circles/" + c.ID}); err != nil {
				return err
			}
		} else if _, err := tx.Exec(ctx, `DELETE FROM circle_members WHERE circle_id = ? AND user_id = ?`, c.ID, userID); err != nil {
			return fmt.Errorf("circles: answer: %w", err)
		}
		action := "circle.request.decline"
		if yes {
			action = "circle.request.approve"
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: action, SubjectType: "circle", SubjectID: c.ID,
			Detail: map[string]string{"user_id": userID}})
	})
}

// SetModerator makes a member of circle id a moderator (or not), for
// coordinators and admins of its program. Only members can be moderators.
func SetModerator(ctx context.Context, d *db.DB, actor access.Actor, id, userID string, on bool) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		c, err := load(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := access.ManageCircles(actor, c.ProgramID); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE circle_members SET moderator = ? WHERE circle_id = ? AND user_id = ? AND state = 'member'`,
			on, c.ID, userID)
		if err != nil {
			return fmt.Errorf("circles: moderator: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ValidationError{{Field: "user_id", Message: "Only members of the circle can be moderators."}}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "circle.moderator", SubjectType: "circle", SubjectID: c.ID,
			Detail: map[string]string{"user_id": userID, "moderator": fmt.Sprint(on)}})
	})
}

// memberIDs lists the members of circle id.
func memberIDs(ctx context.Context, q db.Querier, id string) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT user_id FROM circle_members WHERE circle_id = ? AND state = 'member'`, id)
	if err != nil {
		return nil, fmt.Errorf("circles: members: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("circles: members: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// addMembers changes circle id's member count by n.
func addMembers(ctx context.Context, tx *db.Tx, id string, n int) error {
	if _, err := tx.Exec(ctx, `UPDATE circles SET member_count = member_count + ? WHERE id = ?`, n, id); err != nil {
		return fmt.Errorf("circles: member count: %w", err)
	}
	return nil
}

// tellModerators tells the circle's chosen moderators (or, when it has
// none, the program's coordinators) that someone asks to join. The
// notification names neither the person nor the circle (notifications may
// be emailed); its link leads to both.
func tellModerators(ctx context.Context, tx *db.Tx, c *Circle) error {
	rows, err := tx.Query(ctx, `SELECT user_id FROM circle_members WHERE circle_id = ? AND state = 'member' AND moderator = TRUE`, c.ID)
	if err != nil {
		return fmt.Errorf("circles: moderators: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("circles: moderators: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("circles: moderators: %w", err)
	}
	if len(ids) == 0 {
		rows, err := tx.Query(ctx, `SELECT id FROM users WHERE program_id = ? AND role = 'coordinator' AND disabled_at IS NULL`, c.ProgramID)
		if err != nil {
			return fmt.Errorf("circles: coordinators: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("circles: coordinators: %w", err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("circles: coordinators: %w", err)
		}
	}
	for _, id := range ids {
		if _, err := notify.Send(ctx, tx, id, notify.KindMessage, notify.Data{
			Title: "Someone asks to join a circle you moderate", Link: "/circles/" + c.ID + "/people"}); err != nil {
			return err
		}
	}
	return nil
}
