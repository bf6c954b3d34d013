package api

import (
	"errors"
	"net/http"

	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// safetyRoutes are blocking and unblocking people, and reporting content.
func (a *API) safetyRoutes() []route {
	return []route{
		{"POST /api/v1/blocks", false, a.createBlock},
		{"DELETE /api/v1/blocks/{user_id}", false, a.deleteBlock},
		{"POST /api/v1/reports", false, a.createReport},
	}
}

// safetyProblem turns a *safety.FieldError into a 400 problem naming the
// field; other errors pass through.
func safetyProblem(err error) error {
	var fe *safety.FieldError
	if errors.As(err, &fe) {
		return invalid(fe.Field, fe.Message)
	}
	return err
}

// blockRequest is the body of POST /api/v1/blocks.
type blockRequest struct {
	UserID string `json:"user_id"`
}

// createBlock blocks a person of the caller's program (alumni and family;
// others get 404). The blocked person is not told. Blocking again is not
// an error.
func (a *API) createBlock(w http.ResponseWriter, r *http.Request, c *call) error {
	var req blockRequest
	if err := decodeJSON(w, r, a.maxBody, &req); err != nil {
		return err
	}
	if req.UserID == "" || len(req.UserID) > 64 {
		return invalid("user_id", "Send the id of the person to block.")
	}
	if err := safety.Block(r.Context(), a.db, c.actor(), req.UserID); err != nil {
		return safetyProblem(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteBlock unblocks a person. Unblocking someone not blocked is not an
// error.
func (a *API) deleteBlock(w http.ResponseWriter, r *http.Request, c *call) error {
	id := r.PathValue("user_id")
	if id == "" || len(id) > 64 {
		return errNotFound
	}
	if err := safety.Unblock(r.Context(), a.db, c.actor(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// reportRequest is the body of POST /api/v1/reports.
type reportRequest struct {
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Reason string `json:"reason"`
	Note   string `json:"note"`
}

// reportJSON is the answer of POST /api/v1/reports.
type reportJSON struct {
	ID string `json:"id"`
}

// createReport files a report about content the caller can see (anything
// else is 404). Filing the same report again while it is open answers the
// open report.
func (a *API) createReport(w http.ResponseWriter, r *http.Request, c *call) error {
	var req reportRequest
	if err := decodeJSON(w, r, a.maxBody, &req); err != nil {
		return err
	}
	id, err := safety.Report(r.Context(), a.db, c.actor(), safety.ReportInput{Kind: req.Kind, ID: req.ID, Reason: req.Reason, Note: req.Note})
	if err != nil {
		return safetyProblem(err)
	}
	return writeJSONStatus(w, http.StatusCreated, reportJSON{ID: id})
}
