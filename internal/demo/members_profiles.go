package demo

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// demoInterests is the demo program's list of interests.
var demoInterests = []string{"Art", "Board games", "Cooking", "Cycling", "Fishing", "Gardening", "Hiking", "Meditation",
	"Music", "Photography", "Reading", "Running", "Volunteering", "Yoga"}

var (
	demoCities    = []string{"Austin", "Round Rock", "San Marcos", "Georgetown", "Pflugerville", "Cedar Park", "Kyle", "Buda"}
	demoLanguages = [][]string{{"English"}, {"English", "Spanish"}, {"English"}, {"Spanish", "English"}, {"English", "Vietnamese"}, {"English", "ASL"}}
	demoPronouns  = []string{"she/her", "he/him", "they/them", "", "he/they", "she/they"}
	demoContact   = []string{"Weekday evenings", "Mornings before work", "Weekends", "Any time, text first", ""}
	demoBios      = []string{
		"Dog person, early riser, still learning to cook. Happy to meet for coffee.",
		"Two kids, one garden, and a lot of gratitude. Ask me about tomatoes.",
		"I play bass in a church band and I am always up for a walk around Lady Bird Lake.",
		"New to Austin. Looking for people to hike and talk with.",
		"",
	}
)

// seedProfiles gives the demo alumni and the coach profiles with varied
// cities, interests, pathways and visibilities; makes the coach the coach
// of Alex and fifteen others; and pairs Alex with Priya as buddies. A
// program that has any profile already is left alone.
func seedProfiles(ctx context.Context, d *db.DB, p *programs.Program) error {
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM profiles WHERE program_id = ?`, p.ID).Scan(&n); err != nil {
		return fmt.Errorf("demo: profiles: %w", err)
	}
	if n > 0 {
		return nil
	}
	sys := access.System(p.ID)
	pathwayKeys := make([]string, len(members.Pathways))
	for i, pw := range members.Pathways {
		pathwayKeys[i] = pw.Key
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		if err := members.AddProgramInterests(ctx, tx, p.ID, demoInterests...); err != nil {
			return err
		}
		ids := map[string]string{}
		for _, pe := range people() {
			id, ok, err := userID(ctx, tx, p.ID, pe.Email)
			if err != nil {
				return fmt.Errorf("demo: profiles: %w", err)
			}
			if !ok {
				continue
			}
			ids[pe.Email] = id
		}
		coach := ids["coach@demo.cairn.test"]
		i := 0
		for _, pe := range people() {
			id, ok := ids[pe.Email]
			if !ok || (pe.Role != access.Alumnus && pe.Role != access.Coach) {
				continue
			}
			in := members.ProfileInput{
				Pronouns:     demoPronouns[i%len(demoPronouns)],
				Bio:          demoBios[i%len(demoBios)],
				City:         demoCities[i%len(demoCities)],
				Languages:    demoLanguages[i%len(demoLanguages)],
				Interests:    []string{demoInterests[i%len(demoInterests)], demoInterests[(i*5+3)%len(demoInterests)]},
				ContactTimes: demoContact[i%len(demoContact)],
				Hidden:       i%9 == 8,
				Visibility: members.FieldVisibility{
					Recovery:   access.Visibilities[(i+1)%4],
					Milestones: access.Visibilities[(i+2)%4],
					Pathways:   access.Visibilities[i%4],
					Checkins:   access.VisCoach,
				},
			}
			if i%4 != 3 {
				in.Pathways = []string{pathwayKeys[i%len(pathwayKeys)]}
			}
			if i%7 == 2 {
				in.Interests = append(in.Interests, "Woodworking")
			}
			if pe.Email == "alex@demo.cairn.test" {
				in.Pronouns, in.City, in.Languages = "he/him", "Austin", []string{"English", "Spanish"}
				in.Bio = "Musician, runner, and grateful to be here. Say hi at Thursday night meetings."
				in.Interests = []string{"Music", "Running", "Cooking"}
				in.Pathways, in.Hidden = []string{"smart", "12-step"}, false
				in.Visibility = members.FieldVisibility{Recovery: access.VisCoach, Milestones: access.VisProgram,
					Pathways: access.VisBuddy, Checkins: access.VisCoach}
			}
			if err := members.SaveProfileTx(ctx, tx, sys, id, in); err != nil {
				return fmt.Errorf("demo: profile of %s: %w", pe.Email, err)
			}
			if coach != "" && pe.Role == access.Alumnus && (i%5 == 1 || i%5 == 3) {
				if err := members.AssignCoach(ctx, tx, p.ID, id, coach); err != nil {
					return err
				}
			}
			i++
		}
		if a, b := ids["alex@demo.cairn.test"], ids["priya.raman@demo.cairn.test"]; a != "" && b != "" {
			if err := members.AddBuddies(ctx, tx, p.ID, a, b); err != nil {
				return err
			}
		}
		return nil
	})
}
