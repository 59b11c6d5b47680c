package httpapi

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// accessLog writes one structured line per request: method, route
// pattern, status, duration, staff id and correlation id. It never logs
// the raw URL (a q may hold an owner's name), a token, or a body. Server
// errors are logged at WARN here (the error itself is logged once, at
// ERROR, by the error handler); everything else, client errors included,
// at INFO.
func accessLog(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err)
			}
			req := c.Request()
			status := c.Response().Status
			route := c.Path()
			if route == "" || strings.HasSuffix(route, "/*") {
				route = "(no route)"
			}
			attrs := []slog.Attr{
				slog.String("method", req.Method),
				slog.String("route", route),
				slog.Int("status", status),
				slog.Float64("ms", float64(time.Since(start).Microseconds())/1000),
				slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
			}
			if corr := req.Header.Get("X-Correlation-ID"); validCorrelationID(corr) {
				attrs = append(attrs, slog.String("correlation_id", corr))
			}
			// The filer of an integrity report may be anonymous (R-S6): the
			// line that would name them is written without the staff id.
			if p := PrincipalOf(c); p.StaffID != "" && !(req.Method == http.MethodPost && route == integrityFilingRoute) {
				attrs = append(attrs, slog.String("staff", p.StaffID), slog.String("role", p.Role))
			}
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelWarn
			}
			logger.LogAttrs(req.Context(), level, "http", attrs...)
			return nil
		}
	}
}

// integrityFilingRoute is where integrity reports are filed.
const integrityFilingRoute = "/api/v1/integrity-reports"

// methodNotAllowed turns a request that matched no route into 405 with
// Allow when its path is a route under other methods (Echo answers 404
// for both, since an authenticated group's catch-all matches any path).
func methodNotAllowed(e *echo.Echo) echo.MiddlewareFunc {
	methods := []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			err := next(c)
			var he *echo.HTTPError
			if !errors.As(err, &he) || he.Code != http.StatusNotFound {
				return err
			}
			path := c.Request().URL.RawPath
			if path == "" {
				path = c.Request().URL.Path
			}
			var allow []string
			for _, m := range methods {
				if m == c.Request().Method {
					continue
				}
				probe := e.NewContext(c.Request(), nil)
				e.Router().Find(m, path, probe)
				if p := probe.Path(); p != "" && !strings.HasSuffix(p, "/*") && probe.Get(echo.ContextKeyHeaderAllow) == nil {
					allow = append(allow, m)
				}
			}
			if len(allow) == 0 {
				return err
			}
			slices.Sort(allow)
			c.Response().Header().Set(echo.HeaderAllow, strings.Join(allow, ", "))
			return echo.ErrMethodNotAllowed
		}
	}
}
