package live

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// retryMillis is the reconnection delay suggested to browsers.
const retryMillis = 5000

// ServeSSE streams userID's events to w as server-sent events until the
// client leaves, the request's context ends or the hub stops. Each event
// is written as "event: <type>" and "data: <json>" and flushed at once;
// a comment line is sent every 25 seconds while idle. It returns an error
// only when the stream could not start (the response writer cannot
// flush); a client going away is not an error.
func (h *Hub) ServeSSE(w http.ResponseWriter, r *http.Request, userID string) error {
	if userID == "" {
		return errors.New("live: user_id is required")
	}
	rc := http.NewResponseController(w)
	// Deadlines a server sets are meant for ordinary requests; a stream
	// lives on (a WriteTimeout would cut it). Not every writer supports
	// this, which is fine.
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})

	events, cancel := h.Subscribe(userID)
	defer cancel()
	h.conns.Add(1)
	defer h.conns.Add(-1)

	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Accel-Buffering", "no")
	hdr.Del("Content-Length")
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 512)
	fmt.Fprintf(bw, "retry: %d\n\n", retryMillis)
	if err := flush(bw, rc); err != nil {
		if errors.Is(err, http.ErrNotSupported) {
			return fmt.Errorf("live: streaming is not supported by this response writer")
		}
		return nil
	}

	beat := time.NewTicker(h.heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return nil
		case <-h.stopped:
			return nil
		case <-beat.C:
			bw.WriteString(": ping\n\n")
		case ev, ok := <-events:
			if !ok {
				return nil
			}
			writeEvent(bw, ev)
			// Write whatever else is already queued in the same flush.
			for n := len(events); n > 0; n-- {
				ev, ok := <-events
				if !ok {
					break
				}
				writeEvent(bw, ev)
			}
		}
		if err := flush(bw, rc); err != nil {
			return nil
		}
	}
}

// writeEvent writes one event in the text/event-stream format.
func writeEvent(bw *bufio.Writer, ev Event) {
	bw.WriteString("event: ")
	bw.WriteString(ev.Type)
	bw.WriteByte('\n')
	data := ev.Data
	if len(data) == 0 {
		data = []byte("{}")
	}
	// Compact JSON has no line breaks, but a data field may span lines.
	for line := range bytes.Lines(data) {
		bw.WriteString("data: ")
		bw.Write(bytes.TrimRight(line, "\r\n"))
		bw.WriteByte('\n')
	}
	bw.WriteByte('\n')
}

// flush writes the buffer to the connection and flushes it to the client.
func flush(bw *bufio.Writer, rc *http.ResponseController) error {
	if err := bw.Flush(); err != nil {
		return err
	}
	return rc.Flush()
}
