package http

import (
	_ "embed"
	"net/http"
)

// openapi is the OpenAPI 3.1 description of the API, kept beside the
// routes; a test holds its paths to the router's.
//
//go:embed openapi.json
var openapi []byte

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	_, err := w.Write(openapi)
	return err
}
