package httpapi

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/projections"
)

// exportPage is how many records one page of an export reads.
const exportPage = 1000

// exportList writes every record of a list's search (all pages, the
// client's size, offset and cursor ignored) as a spreadsheet, one page in
// memory at a time. Its columns are the first record's fields in their
// order, then the read model's other indexed fields, then the owner's when
// the list joins them.
func (s *server) exportList(c echo.Context, col collection, q projections.Query, format string) error {
	q.Size, q.From, q.After, q.Facets = exportPage, 0, "", nil
	if len(q.Sort) == 0 {
		q.Sort = []projections.Sort{{Field: projections.FieldID}} // pages by cursor need a sort
	}
	var sh sheet
	var cols []string
	err := s.exportPages(c, col, q, func(hits []projections.Document) error {
		page := make([]map[string]any, len(hits))
		for i, h := range hits {
			if err := json.Unmarshal(h.Source, &page[i]); err != nil {
				return err
			}
		}
		if col.owners && len(page) > 0 {
			// Recorded before the page is written, as a list's answer is.
			if err := s.joinOwnersExport(c, page); err != nil {
				return err
			}
		}
		if sh == nil {
			var first []json.RawMessage // the stored order of fields
			if len(hits) > 0 {
				first = append(first, hits[0].Source)
			}
			var err error
			if cols, err = s.listColumns(col, first); err != nil {
				return err
			}
			if sh, err = s.newSheet(c, format, exportName(col.index), headersOf(col.index, cols)); err != nil {
				return err
			}
		}
		vals := make([]any, len(cols))
		for _, m := range page {
			for i, k := range cols {
				vals[i] = s.cellValue(m[k])
			}
			if err := sh.Row(vals); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return exportError(c, sh, err)
	}
	if err := sh.Close(); err != nil {
		return exportError(c, nil, err)
	}
	return nil
}

// search runs one search of an export, holding a list-search slot.
func (s *server) exportSearch(c echo.Context, index string, q projections.Query) (projections.Result, error) {
	release, err := s.searchSlot(c)
	if err != nil {
		return projections.Result{}, err
	}
	defer release()
	res, err := s.d.Reads.Search(c.Request().Context(), index, q)
	if errors.Is(err, projections.ErrInvalidCursor) {
		err = apperr.Errorf(apperr.BadRequest, "invalid_cursor", "cursor is not one this list handed out")
	}
	return res, err
}

// exportPages hands each page of q's hits to each, in q's order, the first
// page always (empty for an empty list). A cursor over the whole list
// costs the whole list on every page (an index finds a page after the
// cursor by looking at every match), so a large list sorted by a date is
// read in windows of that date holding a few thousand records each, each
// window paged by cursor: the cost stays in proportion to the list.
func (s *server) exportPages(c echo.Context, col collection, q projections.Query, each func([]projections.Document) error) error {
	cursor := func(q projections.Query, keep func(projections.Document) bool) (int, error) {
		n := 0
		for first := true; ; first = false {
			res, err := s.exportSearch(c, col.index, q)
			if err != nil {
				return n, err
			}
			hits := res.Hits
			if keep != nil {
				hits = slices.DeleteFunc(hits, func(d projections.Document) bool { return !keep(d) })
			}
			if len(hits) > 0 || first && keep == nil {
				if err := each(hits); err != nil {
					return n, err
				}
			}
			n += len(hits)
			if len(res.Hits) < q.Size || res.Cursor == "" {
				return n, nil
			}
			q.After = res.Cursor
		}
	}
	field := q.Sort[0].Field
	m, ok := s.models[col.index]
	if len(q.Sort) != 1 || !ok || m.Schema().Fields[field] != projections.Date {
		_, err := cursor(q, nil)
		return err
	}
	probe := q
	probe.Size = 1
	res, err := s.exportSearch(c, col.index, probe)
	if err != nil || res.Total <= exportWindow {
		if err != nil {
			return err
		}
		_, err := cursor(q, nil)
		return err
	}
	total := res.Total
	ends := [2]time.Time{}
	for i, desc := range []bool{false, true} {
		probe.Sort = []projections.Sort{{Field: field, Desc: desc}}
		r, err := s.exportSearch(c, col.index, probe)
		if err != nil {
			return err
		}
		if len(r.Hits) > 0 {
			ends[i], _ = timeField(r.Hits[0].Source, field)
		}
	}
	oldest, newest := ends[0], ends[1]
	if oldest.IsZero() || newest.IsZero() {
		_, err := cursor(q, nil)
		return err
	}
	desc := q.Sort[0].Desc
	width := max(time.Duration(float64(newest.Sub(oldest)+time.Millisecond)*float64(exportWindow)/float64(total)), time.Millisecond)
	// The window moves from one end to the other; the ends stay open, so
	// a record written meanwhile beyond them is not missed.
	edge := newest.Add(time.Millisecond)
	if !desc {
		edge = oldest
	}
	written := 0
	for first := true; ; first = false {
		var lo, hi any
		last := false
		if desc {
			from := edge.Add(-width)
			if !first {
				hi = edge
			}
			if last = !from.After(oldest); !last {
				lo = from
			}
			edge = from
		} else {
			to := edge.Add(width)
			if !first {
				lo = edge
			}
			if last = to.After(newest); !last {
				hi = to
			}
			edge = to
		}
		wq := q
		wq.Ranges = append(slices.Clone(q.Ranges), projections.Range{Field: field, Min: lo, Max: hi})
		n, err := cursor(wq, nil)
		if err != nil {
			return err
		}
		written += n
		if last {
			break
		}
		// Aim the next window at exportWindow records.
		scale := float64(exportWindow) / float64(max(n, 1))
		width = max(time.Duration(float64(width)*min(max(scale, 0.25), 4)), time.Millisecond)
	}
	if written < total {
		// Records without the date: they are in no window.
		_, err := cursor(q, func(d projections.Document) bool { _, ok := timeField(d.Source, field); return !ok })
		return err
	}
	return nil
}

// exportWindow is how many records a window of an export aims at.
const exportWindow = 4000

// timeField reads a date field of a document's source.
func timeField(src json.RawMessage, field string) (time.Time, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(src, &m) != nil {
		return time.Time{}, false
	}
	var t time.Time
	raw, ok := m[field]
	if !ok || string(raw) == "null" || json.Unmarshal(raw, &t) != nil {
		return time.Time{}, false
	}
	return t, true
}

// hiddenColumns are bookkeeping fields a person does not read.
var hiddenColumns = map[string]bool{"version": true}

// listColumns orders a list's columns.
func (s *server) listColumns(col collection, first []json.RawMessage) ([]string, error) {
	var cols []string
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] && !hiddenColumns[k] {
			seen[k] = true
			cols = append(cols, k)
		}
	}
	if len(first) > 0 {
		keys, err := objectKeys(first[0])
		if err != nil {
			return nil, err
		}
		for _, k := range keys {
			add(k)
		}
	}
	if m, ok := s.models[col.index]; ok {
		var rest []string
		for f := range m.Schema().Fields {
			if !seen[f] {
				rest = append(rest, f)
			}
		}
		slices.Sort(rest)
		for _, f := range rest {
			add(f)
		}
	}
	if col.owners {
		for _, f := range []string{"owner", "phone", "phones", "owner_masked", "owner_erased"} {
			add(f)
		}
	}
	return cols, nil
}

// exportName is a file name for an index: letters, digits and dashes.
func exportName(index string) string {
	return strings.NewReplacer("_", "-", " ", "-").Replace(index)
}

// exportTable writes a small table already in memory (a KPI table, a
// trend, a history) as a spreadsheet.
func (s *server) exportTable(c echo.Context, format, name string, headers []string, rows [][]any) error {
	sh, err := s.newSheet(c, format, name, headers)
	if err != nil {
		return exportError(c, sh, err)
	}
	for _, r := range rows {
		for i, v := range r {
			r[i] = s.cellValue(v)
		}
		if err := sh.Row(r); err != nil {
			return exportError(c, sh, err)
		}
	}
	if err := sh.Close(); err != nil {
		return exportError(c, nil, err)
	}
	return nil
}

// now is the program's clock.
func (s *server) now() time.Time {
	if s.d.Now != nil {
		return s.d.Now()
	}
	return time.Now()
}

// exportHistory writes a record's history, one event a row, its data as
// JSON (masked as the JSON answer is).
func (s *server) exportHistory(c echo.Context, format, stream string, events []HistoryEvent) error {
	cols := []string{"revision", "recorded_at", "occurred_at", "type", "actor", "role", "project", "district", "id", "correlation_id", "data"}
	rows := make([][]any, 0, len(events))
	for _, e := range events {
		rows = append(rows, []any{e.Revision, e.RecordedAt, e.OccurredAt, e.Type, e.Actor.StaffID, e.Actor.Role, e.Project,
			e.District, e.ID, e.CorrelationID, string(e.Data)})
	}
	return s.exportTable(c, format, "history-"+exportName(stream), headersOf("history", cols), rows)
}

// joinOwnersExport sets each record's owner fields as the list shows them
// (joinOwners: masked by role, erased as erased), on records already
// decoded, and records the unmasked reads first.
func (s *server) joinOwnersExport(c echo.Context, page []map[string]any) error {
	p := PrincipalOf(c)
	units := make([]string, len(page))
	for i, m := range page {
		units[i], _ = m["unit"].(string)
	}
	hh, err := s.households(c.Request().Context(), p.Project, units)
	if err != nil {
		return err
	}
	var read []string
	for i, m := range page {
		h, ok := hh[units[i]]
		if !ok {
			continue
		}
		f, shown := showOwner(p, h)
		if shown {
			read = append(read, h.Unit)
		}
		m["owner"], m["phone"], m["phones"], m["owner_masked"], m["owner_erased"] = f.Owner, f.Phone, f.Phones, f.Masked, f.Erased
	}
	return s.recordRead(c, read)
}
