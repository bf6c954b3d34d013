package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// Problem types: tag URIs (RFC 4151), which identify a problem without
// pretending to be a web page. The OpenAPI document lists them.
const (
	typePrefix           = "tag:cairn-recovery.org,2026:problem/"
	typeInvalid          = typePrefix + "invalid-request"
	typeUnauthorized     = typePrefix + "unauthorized"
	typeForbidden        = typePrefix + "forbidden"
	typeNotFound         = typePrefix + "not-found"
	typeMethodNotAllowed = typePrefix + "method-not-allowed"
	typeTooLarge         = typePrefix + "body-too-large"
	typeMediaType        = typePrefix + "unsupported-media-type"
	typeRateLimited      = typePrefix + "rate-limited"
	typeInternal         = typePrefix + "internal"
)

// ProblemContentType is the media type of every error answer (RFC 9457).
const ProblemContentType = "application/problem+json"

// Problem is an error answer: an RFC 9457 problem document. Errors lists
// the fields that were wrong, each with a message for people.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []FieldProblem `json:"errors,omitempty"`

	// challenge is the WWW-Authenticate value of a 401.
	challenge string
}

// FieldProblem names one wrong field: a body member (e.g. "ids" or
// "ids[2]"), a query parameter ("cursor", "limit"), a path parameter
// ("id"), or "body" for the body as a whole.
type FieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error returns the problem's title, so that a Problem can travel as an
// error from a handler to the one place that writes it.
func (p *Problem) Error() string { return p.Title }

// invalid is a 400 problem about one field.
func invalid(field, message string) *Problem {
	return &Problem{Type: typeInvalid, Title: "Invalid request", Status: http.StatusBadRequest,
		Detail: field + ": " + message, Errors: []FieldProblem{{Field: field, Message: message}}}
}

var (
	errNotFound = &Problem{Type: typeNotFound, Title: "Not found", Status: http.StatusNotFound,
		Detail: "There is nothing here, or nothing this caller may see."}
	errNoRoute = &Problem{Type: typeNotFound, Title: "Not found", Status: http.StatusNotFound,
		Detail: "The API has no such path; see /api/openapi.json."}
	errTooLarge = &Problem{Type: typeTooLarge, Title: "Body too large", Status: http.StatusRequestEntityTooLarge,
		Detail: "The request body is larger than the API accepts."}
	errInternal = &Problem{Type: typeInternal, Title: "Internal error", Status: http.StatusInternalServerError,
		Detail: "Something went wrong on our side; try again in a moment. Quote the request id when reporting it."}
)

// problemFor turns any error into the problem to answer with. Errors that
// are not the API's own are internal, and their text is never sent.
func problemFor(err error) *Problem {
	var (
		p   *Problem
		mbe *http.MaxBytesError
		afe *auth.FieldError
		nfe *notify.FieldError
	)
	switch {
	case errors.As(err, &p):
		return p
	case errors.Is(err, db.ErrNotFound):
		return errNotFound
	case errors.As(err, &mbe):
		return errTooLarge
	case errors.As(err, &afe):
		return invalid(afe.Field, afe.Message)
	case errors.As(err, &nfe):
		return invalid(nfe.Field, nfe.Message)
	}
	return errInternal
}

// fail writes the problem document for err. Internal errors are logged
// with the request id (never with tokens, bodies or personal data).
func (a *API) fail(w http.ResponseWriter, r *http.Request, c *call, err error) {
	p := *problemFor(err)
	if p.Status >= 500 {
		a.log.Error("api request failed", "request_id", c.requestID, "method", r.Method, "route", r.Pattern, "err", err)
	}
	p.RequestID = c.requestID
	if p.challenge != "" {
		w.Header().Set("WWW-Authenticate", p.challenge)
	}
	b, merr := json.Marshal(&p)
	if merr != nil {
		b = []byte(`{"type":"` + typeInternal + `","title":"Internal error","status":500}`)
	}
	w.Header().Set("Content-Type", ProblemContentType)
	w.Header().Set("Content-Length", itoa(len(b)+1))
	w.WriteHeader(p.Status)
	_, _ = w.Write(append(b, '\n'))
}

// writeJSON answers 200 with v as JSON.
func writeJSON(w http.ResponseWriter, v any) error {
	return writeJSONStatus(w, http.StatusOK, v)
}

// writeJSONStatus answers v as JSON with status (201 for a creation).
func writeJSONStatus(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", itoa(len(b)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
	return nil
}
