package httpapi

import (
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/warning"
	"github.com/butler-pm/butler/projections"
)

// warnings is the project manager's inbox (R-C4, R-H5, R-M4): GET
// /warnings?status=open lists what waits for them.
var warnings = collection{
	index:        projections.WarningsIndex,
	streamPrefix: warning.StreamPrefix,
	filters:      []string{"status", "source", "source_id", "rule", "month", "acknowledged_by", "raised_by"},
	dateField:    "raised_at",
	sorts:        []string{"raised_at", "acknowledged_at", "hours_to_acknowledge"},
	facets:       []string{"status", "source", "rule", "district"},
	id:           warningID,
}

func (s *server) warningRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/warnings")
	g.GET("", s.list(warnings))
	g.GET("/:id", s.detail(warnings))
	g.POST("/:id/acknowledge", actOn(warningID, func(c *commands.AcknowledgeWarning, id string) { c.WarningID = id }, h.Warning.Acknowledge.Handle))
}

// warningID reads a warning id: a source record's stream (its prefix and
// a UUID) and the revision of the event that raised the warning.
func warningID(c echo.Context) (string, error) {
	id := c.Param("id")
	stream, _, ok := warning.ParseID(id)
	if ok {
		ok = false
		for _, src := range warning.Sources {
			if rest, found := strings.CutPrefix(stream, src.Prefix); found {
				_, err := uuid.Parse(rest)
				ok = err == nil && len(rest) == 36
			}
		}
	}
	if !ok {
		return "", apperr.Errorf(apperr.BadRequest, "invalid_id",
			"%q is not a warning id (the raising record's stream and event revision, e.g. complaint-<uuid>.3)", id)
	}
	return strings.ToLower(id), nil
}
