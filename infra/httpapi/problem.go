package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/labstack/echo/v4"
)

// Problem is an RFC 9457 problem document with Butler's stable code.
type Problem struct {
	Type     string            `json:"type"`
	Title    string            `json:"title"`
	Status   int               `json:"status"`
	Detail   string            `json:"detail,omitempty"`
	Code     string            `json:"code"`
	Fields   map[string]string `json:"fields,omitempty"`
	Instance string            `json:"instance,omitempty"`
}

// statuses is the one table from an error's kind to its HTTP status; the
// code string is for clients only and decides nothing here.
var statuses = map[apperr.Kind]int{
	apperr.Internal:           http.StatusInternalServerError,
	apperr.BadRequest:         http.StatusBadRequest,
	apperr.Unauthorized:       http.StatusUnauthorized,
	apperr.Forbidden:          http.StatusForbidden,
	apperr.NotFound:           http.StatusNotFound,
	apperr.Conflict:           http.StatusConflict,
	apperr.PreconditionFailed: http.StatusPreconditionFailed,
	apperr.TooLarge:           http.StatusRequestEntityTooLarge,
	apperr.Unprocessable:      http.StatusUnprocessableEntity,
	apperr.TooManyRequests:    http.StatusTooManyRequests,
	apperr.Unavailable:        http.StatusServiceUnavailable,
	apperr.StorageFull:        http.StatusInsufficientStorage,
}

// statusOf maps an application error to its HTTP status.
func statusOf(e *apperr.Error) int {
	if s, ok := statuses[e.Kind]; ok {
		return s
	}
	return http.StatusInternalServerError
}

var echoCodes = map[int]string{
	http.StatusNotFound:              "route_not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "body_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusUnauthorized:          "unauthorized",
	http.StatusBadRequest:            "bad_request",
	http.StatusTooManyRequests:       "too_many_requests",
	http.StatusServiceUnavailable:    "unavailable",
}

// errorHandler writes every error as application/problem+json. Only
// internal errors are logged: the others are the caller's to read.
func errorHandler(logger *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		p := Problem{Instance: c.Request().URL.Path}
		var appErr *apperr.Error
		var httpErr *echo.HTTPError
		switch {
		case errors.As(err, &appErr):
			p.Status = statusOf(appErr)
			p.Code = appErr.Code
			p.Detail = appErr.Message
			p.Fields = appErr.Fields
			if p.Status == http.StatusInternalServerError {
				logger.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
				p.Detail = "internal error"
			} else if p.Detail == "" && appErr.Err != nil {
				p.Detail = appErr.Err.Error()
			}
		case errors.As(err, &httpErr):
			p.Status = httpErr.Code
			p.Code = echoCodes[httpErr.Code]
			if p.Code == "" {
				p.Code = "http_error"
			}
			if m, ok := httpErr.Message.(string); ok {
				p.Detail = m
			}
			if httpErr.Code == http.StatusRequestEntityTooLarge {
				p.Detail = "the request body is larger than the limit of this endpoint"
			}
		default:
			logger.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
			p.Status = http.StatusInternalServerError
			p.Code = "internal"
			p.Detail = "internal error"
		}
		p.Title = http.StatusText(p.Status)
		p.Type = "https://butler.example/problems/" + p.Code
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(p.Status)
		if c.Request().Method == http.MethodHead {
			return
		}
		_ = json.NewEncoder(c.Response()).Encode(p)
	}
}
