package httpapi

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/butler-pm/butler/domain/apperr"
)

// Export: every list, KPI table, trend and record history answers as a
// spreadsheet when asked, by ?format=csv|xlsx or by Accept. Columns have
// Chinese headers (exportheaders.go); a CSV starts with a UTF-8 byte-order
// mark so that Excel reads its Chinese. Lists are paged through the search
// store and written page by page, so an export of any size holds one page
// in memory: CSV goes to the client as it is written, XLSX rows go to
// excelize's StreamWriter (which keeps them in a temporary file past a few
// MiB) and the workbook is zipped to the client at the end.

const (
	mimeCSV  = "text/csv"
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// exportFormat reads the format asked: "csv", "xlsx", or "" for JSON.
// ?format= wins over Accept; an Accept naming neither is JSON.
func exportFormat(c echo.Context) (string, error) {
	switch f := c.QueryParam("format"); f {
	case "csv", "xlsx":
		return f, nil
	case "json":
		return "", nil
	case "":
	default:
		return "", &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_query", Message: "some query parameters are invalid",
			Fields: map[string]string{"format": "csv, xlsx or json"}}
	}
	for _, part := range strings.Split(c.Request().Header.Get(echo.HeaderAccept), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case mimeCSV:
			return "csv", nil
		case mimeXLSX:
			return "xlsx", nil
		case echo.MIMEApplicationJSON, "application/problem+json", "*/*":
			return "", nil
		}
	}
	return "", nil
}

// withoutFormat removes ?format= from the request's query, for handlers
// that refuse parameters they do not know.
func withoutFormat(c echo.Context) {
	q := c.QueryParams()
	if _, ok := q["format"]; !ok {
		return
	}
	q.Del("format")
	c.Request().URL.RawQuery = q.Encode()
}

// sheet writes rows of a spreadsheet being exported.
type sheet interface {
	// Row writes one row (values as cellValue makes them).
	Row(vals []any) error
	// Close finishes the file; the answer is complete.
	Close() error
	// Abort ends an export that failed before Close.
	Abort()
}

// newSheet starts an export named name (ASCII: the file name) with the
// given column headers.
func (s *server) newSheet(c echo.Context, format, name string, headers []string) (sheet, error) {
	file := fmt.Sprintf("%s-%s.%s", name, s.now().In(s.d.Zone).Format("20060102-150405"), format)
	// A large export outlasts --write-timeout, as an audit export does.
	_ = http.NewResponseController(c.Response().Writer).SetWriteDeadline(time.Now().Add(exportWriteTimeout))
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", file))
	h.Set("X-Content-Type-Options", "nosniff")
	if format == "csv" {
		h.Set(echo.HeaderContentType, mimeCSV+"; charset=utf-8")
		c.Response().WriteHeader(http.StatusOK)
		bw := bufio.NewWriterSize(c.Response(), 64<<10)
		if _, err := bw.WriteString("\ufeff"); err != nil {
			return nil, err
		}
		w := &csvSheet{buf: bw, w: csv.NewWriter(bw), flush: c.Response().Flush}
		return w, w.w.Write(headers)
	}
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	x := &xlsxSheet{c: c, f: f, sw: sw}
	vals := make([]any, len(headers))
	for i, hd := range headers {
		vals[i] = hd
	}
	return x, x.Row(vals)
}

type csvSheet struct {
	buf   *bufio.Writer
	w     *csv.Writer
	flush func()
	rows  int
	rec   []string
}

func (s *csvSheet) Row(vals []any) error {
	s.rec = s.rec[:0]
	for _, v := range vals {
		s.rec = append(s.rec, csvCell(v))
	}
	if err := s.w.Write(s.rec); err != nil {
		return err
	}
	s.rows++
	if s.rows%1000 == 0 {
		s.w.Flush()
		if err := s.buf.Flush(); err != nil {
			return err
		}
		s.flush()
	}
	return s.w.Error()
}

func (s *csvSheet) Close() error {
	s.w.Flush()
	if err := s.w.Error(); err != nil {
		return err
	}
	return s.buf.Flush()
}

func (s *csvSheet) Abort() {}

// csvCell writes a value as text; text that a spreadsheet would take for
// a formula is quoted with a leading apostrophe (CSV injection).
func csvCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if x != "" && strings.ContainsRune("=+-@\t\r", rune(x[0])) {
			return "'" + x
		}
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	}
	return fmt.Sprint(v)
}

type xlsxSheet struct {
	c    echo.Context
	f    *excelize.File
	sw   *excelize.StreamWriter
	rows int
}

func (s *xlsxSheet) Row(vals []any) error {
	s.rows++
	cell, err := excelize.CoordinatesToCellName(1, s.rows)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, vals)
}

func (s *xlsxSheet) Close() error {
	defer s.f.Close()
	if err := s.sw.Flush(); err != nil {
		return err
	}
	s.c.Response().Header().Set(echo.HeaderContentType, mimeXLSX)
	s.c.Response().WriteHeader(http.StatusOK)
	return s.f.Write(s.c.Response())
}

func (s *xlsxSheet) Abort() { _ = s.f.Close() }

// exportError ends a failed export: before anything was sent the error is
// answered as usual; after, the connection is cut so the client sees a
// truncated download rather than a file that looks whole.
func exportError(c echo.Context, sh sheet, err error) error {
	if sh != nil {
		sh.Abort()
	}
	if !c.Response().Committed {
		return err
	}
	if errors.Is(err, io.ErrClosedPipe) {
		return nil
	}
	panic(http.ErrAbortHandler)
}

// cellValue turns a JSON value into a cell: text, a number, 是/否 for a
// bool, a time in the project's zone, a list joined by "; ", an object as
// JSON.
func (s *server) cellValue(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case bool:
		if x {
			return "是"
		}
		return "否"
	case float64:
		return x
	case *float64:
		if x == nil {
			return nil
		}
		return *x
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	case time.Time:
		if x.IsZero() {
			return nil
		}
		return x.In(s.d.Zone).Format("2006-01-02 15:04:05")
	case json.RawMessage:
		var v any
		if json.Unmarshal(x, &v) != nil {
			return string(x)
		}
		if _, ok := v.(map[string]any); ok {
			return string(x)
		}
		return s.cellValue(v)
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return x.String()
		}
		return f
	case string:
		if len(x) >= 20 && x[4] == '-' && x[10] == 'T' {
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return t.In(s.d.Zone).Format("2006-01-02 15:04:05")
			}
		}
		return x
	case []string:
		return strings.Join(x, "; ")
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			switch ev := s.cellValue(e).(type) {
			case nil:
			case string:
				parts = append(parts, ev)
			default:
				parts = append(parts, csvCell(ev))
			}
		}
		return strings.Join(parts, "; ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// objectKeys lists a JSON object's keys in the order they are written.
func objectKeys(raw json.RawMessage) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, t.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// refuseExport answers ?format=csv|xlsx on a list that is JSON only (its
// answers show owners' personal data by role and record each read).
func refuseExport(c echo.Context) error {
	if f := c.QueryParam("format"); f != "" && f != "json" {
		return &apperr.Error{Kind: apperr.BadRequest, Code: "export_not_supported",
			Message: "this list is not exported: it shows owners' personal data, each read recorded", Fields: map[string]string{"format": "json only"}}
	}
	return nil
}
