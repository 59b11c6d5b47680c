package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/projections"
)

// collection describes a read model served as a list + detail + history.
type collection struct {
	// index is the read model (projection) name; ?as_of= on the detail
	// folds that read model again (see asof.go).
	index string
	// stream is the stream name of an id: "complaint-" + id.
	streamPrefix string
	// filters are the query parameters accepted as keyword filters.
	filters []string
	// dateField is the field that from/to bound (see times.go).
	dateField string
	// sorts are the fields a client may sort by.
	sorts []string
	// facets are the fields counted with facets=true.
	facets []string
	// id reads the record id of a detail path (default pathID, a UUID).
	id func(c echo.Context) (string, error)
	// owners: the records name a unit, and answers show its household's
	// owner (personal.go), masked by role, each unmasked read recorded.
	owners bool
}

// scoped is the part of every read-model document that places it.
type scoped struct {
	Project  string `json:"project"`
	District string `json:"district"`
}

// canRead reports whether p may read a record of project and district:
// the same scope as acting on it.
func canRead(p commands.Principal, project, district string) bool { return p.CanAct(project, district) }

// detail answers GET /<records>/{id}: the read model's document, or with
// ?as_of= the document as it stood then.
func (s *server) detail(col collection) echo.HandlerFunc {
	return func(c echo.Context) error {
		parseID := col.id
		if parseID == nil {
			parseID = pathID
		}
		id, err := parseID(c)
		if err != nil {
			return err
		}
		if c.QueryParam("as_of") != "" {
			return s.asOf(c, col, id)
		}
		doc, err := s.liveDoc(c, col, id)
		if err != nil {
			return err
		}
		return s.answerDoc(c, col, doc, time.Time{})
	}
}

// answerDoc sends one record, with its owner joined when the collection
// shows owners: the owner as the household knew it at asOf (zero: now).
func (s *server) answerDoc(c echo.Context, col collection, doc projections.Document, asOf time.Time) error {
	src := json.RawMessage(doc.Source)
	if col.owners {
		joined, err := s.joinOwnersAt(c, []json.RawMessage{src}, asOf)
		if err != nil {
			return err
		}
		src = joined[0]
	}
	c.Response().Header().Set("ETag", etag(doc.Version))
	return c.JSONBlob(http.StatusOK, src)
}

// liveDoc reads a record from its read model; a missing record, or one
// outside the caller's scope, is not found.
func (s *server) liveDoc(c echo.Context, col collection, id string) (projections.Document, error) {
	doc, err := s.d.Reads.Get(c.Request().Context(), col.index, id)
	if errors.Is(err, projections.ErrNotFound) {
		return doc, apperr.Errorf(apperr.NotFound, "not_found", "no %s record %s (a record just created becomes readable within a second)", col.index, id)
	}
	if err != nil {
		return doc, err
	}
	return doc, inScope(c, col, id, doc)
}

// inScope reports a document outside the caller's scope as absent: its
// existence is not the caller's business.
func inScope(c echo.Context, col collection, id string, doc projections.Document) error {
	var sc scoped
	if err := json.Unmarshal(doc.Source, &sc); err != nil {
		return err
	}
	if !canRead(PrincipalOf(c), sc.Project, sc.District) {
		return apperr.Errorf(apperr.NotFound, "not_found", "no %s record %s", col.index, id)
	}
	return nil
}

// List is the answer to a search.
type List struct {
	Items  []json.RawMessage                  `json:"items"`
	Total  int                                `json:"total"`
	Cursor string                             `json:"cursor,omitempty"`
	Facets map[string][]projections.FacetTerm `json:"facets,omitempty"`
}

func (s *server) list(col collection) echo.HandlerFunc { return s.listWhere(col, nil) }

// listWhere is a list whose search also requires terms (the records of one
// kind in a read model that keeps several).
func (s *server) listWhere(col collection, terms map[string][]string) echo.HandlerFunc {
	return func(c echo.Context) error {
		format, err := exportFormat(c)
		if err != nil {
			return err
		}
		q, err := s.listQuery(c, col)
		if err != nil {
			return err
		}
		for f, v := range terms {
			q.Terms[f] = v
		}
		if format != "" {
			return s.exportList(c, col, q, format)
		}
		release, err := s.searchSlot(c)
		if err != nil {
			return err
		}
		res, err := s.d.Reads.Search(c.Request().Context(), col.index, q)
		release()
		if errors.Is(err, projections.ErrInvalidCursor) {
			return &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_cursor", Err: err,
				Message: "cursor is not one this list handed out: send back the cursor of the previous page unchanged, with the same filters and sort",
				Fields:  map[string]string{"cursor": "not a cursor of this list"}}
		}
		if err != nil {
			return err
		}
		countOnly(c, &res)
		out := List{Items: make([]json.RawMessage, 0, len(res.Hits)), Total: res.Total, Cursor: res.Cursor, Facets: res.Facets}
		for _, h := range res.Hits {
			out.Items = append(out.Items, h.Source)
		}
		if col.owners && len(out.Items) > 0 {
			if out.Items, err = s.joinOwners(c, out.Items); err != nil {
				return err
			}
		}
		return c.JSON(http.StatusOK, out)
	}
}

// listQuery turns query parameters into a search confined to the caller's scope.
func (s *server) listQuery(c echo.Context, col collection) (projections.Query, error) {
	p := PrincipalOf(c)
	qp := c.QueryParams()
	bad := map[string]string{}
	allowed := map[string]bool{"q": true, "from": true, "to": true, "sort": true, "size": true, "offset": true, "cursor": true, "facets": true, "district": true, "format": true}
	for _, f := range col.filters {
		allowed[f] = true
	}
	for k := range qp {
		if !allowed[k] {
			bad[k] = "unknown query parameter"
		}
	}
	q := projections.Query{Text: strings.TrimSpace(qp.Get("q")), Terms: map[string][]string{"project": {p.Project}}}
	if n := utf8.RuneCountInString(qp.Get("q")); n > MaxQueryText {
		bad["q"] = fmt.Sprintf("at most %d characters (this one has %d)", MaxQueryText, n)
		q.Text = ""
	}
	if q.Text != "" && s.d.Synonyms != nil {
		q.Synonyms = s.d.Synonyms(p.Project)
	}
	for _, f := range col.filters {
		if vs := qp[f]; len(vs) > 0 {
			for _, v := range vs {
				q.Terms[f] = append(q.Terms[f], strings.Split(v, ",")...)
			}
		}
	}
	// A yes/no filter takes true or false: any other value matched nothing
	// before, silently.
	if m, ok := s.models[col.index]; ok {
		fields := m.Schema().Fields
		for f, vs := range q.Terms {
			if fields[f] != projections.Bool {
				continue
			}
			for _, v := range vs {
				if v != "true" && v != "false" {
					bad[f] = "true or false"
				}
			}
		}
	}
	for _, m := range q.Terms["month"] {
		if !monthPattern.MatchString(m) {
			bad["month"] = "a month YYYY-MM (comma-separated for several)"
		}
	}
	if d := qp.Get("district"); d != "" {
		q.Terms["district"] = strings.Split(d, ",")
	}
	if !p.ProjectWide() {
		q.Terms["district"] = []string{p.District}
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
	if (!from.IsZero() || !to.IsZero()) && col.dateField != "" {
		q.Ranges = append(q.Ranges, projections.TimeRange(col.dateField, from, to))
	}
	if v := qp.Get("sort"); v != "" {
		desc := strings.HasPrefix(v, "-")
		field := strings.TrimPrefix(v, "-")
		ok := false
		for _, f := range col.sorts {
			ok = ok || f == field
		}
		if !ok {
			bad["sort"] = "sort by one of " + strings.Join(col.sorts, ", ") + " (prefix - for descending)"
		}
		q.Sort = []projections.Sort{{Field: field, Desc: desc}}
	} else if q.Text == "" && col.dateField != "" {
		q.Sort = []projections.Sort{{Field: col.dateField, Desc: true}}
	}
	if v := qp.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1000 {
			bad["size"] = "a number from 0 (the total and facets only) to 1000"
		}
		q.Size = n
		if n == 0 {
			// size=0: the total and facets only; one hit is asked and
			// dropped (countOnly), as a store reads 0 as its default.
			q.Size = 1
			c.Set(countOnlyKey, true)
		}
	}
	if v := qp.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 10000 {
			bad["offset"] = "a number from 0 to 10000; use cursor to page deeper"
		}
		q.From = n
	}
	q.After = qp.Get("cursor")
	switch qp.Get("facets") {
	case "true":
		q.Facets = col.facets
	case "", "false":
	default:
		bad["facets"] = "true or false"
	}
	if len(bad) > 0 {
		return q, &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_query", Message: "some query parameters are invalid", Fields: bad}
	}
	return q, nil
}

const countOnlyKey = "butler.count_only"

// countOnly empties a list's page when it was asked with size=0.
func countOnly(c echo.Context, res *projections.Result) {
	if only, _ := c.Get(countOnlyKey).(bool); only {
		res.Hits, res.Cursor = nil, ""
	}
}

// readStream reads a stream whole, oldest first, checking the caller may
// read it: a missing or out-of-scope stream is "no <what>".
func (s *server) readStream(c echo.Context, stream, what string) ([]event.Recorded, error) {
	all, err := event.ReadStreamWhole(c.Request().Context(), s.d.Events, stream, historyPage)
	if errors.Is(err, event.ErrStreamNotFound) {
		return nil, apperr.Errorf(apperr.NotFound, "not_found", "no %s", what)
	}
	if err != nil {
		return nil, err
	}
	first := all[0].Meta
	if !canRead(PrincipalOf(c), first.Project, first.District) {
		return nil, apperr.Errorf(apperr.NotFound, "not_found", "no %s", what)
	}
	return all, nil
}

// HistoryEvent is one event as the history endpoint shows it.
type HistoryEvent struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	Stream        string          `json:"stream"`
	Revision      uint64          `json:"revision"`
	Position      event.Position  `json:"position"`
	RecordedAt    time.Time       `json:"recorded_at"`
	OccurredAt    time.Time       `json:"occurred_at"`
	Actor         event.Actor     `json:"actor"`
	Project       string          `json:"project"`
	District      string          `json:"district"`
	CorrelationID string          `json:"correlation_id,omitempty"`
	CausationID   string          `json:"causation_id,omitempty"`
	Data          json.RawMessage `json:"data"`
}

// historyPage bounds one read of a history; histories are short, but an
// auditor must get all of it.
const historyPage = 1000

// history answers GET /<records>/{id}/history for a collection's record.
func (s *server) history(col collection) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c)
		if err != nil {
			return err
		}
		return s.streamHistory(c, col.streamPrefix+id, col.index+" record "+id)
	}
}
