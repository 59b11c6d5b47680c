package commands

import (
	"errors"
	"fmt"
)

// Kind classifies an application error; the HTTP layer maps each kind to a
// status code and writes application/problem+json with the Code.
type Kind int

const (
	KindInternal     Kind = iota
	KindInvalid           // the request is malformed or breaks a rule: 400/422
	KindNotFound          // the record does not exist: 404
	KindConflict          // lost a race or stale If-Match: 409/412
	KindForbidden         // wrong role or scope: 403
	KindUnauthorized      // no or bad credentials: 401
	KindUnavailable       // storage full or down: 503/507
)

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

// Invalid is a convenience for a validation failure listing the bad fields.
func Invalid(fields map[string]string) *Error {
	return &Error{Kind: KindInvalid, Code: "invalid_input", Message: "some fields are missing or invalid", Fields: fields}
}

// KindOf returns the kind of err (KindInternal for foreign errors).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}
