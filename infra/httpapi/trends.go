package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/projections"
)

// trendRoutes serves GET /api/v1/trends/{metric}: a metric over months,
// one series per group of the other dimensions asked (by=month,district,…).
// The metric is "satisfaction" (every rated interaction: complaint and
// work-order return visits, rated visits, activity surveys; ?source=
// narrows) or any KPI's name (its table, projections/kpi_table.go).
//
// GET /trends/satisfaction also keeps its first answer: with ?module=, or
// with any of the list filters it took (category=, month=, …), or a from/to
// that is a time, it answers as before (legacySatisfaction); a plain
// ?by=<one dimension> answers the new shape plus the old "module" and
// "points" of complaints.
func (s *server) trendRoutes(api *echo.Group) {
	byName := map[string]projections.KPI{}
	for _, k := range projections.KPIs() {
		byName[k.Name] = k
	}
	api.GET("/trends/:metric", func(c echo.Context) error {
		metric := c.Param("metric")
		if metric == "satisfaction" {
			if legacyTrendQuery(c) {
				return s.legacySatisfaction(c)
			}
			return s.satisfactionTrend(c)
		}
		k, ok := byName[metric]
		if !ok {
			return apperr.Errorf(apperr.NotFound, "unknown_metric", "no metric named %q: satisfaction, or a KPI's name (GET /api/v1/kpis lists them)", metric)
		}
		return s.kpiTrend(c, k)
	})
}

// trendDims are the dimensions a satisfaction trend is broken down by.
var trendDims = []string{projections.DimMonth, projections.DimDistrict, projections.DimButler, "category"}

// legacyTrendQuery says whether a satisfaction request is in the first
// endpoint's form.
func legacyTrendQuery(c echo.Context) bool {
	for k, vs := range c.QueryParams() {
		switch k {
		case "by", "district", "butler", "category", "source", "format":
		case "from", "to":
			if len(vs) > 0 && !monthPattern.MatchString(vs[0]) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// bySeries reads by for a trend: the month is always a dimension (first
// when not named).
func bySeries(by []string) []string {
	if !slices.Contains(by, projections.DimMonth) {
		return append([]string{projections.DimMonth}, by...)
	}
	return by
}

func (s *server) satisfactionTrend(c echo.Context) error {
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	q, err := s.parseAnalystQuery(c, trendDims, "category", "source")
	if err != nil {
		return err
	}
	var sources []string
	if q.sources != "" {
		names := projections.SatisfactionSourceNames()
		for _, src := range strings.Split(q.sources, ",") {
			if !slices.Contains(names, src) {
				return &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_query", Message: "some query parameters are invalid",
					Fields: map[string]string{"source": "one or more of " + strings.Join(names, ", ")}}
			}
			sources = append(sources, src)
		}
	}
	q.by = bySeries(q.by)
	if err := s.monthRange(&q, true); err != nil {
		return err
	}
	var others []string
	for _, d := range q.by {
		if d != projections.DimMonth {
			others = append(others, d)
		}
	}
	release, err := s.searchSlot(c)
	if err != nil {
		return err
	}
	series, scale, err := projections.SatisfactionSeries(c.Request().Context(), s.d.Reads, projections.TrendQuery{
		By: others, Project: PrincipalOf(c).Project, District: q.district, Butler: q.butler, Category: q.category,
		Months: q.months, Sources: sources})
	release()
	if err != nil {
		return err
	}
	if format != "" {
		return s.exportSeries(c, format, "trend-satisfaction", others, series, true)
	}
	if series == nil {
		series = []projections.MetricSeries{}
	}
	out := map[string]any{"metric": "satisfaction", "title": "满意度", "scale": scale, "by": q.by, "from": q.from, "to": q.to,
		"sources": sources, "series": series}
	if sources == nil {
		out["sources"] = projections.SatisfactionSourceNames()
	}
	// The first endpoint's answer, for its clients: one dimension, complaints.
	if by := c.QueryParam("by"); by != "" && !strings.Contains(by, ",") && c.QueryParam("source") == "" && c.QueryParam("from") == "" && c.QueryParam("to") == "" {
		if slices.Contains(projections.TrendGroups[projections.ComplaintsIndex], by) {
			c.QueryParams().Del("by") // the list filters (district, butler, category) narrow it
			query, err := s.listQuery(c, complaints)
			if err != nil {
				return err
			}
			points, err := projections.SatisfactionTrend(c.Request().Context(), s.d.Reads, complaints.index, by, query)
			if err != nil {
				return err
			}
			out["module"], out["points"] = "complaints", points
		}
	}
	return c.JSON(http.StatusOK, out)
}

func (s *server) kpiTrend(c echo.Context, k projections.KPI) error {
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	q, err := s.parseAnalystQuery(c, []string{projections.DimMonth, projections.DimDistrict, projections.DimButler})
	if err != nil {
		return err
	}
	q.by = bySeries(q.by)
	rows, err := s.kpiTable(c, k, &q)
	if err != nil {
		return err
	}
	var others []string
	for _, d := range q.by {
		if d != projections.DimMonth {
			others = append(others, d)
		}
	}
	series := projections.KPISeries(q.by, rows)
	if format != "" {
		return s.exportSeries(c, format, "trend-"+k.Name, others, series, false)
	}
	if series == nil {
		series = []projections.MetricSeries{}
	}
	target, higher := k.TargetValue()
	return c.JSON(http.StatusOK, map[string]any{"metric": k.Name, "title": kpiTitle(k), "by": q.by, "from": q.from, "to": q.to,
		"target": target, "higher_is_better": higher, "series": series})
}

// exportSeries writes a trend, a row per group and month.
func (s *server) exportSeries(c echo.Context, format, name string, dims []string, series []projections.MetricSeries, satisfaction bool) error {
	headers := headersOf("trend", dims)
	headers = append(headers, "月份", "数值", "精确值", "样本数")
	if satisfaction {
		headers = append(headers, "满意数", "回答数", "满意占比")
	} else {
		headers = append(headers, "分子", "分母")
	}
	var rows [][]any
	for _, sr := range series {
		for _, p := range sr.Points {
			var r []any
			for _, d := range dims {
				r = append(r, sr.Group[d])
			}
			r = append(r, p.Month, p.Value, p.Exact, p.Count)
			if satisfaction {
				r = append(r, intOrNil(p.Satisfied), intOrNil(p.Responses), p.SatisfiedShare)
			} else {
				r = append(r, p.Numerator, p.Denominator)
			}
			rows = append(rows, r)
		}
	}
	return s.exportTable(c, format, name, headers, rows)
}

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// legacySatisfaction is the first trend endpoint: mean return-visit
// ratings of complaints or work orders grouped by one of month, district,
// butler or category (area for work orders), the list filters narrowing.
func (s *server) legacySatisfaction(c echo.Context) error {
	module := c.QueryParam("module")
	if module == "" {
		module = "complaints"
	}
	col := map[string]collection{"complaints": complaints, "work-orders": workOrders}
	names := "complaints or work-orders"
	if _, rated := projections.TrendGroups[projections.VisitsIndex]; rated { // visits carry a rating (R-H6)
		col["visits"], names = visitRecords, "complaints, work-orders or visits"
	}
	cl, ok := col[module]
	bad := map[string]string{}
	if !ok {
		bad["module"] = names
	}
	by := c.QueryParam("by")
	if by == "" {
		by = "month"
	}
	if ok && !slices.Contains(projections.TrendGroups[cl.index], by) {
		bad["by"] = "one of " + strings.Join(projections.TrendGroups[cl.index], ", ")
	}
	if len(bad) > 0 {
		return &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_query", Message: "some query parameters are invalid", Fields: bad}
	}
	// The usual list filters narrow what is grouped.
	q := c.QueryParams()
	q.Del("module")
	q.Del("by")
	c.Request().URL.RawQuery = q.Encode()
	query, err := s.listQuery(c, cl)
	if err != nil {
		return err
	}
	points, err := projections.SatisfactionTrend(c.Request().Context(), s.d.Reads, cl.index, by, query)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"module": module, "by": by, "points": points})
}
