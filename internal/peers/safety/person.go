package safety

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// KindPerson is the built-in kind for reporting a person (their profile).
// Hiding a person hides their profile from the directory.
const KindPerson = "person"

func init() {
	RegisterKind(KindPerson, Kind{Load: loadPerson, Visible: personVisible, SetHidden: setPersonHidden})
}

// person is what safety needs to know about an account.
type person struct {
	ID, ProgramID, First, Last, Email string
	Role                              access.Role
	Disabled, Hidden                  bool
	Bio                               string
}

// loadPersonRow reads the account id names; db.ErrNotFound when none.
func loadPersonRow(ctx context.Context, q db.Querier, id string) (*person, error) {
	var p person
	var role string
	var disabled, hidden, bio any
	err := q.QueryRow(ctx, `SELECT u.id, u.program_id, u.first_name, u.last_name, u.email, u.role,
		CASE WHEN u.disabled_at IS NULL THEN 0 ELSE 1 END, COALESCE(pr.moderation_hidden, FALSE), COALESCE(pr.bio, '')
		FROM users u LEFT JOIN profiles pr ON pr.user_id = u.id WHERE u.id = ?`, id).
		Scan(&p.ID, &p.ProgramID, &p.First, &p.Last, &p.Email, &role, &disabled, &hidden, &bio)
	if err != nil {
		if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
			return nil, db.ErrNotFound
		}
		return nil, fmt.Errorf("safety: person: %w", err)
	}
	p.Role = access.Role(role)
	p.Disabled = truthy(disabled)
	p.Hidden = truthy(hidden)
	p.Bio, _ = bio.(string)
	if b, ok := bio.([]byte); ok {
		p.Bio = string(b)
	}
	return &p, nil
}

// truthy reads a boolean or 0/1 column the same on both engines.
func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	case int32:
		return x != 0
	case int:
		return x != 0
	case []byte:
		s := string(x)
		return s == "1" || s == "t" || s == "true"
	case string:
		return x == "1" || x == "t" || x == "true"
	}
	return false
}

// DisplayName is first name and last initial, the way members see each
// other.
func (p *person) DisplayName() string { return displayName(p.First, p.Last, p.Email) }

func displayName(first, last, email string) string {
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	if first == "" {
		if i := strings.IndexByte(email, '@'); i > 0 {
			return email[:i]
		}
		return "Member"
	}
	if last == "" {
		return first
	}
	r, _ := utf8.DecodeRuneInString(last)
	return first + " " + string(unicode.ToUpper(r)) + "."
}

func loadPerson(ctx context.Context, q db.Querier, id string) (Content, error) {
	p, err := loadPersonRow(ctx, q, id)
	if err != nil {
		return Content{}, err
	}
	excerpt := p.DisplayName()
	if b := strings.TrimSpace(p.Bio); b != "" {
		excerpt += ": " + b
	}
	return Content{ProgramID: p.ProgramID, AuthorID: p.ID, Excerpt: Excerpt(excerpt),
		Link: "/members/" + p.ID, Hidden: p.Hidden}, nil
}

// personVisible: the actor may see the person's profile: same program, a
// member (never family) whose account is open, not blocked either way,
// and not hidden from the directory unless the actor is staff, their coach
// or their buddy.
func personVisible(ctx context.Context, q db.Querier, actor access.Actor, id string) error {
	if access.UseProfiles(actor) != nil || actor.UserID == id {
		return access.ErrNotFound
	}
	p, err := loadPersonRow(ctx, q, id)
	if err != nil {
		return err
	}
	if p.ProgramID != actor.ProgramID || p.Role == access.Family || p.Disabled {
		return access.ErrNotFound
	}
	if blocked, err := Blocked(ctx, q, actor.UserID, id); err != nil || blocked {
		return errors.Join(err, access.ErrNotFound)
	}
	if p.Hidden && access.SeeHiddenMembers(actor, p.ProgramID) != nil {
		var n int
		if err := q.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM coach_assignments WHERE member_id = ? AND coach_id = ?)
			+ (SELECT COUNT(*) FROM buddies WHERE member_id = ? AND buddy_id = ?)`, id, actor.UserID, id, actor.UserID).Scan(&n); err != nil {
			return fmt.Errorf("safety: person: %w", err)
		}
		if n == 0 {
			return access.ErrNotFound
		}
	}
	return nil
}

// setPersonHidden hides a person's profile from the directory (or shows it
// again); the profile row is made if there is none yet.
func setPersonHidden(ctx context.Context, tx *db.Tx, id string, hidden bool) error {
	res, err := tx.Exec(ctx, `UPDATE profiles SET moderation_hidden = ?, updated_at = ? WHERE user_id = ?`, hidden, now(), id)
	if err != nil {
		return fmt.Errorf("safety: hide person: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 || !hidden {
		return nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO profiles (user_id, program_id, moderation_hidden, updated_at)
		SELECT id, program_id, ?, ? FROM users WHERE id = ?`, hidden, now(), id); err != nil {
		return fmt.Errorf("safety: hide person: %w", err)
	}
	return nil
}

// MaxExcerpt is the longest excerpt the queue shows, in characters.
const MaxExcerpt = 280

// Excerpt shortens s for the queue: one line, at most MaxExcerpt
// characters, ending with an ellipsis when cut.
func Excerpt(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= MaxExcerpt {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:MaxExcerpt-1])) + "…"
}
