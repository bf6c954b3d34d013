package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/cairn-recovery/cairn/internal/members"
)

// rosterImportJSON is the answer of POST /api/v1/roster-imports: what the
// import did (or, with dry_run, would do) and every problem found.
type rosterImportJSON struct {
	DryRun   bool              `json:"dry_run"`
	Imported bool              `json:"imported"`
	New      int               `json:"new"`
	Existing int               `json:"existing"`
	Rows     []rosterRowJSON   `json:"rows"`
	Errors   []rosterIssueJSON `json:"errors"`
}

type rosterRowJSON struct {
	Row    int    `json:"row"`
	Email  string `json:"email"`
	Status string `json:"status"`
}

type rosterIssueJSON struct {
	Row    int    `json:"row"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason"`
}

// importRoster previews (dry_run=true) or imports a roster CSV sent as the
// request body (text/csv), for coordinators and admins of the caller's
// program. An import of a file with problems imports nothing and answers
// 422 with the same document, listing them.
func (a *API) importRoster(w http.ResponseWriter, r *http.Request, c *call) error {
	dryRun := false
	switch v := r.URL.Query().Get("dry_run"); v {
	case "", "false":
	case "true":
		dryRun = true
	default:
		return invalid("dry_run", "must be true or false")
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "text/csv" && mt != "text/plain") {
		return &Problem{Type: typeMediaType, Title: "Unsupported media type", Status: http.StatusUnsupportedMediaType,
			Detail: "Send the roster as the body with Content-Type: text/csv."}
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, members.MaxRosterBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &Problem{Type: typeTooLarge, Title: "Body too large", Status: http.StatusRequestEntityTooLarge,
				Detail: fmt.Sprintf("A roster file may be at most %d MiB; split it into smaller files.", members.MaxRosterBytes>>20)}
		}
		return invalid("body", "could not be read")
	}
	var plan *members.RosterPlan
	imported := false
	if dryRun {
		plan, err = members.PlanRoster(r.Context(), a.db, c.actor(), data, a.now())
	} else {
		plan, err = members.ImportRoster(r.Context(), a.db, a.auth, c.actor(), data, a.now())
		imported = err == nil
	}
	if err != nil && !errors.Is(err, members.ErrRosterInvalid) {
		return err
	}
	out := rosterImportJSON{DryRun: dryRun, Imported: imported, New: plan.New, Existing: plan.Existing,
		Rows: make([]rosterRowJSON, 0, len(plan.Rows)), Errors: make([]rosterIssueJSON, 0, len(plan.Issues))}
	for _, row := range plan.Rows {
		out.Rows = append(out.Rows, rosterRowJSON{Row: row.Row, Email: row.Email, Status: string(row.Status)})
	}
	for _, is := range plan.Issues {
		out.Errors = append(out.Errors, rosterIssueJSON{Row: is.Row, Column: is.Column, Reason: is.Reason})
	}
	if !dryRun && len(plan.Issues) > 0 {
		b, err := json.Marshal(out)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", itoa(len(b)+1))
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write(append(b, '\n'))
		return nil
	}
	return writeJSON(w, out)
}
