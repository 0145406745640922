package truce

import (
	"errors"
	"fmt"
)

// Error codes. Each code maps to exactly one HTTP status in package http;
// nothing else decides how an error is shown to a client.
const (
	EINVALID      = "invalid"                // the input breaks a rule; the message names the field
	EUNAUTHORIZED = "unauthorized"           // no credentials, or credentials that match no member
	EFORBIDDEN    = "forbidden"              // the member's role may not do this
	ENOTFOUND     = "not_found"              // no such object, or one the caller may not know of
	ECONFLICT     = "conflict"               // the object exists, or the state forbids the change
	ETOOLARGE     = "too_large"              // a body, a list or a file over its limit
	EUNSUPPORTED  = "unsupported_media_type" // a body that is not what the route reads
	EMETHOD       = "method_not_allowed"     // the route exists, the method does not
	EUNAVAILABLE  = "unavailable"            // the server is at capacity; retry later, nothing was done
	EINTERNAL     = "internal"               // a fault of the server; the cause is logged, not shown
)

// Error is an error a client may see. Message is written for the client and
// names the field and the rule it breaks; causes that are the server's own
// business stay out of it.
type Error struct {
	Code    string
	Field   string // the input field at fault, when there is one
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("truce error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an Error with the given code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalidf returns an EINVALID error about one input field. The message is
// prefixed with the field name so that it reads "field: rule".
func Invalidf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: field + ": " + fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err when it is (or wraps) an *Error, and
// EINTERNAL for any other non-nil error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-facing message of err. Internal errors get
// a generic message so that their causes are not shown to clients.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the field named by err, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
