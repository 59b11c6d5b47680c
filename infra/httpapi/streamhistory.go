package httpapi

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
)

// streamHistory answers the history of any one stream, scoped like
// history: for records whose ids are not UUIDs (staff) or whose stream is
// not named after a read-model document.
func (s *server) streamHistory(c echo.Context, stream, what string) error {
	ctx := c.Request().Context()
	var all []event.Recorded
	for from := uint64(0); ; {
		page, err := s.d.Events.ReadStream(ctx, stream, from, event.Forward, historyPage)
		if errors.Is(err, event.ErrStreamNotFound) {
			return apperr.Errorf(apperr.NotFound, "not_found", "no %s", what)
		}
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) < historyPage {
			break
		}
		from = page[len(page)-1].Revision + 1
	}
	first := all[0].Meta
	if !canRead(PrincipalOf(c), first.Project, first.District) {
		return apperr.Errorf(apperr.NotFound, "not_found", "no %s", what)
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
