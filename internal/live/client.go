package live

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
)

// ReadEvent reads the next event from a text/event-stream, skipping
// comments (heartbeats) and retry hints. It is the client side of
// [Hub.ServeSSE], for tests and the load tool; browsers use EventSource.
func ReadEvent(r *bufio.Reader) (Event, error) {
	var ev Event
	var data [][]byte
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return Event{}, err
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			if ev.Type == "" && data == nil {
				continue // a comment or retry block ended
			}
			if ev.Type == "" {
				ev.Type = "message"
			}
			ev.Data = json.RawMessage(bytes.Join(data, []byte("\n")))
			return ev, nil
		case strings.HasPrefix(line, ":"):
			// A comment.
		case strings.HasPrefix(line, "event:"):
			ev.Type = strings.TrimPrefix(strings.TrimPrefix(line, "event:"), " ")
		case strings.HasPrefix(line, "data:"):
			data = append(data, []byte(strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " ")))
		}
	}
}
