package web

import (
	"errors"
	"io"
	"net/http"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// rosterRoutes are the roster import pages: upload, preview, confirm.
// The uploaded file waits server-side (members.SaveRosterUpload) between
// the preview and the confirmation, so that nothing large travels in a
// hidden form field and the confirmed import is exactly what was previewed.
func (s *Server) rosterRoutes() []route {
	return []route{
		{"GET /admin/roster", signedIn, s.rosterForm},
		{"POST /admin/roster", signedIn, s.rosterUpload},
		{"GET /admin/roster/{id}", signedIn, s.rosterPreview},
		{"POST /admin/roster/{id}/import", signedIn, s.rosterImport},
	}
}

// rosterFormData is the upload page.
type rosterFormData struct {
	Columns []string
}

// rosterPreviewData is the preview (or the result) of an import.
type rosterPreviewData struct {
	ID   string
	Plan *members.RosterPlan
	// Done is true on the page shown after the import.
	Done bool
}

func (s *Server) rosterForm(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.ImportRoster(a, a.ProgramID); err != nil {
		return err
	}
	return s.render(w, r, "members_roster", s.adminView(r, "Import a roster", rosterFormData{Columns: members.RosterColumns}))
}

// rosterUpload stores the uploaded file and shows its preview.
func (s *Server) rosterUpload(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.ImportRoster(a, a.ProgramID); err != nil {
		return err
	}
	v := s.adminView(r, "Import a roster", rosterFormData{Columns: members.RosterColumns})
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return s.formError(w, r, "members_roster", v, "file", "Choose a CSV file to upload.")
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	f, _, err := r.FormFile("file")
	if err != nil {
		return s.formError(w, r, "members_roster", v, "file", "Choose a CSV file to upload.")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, members.MaxRosterBytes+1))
	if err != nil {
		return err
	}
	id, err := members.SaveRosterUpload(r.Context(), s.db, a, data, s.now())
	var ri *members.RosterIssue
	if errors.As(err, &ri) {
		return s.formError(w, r, "members_roster", v, "file", "The file is larger than 5 MiB; split it into smaller files.")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/roster/"+id, http.StatusSeeOther)
	return nil
}

// rosterPreview shows what importing the upload would do.
func (s *Server) rosterPreview(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	data, err := members.LoadRosterUpload(r.Context(), s.db, a, r.PathValue("id"), s.now())
	if err != nil {
		return err
	}
	plan, err := members.PlanRoster(r.Context(), s.db, a, data, s.now())
	if err != nil {
		return err
	}
	return s.render(w, r, "members_roster_preview", s.adminView(r, "Roster preview", rosterPreviewData{ID: r.PathValue("id"), Plan: plan}))
}

// rosterImport imports the previewed upload, all or nothing.
func (s *Server) rosterImport(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	id := r.PathValue("id")
	plan, err := members.ImportRosterUpload(r.Context(), s.db, s.auth, a, id, s.now())
	if errors.Is(err, members.ErrRosterInvalid) {
		return s.renderView(w, r, http.StatusUnprocessableEntity, "members_roster_preview",
			s.adminView(r, "Roster preview", rosterPreviewData{ID: id, Plan: plan}))
	}
	if errors.Is(err, db.ErrNotFound) {
		return err
	}
	if err != nil {
		return err
	}
	return s.render(w, r, "members_roster_preview", s.adminView(r, "Roster imported", rosterPreviewData{ID: id, Plan: plan, Done: true}))
}
