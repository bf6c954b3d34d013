// Package logging builds Cairn's structured logger: JSON lines through
// log/slog, with a redaction hook so that contact details, names, message
// bodies and secrets never reach a log file, whatever a caller passes.
//
// Redaction works twice over. An attribute whose key names something
// sensitive (email, address, ip, name, body, password, token, …) is
// replaced whole by "[redacted]", whatever its value. Every other string
// value, and the log message itself, is scanned for things that look like
// an email address or an IP address, and (in attribute values) a bearer or
// base64url token, and those parts are replaced.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Redacted is what replaces a sensitive value.
const Redacted = "[redacted]"

// New returns a JSON logger writing to w at the given level (debug, info,
// warn or error; anything else means info) that redacts sensitive
// attributes and values.
func New(w io.Writer, level string) *slog.Logger {
	return slog.New(NewHandler(w, level))
}

// NewHandler returns the redacting JSON handler behind [New], for callers
// that wrap it (for example to add a request id).
func NewHandler(w io.Writer, level string) slog.Handler {
	return slog.NewJSONHandler(w, &slog.HandlerOptions{
		Level:       ParseLevel(level),
		ReplaceAttr: replaceAttr,
	})
}

// ParseLevel turns a level name into a slog level; unknown names are info.
func ParseLevel(level string) slog.Level {
	switch strings.ToLower(strings.TrimSpace(level)) {
	case "debug":
		return slog.LevelDebug
	case "warn", "warning":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// replaceAttr is the handler's hook: slog calls it for every attribute,
// including those inside groups and the built-in message.
func replaceAttr(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 {
		switch a.Key {
		case slog.TimeKey, slog.LevelKey:
			return a
		case slog.MessageKey:
			if a.Value.Kind() == slog.KindString {
				return slog.String(a.Key, RedactText(a.Value.String()))
			}
		}
	}
	for _, g := range groups {
		if SensitiveKey(g) {
			return slog.String(a.Key, Redacted)
		}
	}
	if SensitiveKey(a.Key) {
		return slog.String(a.Key, Redacted)
	}
	return slog.Attr{Key: a.Key, Value: redactValue(a.Value)}
}

func redactValue(v slog.Value) slog.Value {
	switch v.Kind() {
	case slog.KindString:
		return slog.StringValue(Redact(v.String()))
	case slog.KindAny:
		x := v.Any()
		var s string
		switch x := x.(type) {
		case nil:
			return v
		case error:
			s = x.Error()
		case fmt.Stringer:
			s = x.String()
		case []byte:
			s = string(x)
		default:
			// Structures, maps and slices are written as text so that
			// what they hold is scanned too.
			s = fmt.Sprintf("%+v", x)
		}
		return slog.StringValue(Redact(s))
	}
	return v
}
