package demo

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// demoGroupTitle names the demo's group conversation; its presence marks
// the conversations as seeded.
const demoGroupTitle = "Tuesday night crew"

// demoLine is one message of a demo conversation: who wrote it (an email)
// and what.
type demoLine struct{ from, body string }

// seedConversations gives Alex three conversations: a direct one with
// their coach, one with Priya, and the group "Tuesday night crew", each
// ending with messages Alex has not read yet. Seeding sends no
// notifications, and seeding again adds nothing.
func seedConversations(ctx context.Context, d *db.DB, p *programs.Program) error {
	const alexEmail, coachEmail, priya, tomas, keisha = "alex@demo.cairn.test", "coach@demo.cairn.test",
		"priya.raman@demo.cairn.test", "tomas.delgado@demo.cairn.test", "keisha.freeman@demo.cairn.test"
	actors := map[string]access.Actor{}
	for _, email := range []string{alexEmail, coachEmail, priya, tomas, keisha} {
		var id, role string
		if err := d.QueryRow(ctx, `SELECT id, role FROM users WHERE email = ? AND program_id = ?`, email, p.ID).Scan(&id, &role); err != nil {
			return fmt.Errorf("demo: conversations: %s: %w", email, db.Err(err))
		}
		actors[email] = access.Actor{UserID: id, ProgramID: p.ID, Role: access.Role(role), RequestID: "demo"}
	}
	alex := actors[alexEmail]
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM conversations c JOIN conversation_members m ON m.conversation_id = c.id
		WHERE c.program_id = ? AND c.title = ? AND m.user_id = ?`, p.ID, demoGroupTitle, alex.UserID).Scan(&n); err != nil {
		return fmt.Errorf("demo: conversations: %w", err)
	}
	if n > 0 {
		return nil
	}
	talks := []struct {
		title   string
		members []string
		lines   []demoLine
	}{
		{"", []string{coachEmail}, []demoLine{
			{alexEmail, "Hi Marcus, this week was harder than I expected. Work has been a lot."},
			{coachEmail, "Thanks for telling me, Alex. That takes courage. Want to grab a coffee on Thursday and talk it through?"},
			{alexEmail, "Thursday works. Maybe after the meeting?"},
			{coachEmail, "Perfect. I'll meet you out front at 7:30. Keep using your toolbox until then — the walk after dinner sounded like it helped."},
		}},
		{"", []string{priya}, []demoLine{
			{priya, "Hey Alex! Are you coming to the family dinner on Sunday?"},
			{alexEmail, "I think so! Jordan wants to come too."},
			{priya, "Yay, save us seats. I'm bringing my lemon cake 🍋"},
		}},
		{demoGroupTitle, []string{priya, tomas, keisha}, []demoLine{
			{tomas, "Who's in for Tuesday? I can drive anyone from the east side."},
			{alexEmail, "Count me in. Thanks Tomás!"},
			{keisha, "Me too. 90 days this week, by the way 🎉"},
			{priya, "Keisha!! So proud of you. Dessert is on me."},
		}},
	}
	for _, t := range talks {
		in := conversations.NewConversation{Title: t.title}
		for _, m := range t.members {
			in.MemberIDs = append(in.MemberIDs, actors[m].UserID)
		}
		c, _, err := conversations.Start(ctx, d, alex, in)
		if err != nil {
			return fmt.Errorf("demo: conversations: start: %w", err)
		}
		// Everyone "has it open" while the demo writes, so that seeding
		// sends no notifications or emails.
		for _, m := range append([]string{alexEmail}, t.members...) {
			if err := conversations.MarkRead(ctx, d, actors[m], c.ID); err != nil {
				return fmt.Errorf("demo: conversations: %w", err)
			}
		}
		for _, l := range t.lines {
			if _, _, err := conversations.Send(ctx, d, actors[l.from], c.ID, l.body); err != nil {
				return fmt.Errorf("demo: conversations: send: %w", err)
			}
		}
	}
	return nil
}
