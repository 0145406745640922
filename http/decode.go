package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"truce"
)

var errEmptyBody = errors.New("empty body")

// decodeJSON reads one JSON object from the request body into v: at most
// MaxBodyBytes, Content-Type application/json (or none), no unknown fields,
// nothing after the object.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return truce.Errorf(truce.EUNSUPPORTED, "the body must be JSON: send Content-Type: application/json, not %q", ct)
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		return bodyError(err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return bodyError(errEmptyBody)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err)
	}
	if dec.More() {
		return truce.Invalidf("body", "has data after the JSON object")
	}
	return nil
}
