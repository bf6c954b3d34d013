package demo

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/circles"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// demoCircle is one demo circle with a few posts, each with comments.
type demoCircle struct {
	in    circles.Input
	posts []demoPost
	// alex puts Alex in the circle.
	alex bool
}

// demoPost is a post and its comments, written by members of the circle
// (by their place among its members).
type demoPost struct {
	by       int
	body     string
	comments []string
	reacts   []string
}

var demoCircles = []demoCircle{
	{in: circles.Input{Kind: circles.KindInterest, Name: "Hiking", Interest: "Hiking", JoinPolicy: circles.JoinOpen,
		Description: "Trails around Austin, from easy Greenbelt loops to sunrise at Enchanted Rock. Everyone walks at the pace of the slowest."},
		posts: []demoPost{
			{by: 0, body: "Saturday 8 AM at the Barton Creek Greenbelt trailhead (Spyglass entrance). About 3 miles, mostly shade. Bring water!",
				comments: []string{"Count me in.", "I'll bring extra water bottles."}, reacts: []string{"heart", "celebrate"}},
			{by: 1, body: "First hike since I got out. My legs are sore but my head is clear. Thank you all for waiting for me on the hills.",
				comments: []string{"So glad you came!", "Same time next week?"}, reacts: []string{"heart", "strength", "thanks"}},
		}},
	{in: circles.Input{Kind: circles.KindInterest, Name: "Cooking", Interest: "Cooking", JoinPolicy: circles.JoinOpen,
		Description: "Simple, cheap, good food. Share recipes, swap tips, and cook together at the center's kitchen once a month."},
		alex: true,
		posts: []demoPost{
			{by: 0, body: "Sunday meal prep: black bean chili, makes 6 portions for about $12. Recipe here: https://example.org/chili",
				comments: []string{"Made it last night, so good.", "Adding sweet potato next time."}, reacts: []string{"heart", "thanks"}},
			{by: 2, body: "Cooking dinner for my family for the first time in two years. Wish me luck.",
				comments: []string{"You've got this!"}, reacts: []string{"strength", "celebrate"}},
		}},
	{in: circles.Input{Kind: circles.KindInterest, Name: "Art", Interest: "Art", JoinPolicy: circles.JoinOpen,
		Description: "Drawing, painting, collage, anything with your hands. No skill needed, just curiosity."},
		posts: []demoPost{
			{by: 0, body: "Open studio Thursday 6 PM in the activity room. Paper and paints provided.",
				comments: []string{"I'll be there."}, reacts: []string{"heart"}},
		}},
	{in: circles.Input{Kind: circles.KindInterest, Name: "Fitness & movement", Interest: "Running", JoinPolicy: circles.JoinOpen,
		Description: "Running, yoga, lifting, walking the dog: moving our bodies together, at every level."},
		alex: true,
		posts: []demoPost{
			{by: 1, body: "Ran my first 5K this morning. 90 days ago I couldn't walk to the corner store.",
				comments: []string{"Incredible!", "Proud of you."}, reacts: []string{"celebrate", "strength", "heart"}},
			{by: 0, body: "Lady Bird Lake loop, Tuesdays at 6:30 PM. Walkers welcome.", comments: []string{"See you Tuesday."}, reacts: []string{"thanks"}},
		}},
	{in: circles.Input{Kind: circles.KindInterest, Name: "Parents in recovery", JoinPolicy: circles.JoinRequest,
		Description: "A private circle for alumni who are parents: the hard days, the good days, and everything between. Ask to join; a moderator will say hello."},
		posts: []demoPost{
			{by: 0, body: "My daughter asked me today why I go to meetings. I told her the truth, simply. It went better than I feared.",
				comments: []string{"Thank you for sharing this.", "Kids understand more than we think."}, reacts: []string{"heart", "thanks"}},
		}},
	{in: circles.Input{Kind: circles.KindCohort, Name: "Spring 2025 graduates", JoinPolicy: circles.JoinRequest,
		Description: "Everyone who finished treatment in March, April or May 2025."},
		posts: []demoPost{
			{by: 0, body: "Six months for a lot of us this week. Milestone dinner on the 20th, who's coming?",
				comments: []string{"Wouldn't miss it."}, reacts: []string{"celebrate"}},
		}},
	{in: circles.Input{Kind: circles.KindFamily, Name: "Family circle", JoinPolicy: circles.JoinOpen,
		Description: "For the families of our alumni: support, questions and encouragement from people who understand."},
		posts: []demoPost{
			{by: 0, body: "Family dinner is next Friday. It helped us so much last time, just sitting with other families.",
				reacts: []string{"heart"}},
		}},
}

// seedCircles makes the demo circles with members, posts, comments and
// reactions; Alex is in Cooking and Fitness & movement. Seeding again adds
// nothing once the program has circles.
func seedCircles(ctx context.Context, d *db.DB, p *programs.Program) error {
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM circles WHERE program_id = ?`, p.ID).Scan(&n); err != nil {
		return fmt.Errorf("demo: circles: %w", err)
	}
	if n > 0 {
		return nil
	}
	coordID, ok, err := userID(ctx, d, p.ID, "coordinator@demo.cairn.test")
	if err != nil || !ok {
		return fmt.Errorf("demo: circles: coordinator: %v", err)
	}
	coord := access.Actor{UserID: coordID, ProgramID: p.ID, Role: access.Coordinator, RequestID: "demo"}
	alexID, ok, err := userID(ctx, d, p.ID, "alex@demo.cairn.test")
	if err != nil || !ok {
		return fmt.Errorf("demo: circles: alex: %v", err)
	}
	alumni, err := idsWithRole(ctx, d, p.ID, access.Alumnus, alexID)
	if err != nil {
		return err
	}
	family, err := idsWithRole(ctx, d, p.ID, access.Family, "")
	if err != nil {
		return err
	}
	for i, dc := range demoCircles {
		// Circles joined by request start open, so that seeding its
		// members sends the moderators no requests to answer.
		in0 := dc.in
		in0.JoinPolicy = circles.JoinOpen
		c, err := circles.Create(ctx, d, coord, in0)
		if err != nil {
			return fmt.Errorf("demo: circle %s: %w", dc.in.Name, err)
		}
		pool, role := alumni, access.Alumnus
		if dc.in.Kind == circles.KindFamily {
			pool, role = family, access.Family
		}
		var in []access.Actor
		for j := 0; j < len(pool) && len(in) < 8; j++ {
			if len(pool) > 8 && (j+i)%3 == 0 {
				continue
			}
			in = append(in, access.Actor{UserID: pool[(j+i*4)%len(pool)], ProgramID: p.ID, Role: role, RequestID: "demo"})
		}
		if dc.alex {
			in = append(in, access.Actor{UserID: alexID, ProgramID: p.ID, Role: access.Alumnus, RequestID: "demo"})
		}
		for _, m := range in {
			if _, err := circles.Join(ctx, d, m, c.ID); err != nil {
				return fmt.Errorf("demo: circle %s: join: %w", dc.in.Name, err)
			}
		}
		if dc.in.JoinPolicy != circles.JoinOpen {
			if err := circles.Update(ctx, d, coord, c.ID, dc.in); err != nil {
				return fmt.Errorf("demo: circle %s: %w", dc.in.Name, err)
			}
		}
		if len(in) == 0 {
			continue
		}
		if err := circles.SetModerator(ctx, d, coord, c.ID, in[0].UserID, true); err != nil {
			return fmt.Errorf("demo: circle %s: moderator: %w", dc.in.Name, err)
		}
		for _, dp := range dc.posts {
			author := in[dp.by%len(in)]
			postID, _, err := circles.CreatePost(ctx, d, author, c.ID, dp.body)
			if err != nil {
				return fmt.Errorf("demo: circle %s: post: %w", dc.in.Name, err)
			}
			for k, body := range dp.comments {
				if _, _, err := circles.AddComment(ctx, d, in[(dp.by+k+1)%len(in)], c.ID, postID, body); err != nil {
					return fmt.Errorf("demo: circle %s: comment: %w", dc.in.Name, err)
				}
			}
			for k, kind := range dp.reacts {
				for r := 0; r <= k && r < len(in); r++ {
					if _, err := circles.React(ctx, d, in[(dp.by+r+1)%len(in)], c.ID, postID, kind); err != nil {
						return fmt.Errorf("demo: circle %s: react: %w", dc.in.Name, err)
					}
				}
			}
		}
	}
	return nil
}

// idsWithRole lists the program's people of role by email, leaving out
// except (when not "").
func idsWithRole(ctx context.Context, q db.Querier, programID string, role access.Role, except string) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT id FROM users WHERE program_id = ? AND role = ? AND disabled_at IS NULL ORDER BY email`, programID, string(role))
	if err != nil {
		return nil, fmt.Errorf("demo: circles: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("demo: circles: %w", err)
		}
		if id != except {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}
