package circles

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Suggestion is a circle suggested to a member, with why in words.
type Suggestion struct {
	Circle *Circle
	// Reason says why ("Because you like hiking"), or "" when the circle
	// is only suggested for being well attended.
	Reason string
	score  int
}

// MaxSuggestions is how many circles the home page suggests.
const MaxSuggestions = 3

// Suggest returns up to MaxSuggestions circles the actor may join and is
// not in (nor asked to join): those matching the interests on their
// profile first, then the larger ones.
func Suggest(ctx context.Context, q db.Querier, actor access.Actor) ([]Suggestion, error) {
	if actor.Role != access.Alumnus && actor.Role != access.Family {
		return nil, nil
	}
	// One query for the home page: the program's circles, the actor's
	// place in each, and the interests on the actor's profile.
	rows, err := q.Query(ctx, circleSelectWith(`, COALESCE((SELECT interests FROM profiles WHERE user_id = ?), '[]')`)+
		` WHERE c.program_id = ? AND c.archived = FALSE ORDER BY c.name, c.id`, actor.UserID, actor.UserID, actor.ProgramID)
	if err != nil {
		return nil, fmt.Errorf("circles: suggest: %w", err)
	}
	defer rows.Close()
	var list []*Circle
	var raw string
	for rows.Next() {
		c := &Circle{}
		if err := rows.Scan(&c.ID, &c.ProgramID, &c.Kind, &c.Name, &c.Description, &c.Interest, &c.JoinPolicy, &c.Archived, &c.CreatedAt,
			&c.Members, &c.State, &c.Moderator, &raw); err != nil {
			return nil, fmt.Errorf("circles: suggest: %w", err)
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("circles: suggest: %w", err)
	}
	var interests []string
	_ = json.Unmarshal([]byte(raw), &interests) // a profile's list that cannot be read suggests by size alone
	var out []Suggestion
	for _, c := range list {
		if !c.MayJoin(actor) {
			continue
		}
		s := Suggestion{Circle: c}
		for _, in := range interests {
			if matches(c, in) {
				s.Reason, s.score = "Because you like "+strings.ToLower(in), 1
				break
			}
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].Circle.Members > out[j].Circle.Members
	})
	if len(out) > MaxSuggestions {
		out = out[:MaxSuggestions]
	}
	return out, nil
}

// matches reports whether the circle is about the interest: its interest
// is the same, or its name holds the interest as a word.
func matches(c *Circle, interest string) bool {
	in := strings.ToLower(strings.TrimSpace(interest))
	if in == "" {
		return false
	}
	if strings.EqualFold(c.Interest, in) {
		return true
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(c.Name), func(r rune) bool {
		return r == ' ' || r == '&' || r == ',' || r == '-' || r == '/'
	}) {
		if w == in {
			return true
		}
	}
	return false
}
