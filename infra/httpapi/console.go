package httpapi

import "github.com/labstack/echo/v4"

// consoleRoutes serves the web console (infra/console) at /, /activate
// and /assets/…, without a token: the pages ask for one.
func (s *server) consoleRoutes(e *echo.Echo) {
	if s.d.Console == nil {
		return
	}
	h := echo.WrapHandler(s.d.Console)
	e.GET("/", h)
	e.HEAD("/", h)
	e.GET("/activate", h)
	e.GET("/assets/*", h)
}
