package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
)

// bind decodes the JSON body into v strictly: unknown fields, trailing
// data and wrong types are refused with a problem that names the field.
// An empty body reads as {}.
func bind(c echo.Context, v any) error {
	body, err := io.ReadAll(c.Request().Body)
	var tooLarge *echo.HTTPError
	if errors.As(err, &tooLarge) {
		return err // the body limit's 413 surfaces here
	}
	if err != nil {
		// The client stopped sending before the body was whole.
		return apperr.Errorf(apperr.BadRequest, "body_incomplete", "the request body ended before its declared length: %v", err)
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		body = []byte("{}")
	}
	if !utf8.Valid(body) {
		// The decoder would turn the bad bytes into U+FFFD silently.
		return apperr.Errorf(apperr.BadRequest, "invalid_utf8", "the body is not valid UTF-8 text")
	}
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if ct != "" && !strings.HasPrefix(ct, echo.MIMEApplicationJSON) {
		return echo.NewHTTPError(415, "send the body as application/json")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return apperr.Errorf(apperr.BadRequest, "malformed_json", "the body must hold exactly one JSON object")
	}
	if bad := textProblems(v); len(bad) > 0 {
		return apperr.Invalid(bad)
	}
	return nil
}

func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Errorf(apperr.BadRequest, "malformed_json", "the body is not valid JSON: %v", err)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return apperr.Errorf(apperr.BadRequest, "malformed_json", "the body must be a JSON object")
		}
		return &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_input", Message: "some fields are missing or invalid",
			Fields: map[string]string{field: fmt.Sprintf("must be a JSON %s", typ.Type.Kind())}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &apperr.Error{Kind: apperr.BadRequest, Code: "unknown_field", Message: fmt.Sprintf("unknown field %q", name),
			Fields: map[string]string{name: "unknown field"}}
	}
	return apperr.Errorf(apperr.BadRequest, "malformed_json", "the body could not be read: %v", err)
}

// pathID reads an aggregate id from the path: a UUID.
func pathID(c echo.Context) (string, error) {
	id := c.Param("id")
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		return "", apperr.Errorf(apperr.BadRequest, "invalid_id", "%q is not a record id (a UUID)", id)
	}
	return strings.ToLower(id), nil
}

// ifMatch reads the If-Match header: the stream revision the client last
// saw, as sent back in ETag ("3", W/"3" or 3).
func ifMatch(c echo.Context) (*uint64, error) {
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if h == "" || h == "*" {
		return nil, nil
	}
	h = strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	n, err := strconv.ParseUint(h, 10, 64)
	if err != nil {
		return nil, apperr.Errorf(apperr.BadRequest, "invalid_if_match", "If-Match must be an ETag this API returned (a revision such as \"3\")")
	}
	return &n, nil
}

func etag(rev uint64) string { return `"` + strconv.FormatUint(rev, 10) + `"` }
