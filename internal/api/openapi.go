package api

import (
	_ "embed"
	"net/http"
)

// openAPIDocument is the hand-written OpenAPI 3.1 description of every
// route; a test fails when a route is missing from it or it does not hold
// together.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPI serves the OpenAPI document. It needs no authentication.
func (a *API) openAPI(w http.ResponseWriter, r *http.Request, c *call) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPIDocument)
	return nil
}
