package app

import (
	"context"
	"net/http"
)

// runLive runs the live-update hub until shutdown of srv begins or stop is
// called, whichever comes first; done is closed once it has stopped. The
// hub stopping ends the open event streams, so they never hold up the
// drain of requests in flight.
func (a *App) runLive(ctx context.Context, srv *http.Server) (stop context.CancelFunc, done <-chan struct{}) {
	ch := make(chan struct{})
	if a.Live == nil {
		close(ch)
		return func() {}, ch
	}
	liveCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	srv.RegisterOnShutdown(cancel)
	go func() {
		defer close(ch)
		if err := a.Live.Run(liveCtx); err != nil {
			a.Logger.Error("live updates stopped", "err", err)
		}
	}()
	return cancel, ch
}
