package http

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"truce"
)

// codes maps each error code to its HTTP status; it is the only place that
// does.
var codes = map[string]int{
	truce.EINVALID:      http.StatusBadRequest,
	truce.EUNAUTHORIZED: http.StatusUnauthorized,
	truce.EFORBIDDEN:    http.StatusForbidden,
	truce.ENOTFOUND:     http.StatusNotFound,
	truce.ECONFLICT:     http.StatusConflict,
	truce.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	truce.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	truce.EMETHOD:       http.StatusMethodNotAllowed,
	truce.EUNAVAILABLE:  http.StatusServiceUnavailable,
	truce.EINTERNAL:     http.StatusInternalServerError,
}

// StatusOf returns the HTTP status of an error code.
func StatusOf(code string) int {
	if s, ok := codes[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// errorBody is how every error is written:
// {"error":{"code":"…","message":"…","field":"…"}}.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

// Error writes err. Internal errors are logged with their cause and shown
// to the client only as "internal error".
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := truce.ErrorCode(err), truce.ErrorMessage(err)
	if code == truce.EINTERNAL {
		s.Logger.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if code == truce.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="truce"`)
	}
	var body errorBody
	body.Error.Code, body.Error.Message, body.Error.Field = code, msg, truce.ErrorField(err)
	writeJSON(w, StatusOf(code), &body)
}

// errTooLarge is what a body over MaxBodyBytes gives.
var errTooLarge = truce.Errorf(truce.ETOOLARGE, "the request body is over %d bytes", MaxBodyBytes)

// bodyError turns an error of decoding a JSON body into a client error that
// names the field where it can.
func bodyError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooLarge *http.MaxBytesError
	var client *truce.Error
	switch {
	case errors.As(err, &client):
		// A value's own UnmarshalJSON (a GeoJSON geometry) has named the
		// field and the rule already.
		return client
	case errors.As(err, &tooLarge):
		return errTooLarge
	case errors.As(err, &syntax):
		return truce.Invalidf("body", "invalid JSON at byte %d: %v", syntax.Offset, syntax)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return truce.Invalidf("body", "must be a JSON object")
		}
		return truce.Invalidf(field, "must be a JSON %s, not %s", jsonKind(typ.Type.String()), typ.Value)
	case errors.Is(err, errEmptyBody):
		return truce.Invalidf("body", "is empty; send a JSON object")
	}
	if quoted, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		field, err := strconv.Unquote(quoted)
		if err != nil || field == "" {
			return truce.Invalidf("body", "has an unknown member %s", quoted)
		}
		return truce.Invalidf(field, "is not a known field")
	}
	return truce.Invalidf("body", "%v", err)
}

func jsonKind(goType string) string {
	switch goType {
	case "string", "truce.Verdict", "truce.Role", "truce.ActorID":
		return "string"
	case "float64", "*float64", "int", "int64":
		return "number"
	}
	return "value of type " + goType
}
