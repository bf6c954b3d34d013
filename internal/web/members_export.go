package web

import (
	"net/http"
	"strconv"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/mydata"
)

// exportRoutes are "my data" (download, deletion request) and the admin
// list of deletion requests.
func (s *Server) exportRoutes() []route {
	return []route{
		{"GET /account/data", signedIn, s.myData},
		{"GET /account/export", signedIn, s.myExport},
		{"POST /account/delete-request", signedIn, s.myDeletionRequest},
		{"GET /admin/deletions", signedIn, s.adminDeletions},
		{"POST /admin/deletions/{id}/confirm", signedIn, s.adminConfirmDeletion},
	}
}

// myDataData is the "my data" page.
type myDataData struct {
	// CanRequestDeletion is false for staff, whose accounts another admin
	// closes.
	CanRequestDeletion bool
	Pending            *members.DeletionRequest
}

// myData shows the download and the deletion request.
func (s *Server) myData(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	pending, err := members.PendingDeletion(r.Context(), s.db, a)
	if err != nil {
		return err
	}
	return s.render(w, r, "members_export", s.newView(r, "My data", myDataData{CanRequestDeletion: access.RequestOwnDeletion(a, a.UserID) == nil, Pending: pending}))
}

// myExport sends everything Cairn holds about the person as a JSON file.
func (s *Server) myExport(w http.ResponseWriter, r *http.Request) error {
	e, err := mydata.Export(r.Context(), s.db, actor(r), s.now())
	if err != nil {
		return err
	}
	b, err := members.MarshalExport(e)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="cairn-my-data-`+e.ExportedAt.Format("2006-01-02")+`.json"`)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
	return nil
}

// myDeletionRequest asks the program's admins to delete the account.
func (s *Server) myDeletionRequest(w http.ResponseWriter, r *http.Request) error {
	if _, err := members.RequestDeletion(r.Context(), s.db, actor(r), s.now()); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/data", http.StatusSeeOther)
	return nil
}

// adminDeletionsData is the admin list of deletion requests.
type adminDeletionsData struct {
	Requests   []*members.DeletionRequest
	CanConfirm bool
}

// adminDeletions lists the program's waiting deletion requests.
func (s *Server) adminDeletions(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	list, err := members.ListDeletionRequests(r.Context(), s.db, a)
	if err != nil {
		return err
	}
	return s.render(w, r, "members_deletion", s.adminView(r, "Deletion requests",
		adminDeletionsData{Requests: list, CanConfirm: access.ConfirmDeletion(a, a.ProgramID) == nil}))
}

// adminConfirmDeletion deletes the account of a waiting request.
func (s *Server) adminConfirmDeletion(w http.ResponseWriter, r *http.Request) error {
	if err := mydata.ConfirmDeletion(r.Context(), s.db, actor(r), r.PathValue("id"), s.now()); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/deletions", http.StatusSeeOther)
	return nil
}
