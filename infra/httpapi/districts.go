package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// districtRoutes serves the project's district register: POST
// /api/v1/districts (project_manager) registers one, GET lists them. Once
// a project has a register, records are placed only in its districts.
func (s *server) districtRoutes(api *echo.Group) {
	api.POST("/districts", create("", s.d.Commands.District.Register.Handle))
	api.GET("/districts", func(c echo.Context) error {
		ds, err := s.d.Commands.Districts(c.Request().Context(), PrincipalOf(c).Project)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"districts": ds})
	})
}
