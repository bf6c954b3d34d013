package api

import (
	"net/http"
)

// meJSON is the answer of GET /api/v1/me.
type meJSON struct {
	ID          string      `json:"id"`
	DisplayName string      `json:"display_name"`
	Role        string      `json:"role"`
	Program     programJSON `json:"program"`
}

type programJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	TimeZone string `json:"time_zone"`
}

// me answers who the caller is and in which program.
func (a *API) me(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := a.programs.Get(r.Context(), c.user.ProgramID)
	if err != nil {
		return err
	}
	return writeJSON(w, meJSON{ID: c.user.ID, DisplayName: c.user.DisplayName(), Role: string(c.user.Role),
		Program: programJSON{ID: p.ID, Name: p.Name, TimeZone: p.TimeZone}})
}
