package api

import (
	"net/http"
	"strconv"

	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/mydata"
)

// myExport answers everything Cairn holds about the caller as a JSON
// download (mydata.Export; audited as "export.self").
func (a *API) myExport(w http.ResponseWriter, r *http.Request, c *call) error {
	e, err := mydata.Export(r.Context(), a.db, c.actor(), a.now())
	if err != nil {
		return err
	}
	b, err := members.MarshalExport(e)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Disposition", `attachment; filename="cairn-my-data-`+e.ExportedAt.Format("2006-01-02")+`.json"`)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(b)+1))
	_, _ = w.Write(append(b, '\n'))
	return nil
}
