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
	ctx := c.Request().Context()
	q.Size, q.From, q.After, q.Facets = exportPage, 0, "", nil
	if len(q.Sort) == 0 {
		q.Sort = []projections.Sort{{Field: projections.FieldID}} // pages by cursor need a sort
	}
	var sh sheet
	var cols []string
	rows := 0
	for {
		release, err := s.searchSlot(c)
		if err != nil {
			return exportError(c, sh, err)
		}
		res, err := s.d.Reads.Search(ctx, col.index, q)
		release()
		if errors.Is(err, projections.ErrInvalidCursor) {
			err = apperr.Errorf(apperr.BadRequest, "invalid_cursor", "cursor is not one this list handed out")
		}
		if err != nil {
			return exportError(c, sh, err)
		}
		page := make([]map[string]any, len(res.Hits))
		for i, h := range res.Hits {
			if err := json.Unmarshal(h.Source, &page[i]); err != nil {
				return exportError(c, sh, err)
			}
		}
		if col.owners && len(page) > 0 {
			// Recorded before the page is written, as a list's answer is.
			if err := s.joinOwnersExport(c, page); err != nil {
				return exportError(c, sh, err)
			}
		}
		if sh == nil {
			var first []json.RawMessage // the stored order of fields
			if len(res.Hits) > 0 {
				first = append(first, res.Hits[0].Source)
			}
			if cols, err = s.listColumns(col, first); err != nil {
				return exportError(c, sh, err)
			}
			if sh, err = s.newSheet(c, format, exportName(col.index), headersOf(col.index, cols)); err != nil {
				return exportError(c, sh, err)
			}
		}
		vals := make([]any, len(cols))
		for _, m := range page {
			for i, k := range cols {
				vals[i] = s.cellValue(m[k])
			}
			if err := sh.Row(vals); err != nil {
				return exportError(c, sh, err)
			}
			rows++
		}
		if len(res.Hits) < q.Size || res.Cursor == "" {
			break
		}
		q.After = res.Cursor
	}
	if err := sh.Close(); err != nil {
		return exportError(c, nil, err)
	}
	return nil
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
