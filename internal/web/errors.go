package web

import (
	"errors"
	"net/http"

	"github.com/cairn-recovery/cairn/internal/db"
)

// handlerFunc is a handler that returns an error; serve turns errors into
// pages in one place.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// httpError is an error with a status and a message that is safe to show.
type httpError struct {
	status  int
	message string
	err     error
}

func (e *httpError) Error() string {
	if e.err != nil {
		return e.message + ": " + e.err.Error()
	}
	return e.message
}

func (e *httpError) Unwrap() error { return e.err }

// errStatus returns an error that renders as status with a safe message.
func errStatus(status int, message string) error {
	return &httpError{status: status, message: message}
}

var errNotFound = errStatus(http.StatusNotFound, "We could not find that page.")

// serveError writes the error page for err. Internal errors are logged with
// the request id and shown as a plain apology; their text never reaches the
// browser.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := http.StatusInternalServerError, "Something went wrong on our side. Please try again in a moment."
	var he *httpError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		status, msg = he.status, he.message
	case errors.Is(err, db.ErrNotFound):
		status, msg = http.StatusNotFound, "We could not find that page."
	case errors.As(err, &mbe):
		status, msg = http.StatusRequestEntityTooLarge, "That was more than we can accept at once. Please send less."
	}
	if status >= 500 {
		s.log.Error("request failed", "request_id", state(r).requestID, "method", r.Method, "route", r.Pattern, "err", err)
	}
	s.renderStatus(w, r, status, "error", errorPage{Status: status, Message: msg})
}

type errorPage struct {
	Status  int
	Message string
}
