package web

import (
	"net/http"

	"github.com/cairn-recovery/cairn/internal/peers/conversations"
)

// adminMessageKeyRoutes are the admin page of the program's message keys
// and its rotation button.
func (s *Server) adminMessageKeyRoutes() []route {
	return []route{
		{"GET /admin/message-keys", signedIn, s.adminMessageKeys},
		{"POST /admin/message-keys/rotate", signedIn, s.adminMessageKeysRotate},
	}
}

func init() {
	flashes["key-rotation"] = "The rotation has started. Messages stay readable while it runs; this page shows when it is done."
}

// adminMessageKeys shows the program's message keys (ids, dates, how many
// messages each seals; never key material), the latest rotations and the
// rotation button, to the program's admins.
func (s *Server) adminMessageKeys(w http.ResponseWriter, r *http.Request) error {
	v, err := conversations.MessageKeys(r.Context(), s.db, actor(r))
	if err != nil {
		return err
	}
	return s.render(w, r, "admin_messagekeys", s.adminView(r, "Message keys", v))
}

// adminMessageKeysRotate asks for a rotation, run in the background, and
// returns to the page, which shows its progress.
func (s *Server) adminMessageKeysRotate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	if _, err := conversations.RequestRotation(r.Context(), s.db, actor(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/message-keys?done=key-rotation", http.StatusSeeOther)
	return nil
}
