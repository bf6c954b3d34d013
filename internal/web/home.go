package web

import (
	"net/http"

	"github.com/cairn-recovery/cairn/internal/access"
)

// homeData is the signed-in start page.
type homeData struct {
	// Mine lists the person's own places: recovery, milestones, profile,
	// directory, family.
	Mine []adminSection
	// Admin lists the staff sections the person may use (empty for
	// alumni and family).
	Admin []adminSection
	// Circles are circles suggested to the person (circles_home.go).
	Circles circleSuggestions
	// Messages is how many conversations have unread messages
	// (conversations.go).
	Messages int
}

// mySections are the member pages the person has, by role.
func mySections(a access.Actor) []adminSection {
	var out []adminSection
	switch a.Role {
	case access.Alumnus:
		out = append(out,
			adminSection{"/recovery", "My recovery", "Your recovery date and its history, kept with care."},
			adminSection{"/milestones", "Milestones", "The milestones you have reached and the next one."},
			adminSection{"/profile", "My profile", "How you appear to others, and who may see what."},
			adminSection{"/directory", "Directory", "Find alumni of the program by interest, city or language."},
			adminSection{"/family/consents", "Family", "Invite family and decide what they may see; see who saw what."},
		)
	case access.Family:
		out = append(out, adminSection{"/family", "Your family member", "What your family member has chosen to share with you."})
	case access.Coach, access.Coordinator, access.Admin:
		out = append(out,
			adminSection{"/directory", "Directory", "Alumni of the program, and what each lets you see."},
			adminSection{"/staff/milestones", "Upcoming milestones", "Milestones in a date window, for milestone dinners."},
			adminSection{"/profile", "My profile", "How you appear to alumni."},
		)
	}
	return append(out, adminSection{"/account/data", "My data", "Download everything Cairn holds about you, or ask for deletion."})
}

// home greets the signed-in person and links to what they may use now.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	v := s.newView(r, "Home", homeData{Mine: mySections(a), Admin: adminSections(a), Circles: s.circleSuggestions(r), Messages: s.messagesUnread(r)})
	v.Nav = "home"
	return s.render(w, r, "home", v)
}
