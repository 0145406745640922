package http

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"truce"
	"truce/workflow"
)

var errEmptyBody = errors.New("empty body")

// SignedNoteType is the media type of a signed submission: a C2SP signed
// note whose text is a truce command (see workflow.SignedCommand).
const SignedNoteType = "application/truce-signed-note"

// MaxIdempotencyKey bounds the Idempotency-Key header.
const MaxIdempotencyKey = workflow.MaxIdempotencyKey

// decodeCommand reads a command's body into v and returns the context the
// command runs in. The body is JSON (Content-Type application/json, or
// none), or a signed note (SignedNoteType) carrying the JSON, verified
// against the member's registered key. An Idempotency-Key header makes the
// command idempotent for the member.
func (s *Server) decodeCommand(w http.ResponseWriter, r *http.Request, v any) (context.Context, error) {
	return s.decodeCommandLimit(w, r, v, MaxBodyBytes)
}

// decodeCommandLimit is decodeCommand with a body limit of its own, for
// the commands that take large bodies (zones).
func (s *Server) decodeCommandLimit(w http.ResponseWriter, r *http.Request, v any, limit int64) (context.Context, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, truce.Errorf(truce.ETOOLARGE, "the request body is over %d bytes", limit)
		}
		return nil, bodyError(err)
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return nil, err
	}
	sub := &workflow.Submission{IdempotencyKey: key}
	mt := "application/json"
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err = mime.ParseMediaType(ct); err != nil {
			mt = ct
		}
	}
	switch mt {
	case "application/json":
	case SignedNoteType:
		var signed *workflow.Submission
		body, signed, err = s.Service.VerifySigned(r.Context(), memberOf(r), body, r.Method, r.URL.Path, key)
		if err != nil {
			return nil, err
		}
		signed.IdempotencyKey = key
		sub = signed
	default:
		return nil, truce.Errorf(truce.EUNSUPPORTED, "the body must be JSON (Content-Type: application/json) or a signed note (%s), not %q", SignedNoteType, r.Header.Get("Content-Type"))
	}
	if err := decodeJSONBody(body, v); err != nil {
		return nil, err
	}
	sub.Fingerprint = fingerprint(r, body)
	return workflow.WithSubmission(r.Context(), sub), nil
}

// fingerprint identifies a request for idempotency: the method, the path
// and the command's body.
func fingerprint(r *http.Request, body []byte) [32]byte {
	h := sha256.New()
	io.WriteString(h, r.Method+" "+r.URL.Path+"\n")
	h.Write(body)
	var fp [32]byte
	copy(fp[:], h.Sum(nil))
	return fp
}

// idempotencyKey reads the Idempotency-Key header: printable ASCII, at
// most MaxIdempotencyKey bytes.
func idempotencyKey(r *http.Request) (string, error) {
	key := r.Header.Get("Idempotency-Key")
	if len(key) > MaxIdempotencyKey {
		return "", truce.Invalidf("Idempotency-Key", "must be at most %d characters", MaxIdempotencyKey)
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return "", truce.Invalidf("Idempotency-Key", "must be printable ASCII without spaces")
		}
	}
	return key, nil
}

// decodeJSONBody decodes one JSON object into v: no unknown fields, nothing
// after the object.
func decodeJSONBody(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return bodyError(errEmptyBody)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err)
	}
	// dec.More would miss a stray '}' or ']': look at the bytes themselves.
	if len(bytes.Trim(body[dec.InputOffset():], " \t\r\n")) > 0 {
		return truce.Invalidf("body", "has data after the JSON object")
	}
	return nil
}
