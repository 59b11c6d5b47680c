package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/projections"
)

// ndjson is the media type of the streamed feed: one JSON object per line.
const ndjson = "application/x-ndjson"

// auditStreamPage is how many events one page of a streamed feed holds:
// the stream holds one page in memory at a time.
const auditStreamPage = 1000

// AuditFeed is one page of the audit feed. After is the position of the
// page's last event (absent when the page is empty): send it back as
// ?after= for the next page.
type AuditFeed struct {
	Items []json.RawMessage `json:"items"`
	Total int               `json:"total"`
	After uint64            `json:"after,omitempty"`
}

// auditEventRoutes serves the audit feed (GET /audit/events): every event
// of the caller's project (its district, for a district-bound token), in
// the order of the log, from the audit-events read model.
func (s *server) auditEventRoutes(api *echo.Group) {
	api.GET("/audit/events", s.auditEvents)
}

func (s *server) auditEvents(c echo.Context) error {
	p := PrincipalOf(c)
	if !p.HasRole(auditRoles...) {
		return apperr.Errorf(apperr.Forbidden, "forbidden_role", "the audit feed is for auditors, quality and the project manager")
	}
	q, err := s.auditQuery(c, p)
	if err != nil {
		return err
	}
	if strings.Contains(c.Request().Header.Get(echo.HeaderAccept), ndjson) {
		return s.streamAuditEvents(c, q)
	}
	res, err := s.d.Reads.Search(c.Request().Context(), projections.AuditEventsIndex, q)
	if err != nil {
		return err
	}
	out := AuditFeed{Items: make([]json.RawMessage, 0, len(res.Hits)), Total: res.Total}
	for _, h := range res.Hits {
		out.Items = append(out.Items, h.Source)
	}
	if len(res.Hits) > 0 {
		if out.After, err = positionOf(res.Hits[len(res.Hits)-1]); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, out)
}

// positionOf reads an audit-events document's position.
func positionOf(d projections.Document) (uint64, error) {
	var e struct {
		Position uint64 `json:"position"`
	}
	err := json.Unmarshal(d.Source, &e)
	return e.Position, err
}

// streamAuditEvents writes every event q matches, one JSON object per
// line, a page at a time, flushing after each page. It ends at the newest
// event the feed held when it began (events recorded meanwhile are for the
// next request, from ?after=), or when the client goes away. A failure
// before the first line is a problem answer; after it, the stream ends
// early and the failure is logged.
func (s *server) streamAuditEvents(c echo.Context, q projections.Query) error {
	ctx := c.Request().Context()
	newest, err := s.d.Reads.Search(ctx, projections.AuditEventsIndex, projections.Query{
		Terms: map[string][]string{projections.AuditEventFieldProject: q.Terms[projections.AuditEventFieldProject]},
		Sort:  []projections.Sort{{Field: projections.AuditEventFieldPosition, Desc: true}}, Size: 1})
	if err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, ndjson)
	if len(newest.Hits) == 0 {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	head, err := positionOf(newest.Hits[0])
	if err != nil {
		return err
	}
	q.Ranges = append(q.Ranges, projections.AuditUpTo(event.Position(head)))
	q.Size = auditStreamPage
	for {
		res, err := s.d.Reads.Search(ctx, projections.AuditEventsIndex, q)
		switch {
		case ctx.Err() != nil:
			return nil // the client went away
		case err != nil && !w.Committed:
			return err
		case err != nil:
			s.d.Logger.Error("audit feed stream ended early", "err", err)
			return nil
		}
		if !w.Committed {
			w.WriteHeader(http.StatusOK)
		}
		for _, h := range res.Hits {
			if _, err := w.Write(append(h.Source, '\n')); err != nil {
				return nil // the client went away
			}
		}
		w.Flush()
		if len(res.Hits) < q.Size {
			return nil
		}
		q.After = res.Cursor
	}
}

// auditQuery turns the feed's query parameters into a search confined to
// the caller's project, and district when the token is bound to one.
func (s *server) auditQuery(c echo.Context, p commands.Principal) (projections.Query, error) {
	qp := c.QueryParams()
	bad := map[string]string{}
	filters := map[string]string{"actor": projections.AuditEventFieldActor, "type": projections.AuditEventFieldType,
		"stream": projections.AuditEventFieldStream, "district": projections.AuditEventFieldDistrict}
	for k := range qp {
		if _, ok := filters[k]; !ok && k != "from" && k != "to" && k != "after" && k != "size" {
			bad[k] = "unknown query parameter"
		}
	}
	q := projections.Query{Terms: map[string][]string{projections.AuditEventFieldProject: {p.Project}},
		Sort: []projections.Sort{{Field: projections.AuditEventFieldPosition}}}
	for param, field := range filters {
		for _, v := range qp[param] {
			for _, x := range strings.Split(v, ",") {
				if x = strings.TrimSpace(x); x != "" {
					q.Terms[field] = append(q.Terms[field], x)
				}
			}
		}
	}
	if p.District != "" {
		for _, d := range q.Terms[projections.AuditEventFieldDistrict] {
			if d != p.District {
				return q, apperr.Errorf(apperr.Forbidden, "forbidden_scope", "this token reads district %s only", p.District)
			}
		}
		q.Terms[projections.AuditEventFieldDistrict] = []string{p.District}
	}
	var from, to time.Time
	var err error
	if v := qp.Get("from"); v != "" {
		if from, err = timeParam("from", v, s.d.Zone); err != nil {
			bad["from"] = err.Error()
		}
	}
	if v := qp.Get("to"); v != "" {
		if to, err = timeParam("to", v, s.d.Zone); err != nil {
			bad["to"] = err.Error()
		}
	}
	if !from.IsZero() || !to.IsZero() {
		q.Ranges = append(q.Ranges, projections.AuditTimeRange(from, to))
	}
	if v := qp.Get("after"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			bad["after"] = "a position: the after of the previous page, or an event's position"
		}
		q.Ranges = append(q.Ranges, projections.AuditAfter(event.Position(n)))
	}
	if v := qp.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			bad["size"] = "a number from 1 to 1000"
		}
		q.Size = n
	}
	if len(bad) > 0 {
		return q, &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_query", Message: "some query parameters are invalid", Fields: bad}
	}
	return q, nil
}
