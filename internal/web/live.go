package web

import (
	"context"
	"net/http"
	"time"
)

// liveMaxStream bounds one live-update stream. The browser reconnects by
// itself, and the reconnection checks the session again, so a revoked or
// expired session stops receiving updates within this time.
const liveMaxStream = 5 * time.Minute

func (s *Server) liveRoutes() []route {
	return []route{
		{"GET /live", signedIn, s.live},
	}
}

// live streams the signed-in person's own live updates (new
// notifications, unread counts) as server-sent events.
func (s *Server) live(w http.ResponseWriter, r *http.Request) error {
	if s.liveHub == nil {
		return errNotFound
	}
	a := actor(r)
	ctx, cancel := context.WithTimeout(r.Context(), liveMaxStream)
	defer cancel()
	if err := s.liveHub.ServeSSE(w, r.WithContext(ctx), a.UserID); err != nil {
		// The stream never started; nothing was written.
		s.log.Error("live stream", "request_id", a.RequestID, "err", err)
	}
	return nil
}
