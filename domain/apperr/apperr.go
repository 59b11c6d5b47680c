// Package apperr is Butler's one application error: a kind that decides
// the HTTP status (through one table in infra/httpapi), a stable code for
// clients, and a message in words. It lives beside the domain so that the
// write side, the read side, authentication and HTTP share it without
// importing each other.
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an error; each kind is one HTTP status.
type Kind int

const (
	Internal           Kind = iota // 500: a fault of ours, logged
	BadRequest                     // 400: the request cannot be read (malformed JSON, unknown field, bad query, bad id)
	Unauthorized                   // 401: no or bad credentials
	Forbidden                      // 403: wrong role or scope
	NotFound                       // 404: the record does not exist
	Conflict                       // 409: lost a race, or the state forbids it now
	PreconditionFailed             // 412: If-Match names another revision
	TooLarge                       // 413: the request is larger than allowed
	Unprocessable                  // 422: well-formed, but it breaks a rule
	TooManyRequests                // 429: slow down
	Unavailable                    // 503: a dependency is down, try again
	StorageFull                    // 507: the disk refused the write
)

var kindNames = [...]string{
	Internal: "internal", BadRequest: "bad_request", Unauthorized: "unauthorized", Forbidden: "forbidden",
	NotFound: "not_found", Conflict: "conflict", PreconditionFailed: "precondition_failed", TooLarge: "too_large",
	Unprocessable: "unprocessable", TooManyRequests: "too_many_requests", Unavailable: "unavailable", StorageFull: "storage_full",
}

// Kinds lists every kind, for tables that must cover them all.
func Kinds() []Kind {
	out := make([]Kind, len(kindNames))
	for i := range kindNames {
		out[i] = Kind(i)
	}
	return out
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is the one application error type. Code is stable and documented
// (e.g. "return_visit_missing"); Message says what was wrong in words;
// Fields names offending input fields, when there are any.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  map[string]string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return e.Code + ": " + e.Err.Error()
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an application error.
func Errorf(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid is a request whose fields are missing or malformed (400),
// listing the bad fields.
func Invalid(fields map[string]string) *Error {
	return &Error{Kind: BadRequest, Code: "invalid_input", Message: "some fields are missing or invalid", Fields: fields}
}

// KindOf returns the kind of err (Internal for foreign errors).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}
