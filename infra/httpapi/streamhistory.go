package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/domain/apperr"
)

// streamHistory answers the history of one stream, oldest first, scoped
// like the record; what names the record in "not found". Collections
// answer through history; records whose ids are not UUIDs (staff) or whose
// stream is not named after a read-model document call it directly.
func (s *server) streamHistory(c echo.Context, stream, what string) error {
	return s.streamHistoryUntil(c, stream, what, time.Time{})
}

// streamHistoryUntil is streamHistory cut at the last event recorded at or
// before until (zero: the whole stream); a stream with none yet then is
// not found.
func (s *server) streamHistoryUntil(c echo.Context, stream, what string, until time.Time) error {
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	all, err := s.readStream(c, stream, what)
	if err != nil {
		return err
	}
	if !until.IsZero() {
		n := 0
		for n < len(all) && !all[n].RecordedAt.After(until) {
			n++
		}
		if n == 0 {
			return apperr.Errorf(apperr.NotFound, "not_found", "%s did not exist yet at %s", what, until.Format(time.RFC3339Nano))
		}
		all = all[:n]
	}
	out := make([]HistoryEvent, 0, len(all))
	for _, e := range all {
		out = append(out, HistoryEvent{ID: e.ID, Type: e.Type, Stream: e.Stream, Revision: e.Revision, Position: e.Position,
			RecordedAt: e.RecordedAt, OccurredAt: e.Meta.OccurredAt, Actor: e.Meta.Actor, Project: e.Meta.Project,
			District: e.Meta.District, CorrelationID: e.Meta.CorrelationID, CausationID: e.Meta.CausationID, Data: e.Data})
	}
	if err := s.maskHistory(c, all[0].Meta.Project, all[0].Meta.District, unitOf(out), out); err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(all[len(all)-1].Revision))
	if format != "" {
		return s.exportHistory(c, format, stream, out)
	}
	return c.JSON(http.StatusOK, map[string]any{"events": out})
}
