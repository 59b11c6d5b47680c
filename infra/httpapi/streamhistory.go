package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// streamHistory answers the history of one stream, oldest first, scoped
// like the record; what names the record in "not found". Collections
// answer through history; records whose ids are not UUIDs (staff) or whose
// stream is not named after a read-model document call it directly.
func (s *server) streamHistory(c echo.Context, stream, what string) error {
	all, err := s.readStream(c, stream, what)
	if err != nil {
		return err
	}
	out := make([]HistoryEvent, 0, len(all))
	for _, e := range all {
		out = append(out, HistoryEvent{ID: e.ID, Type: e.Type, Stream: e.Stream, Revision: e.Revision, Position: e.Position,
			RecordedAt: e.RecordedAt, OccurredAt: e.Meta.OccurredAt, Actor: e.Meta.Actor, Project: e.Meta.Project,
			District: e.Meta.District, CorrelationID: e.Meta.CorrelationID, CausationID: e.Meta.CausationID, Data: e.Data})
	}
	c.Response().Header().Set("ETag", etag(all[len(all)-1].Revision))
	return c.JSON(http.StatusOK, map[string]any{"events": out})
}
