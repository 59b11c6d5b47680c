package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/projections"
)

// The analyst's tables: a KPI by district, butler and month in one call
// (GET /kpis/{name}/table), and trends over months by several dimensions
// (GET /trends/{metric}). Both compute through the KPIs' own Compute
// (projections/kpi_table.go), so every cell equals the drill-down GET
// /kpis/{name}?district=&butler=&month= and lists the same records there.

// maxTableMonths bounds from..to.
const maxTableMonths = 60

// kpiTitles are the KPIs' Chinese names, for tables and charts.
var kpiTitles = map[string]string{
	"complaint-return-visit-rate":        "投诉回访率",
	"complaint-satisfaction":             "有效投诉满意率",
	"complaint-satisfaction-average":     "投诉回访平均满意度",
	"complaint-time-to-close":            "投诉平均关闭时长（小时）",
	"work-order-sla-breaches":            "工单三天未沟通超时数",
	"work-order-time-to-close":           "工单平均关闭时长（小时）",
	"work-order-return-visit-rate":       "工单回访率",
	"urgent-repair-return-visit-24h":     "紧急维修24小时回访率",
	"key-reconciliation-compliance":      "钥匙每日盘点率",
	"key-reconciliation-discrepancies":   "钥匙账实不符天数",
	"keys-on-loan-past-due":              "钥匙借用逾期数",
	"keys-lost":                          "钥匙遗失数",
	"key-loan-forms-unfiled":             "钥匙借用单未归档数",
	"key-supervisor-weekly-checks":       "主管每周钥匙核查率",
	"fee-collection-rate":                "收费计划完成率",
	"fee-arrears-ageing":                 "欠费账单数",
	"fee-arrears-0-30":                   "欠费0-30天账单数",
	"fee-arrears-31-90":                  "欠费31-90天账单数",
	"fee-arrears-91-180":                 "欠费91-180天账单数",
	"fee-arrears-over-180":               "欠费180天以上账单数",
	"ledger-mismatches-open":             "台账不一致未说明数",
	"renovation-inspection-compliance":   "装修每日巡查率",
	"renovation-open-violations":         "装修未整改违规数",
	"renovation-register-checks":         "装修台账每周核对达标率",
	"move-in-steps-completed":            "入住步骤完成率",
	"move-in-steps-average":              "入住平均完成步骤数",
	"move-in-defects-open":               "入住问题未解决数",
	"untrained-staff-assigned":           "未培训上岗派工数",
	"spot-check-coverage":                "工单抽查覆盖率",
	"spot-checks-uncorrected":            "抽查问题未纠正数",
	"supervisor-weekly-patrols":          "主管每周巡查次数",
	"training-plan-completion":           "培训计划完成率",
	"night-messages-unhandled":           "夜班留言未处理数",
	"drills-per-month":                   "每月演练次数",
	"handover-checks-per-month":          "每月交接检查次数",
	"visit-ratio":                        "走访比例达标率",
	"visit-duplicates":                   "重复走访数",
	"opinion-feedback-rate":              "走访意见反馈率",
	"required-return-visits-on-time":     "必访回访按时率",
	"key-client-visits":                  "重点客户走访次数",
	"spring-festival-key-client-visits":  "春节重点客户走访次数",
	"vacant-unit-compliance":             "空房月度巡检达标率",
	"patrol-days":                        "公共区域巡查天数",
	"activity-approval-lead-time":        "活动提前审批率",
	"activity-survey-coverage":           "活动调查覆盖达标率",
	"activity-summary-on-time":           "活动按时总结率",
	"complaint-resolved-in-time":         "投诉按时解决率",
	"complaint-overdue-unexplained":      "投诉逾期未说明",
	"complaint-daily-review-missed":      "投诉主管漏查",
	"warnings-open":                      "未确认预警",
	"warning-time-to-acknowledge":        "预警平均确认时长（小时）",
	"leak-after-rain-compliance":         "漏水雨后回访达标率",
	"return-visit-verification-coverage": "回访核实覆盖率",
	"paid-return-visit-verification":     "有偿服务回访核实率",
	"return-visits-found-false":          "回访不实",
	"work-order-forms-unfiled":           "工单单据未归档",
	"fee-collection-debriefs":            "收费每日碰头会天数",
	"fee-fast-route-resolved-on-time":    "直通车按时解决率",
	"fee-influential-arrears-guided":     "有影响力业主欠费疏导率",
	"fee-ledger-weeks-unreconciled":      "台账未对账周数",
	"renovation-owner-talks-overdue":     "装修业主沟通逾期",
	"untrained-staff-on-duty":            "未培训员工上岗",
	"relative-recusal-conflicts":         "亲属回避冲突",
	"behaviour-check-pass-rate":          "行为规范检查合格率",
	"appraisals-on-time":                 "月度考核按时率",
	"weekly-talks":                       "每周谈话完成率",
	"supervisor-patrol-weeks":            "主管每周巡查完成率",
	"work-plan-targets-met":              "工作计划目标达成率",
	"found-property-hand-in-overdue":     "拾遗逾期未上交",
	"special-weather-vacant-service":     "特殊天气空房服务及时率",
	"archive-checks-missed":              "档案漏核查",
}

// kpiTitle is a KPI's Chinese name (TestEveryKPIHasAChineseTitle holds
// kpiTitles to every KPI; the console shows the catalogue's titles).
func kpiTitle(k projections.KPI) string {
	if t, ok := kpiTitles[k.Name]; ok {
		return t
	}
	return k.Name
}

// analystQuery is the query of a table or a trend.
type analystQuery struct {
	by                []string
	from, to          string
	months            []string
	district, butler  string
	category, sources string
}

// parseAnalystQuery reads by, from, to and the filters, refusing any other
// parameter; dims are the dimensions by may name. A caller bound to a
// district gets that district only.
func (s *server) parseAnalystQuery(c echo.Context, dims []string, extra ...string) (analystQuery, error) {
	p := PrincipalOf(c)
	qp := c.QueryParams()
	bad := map[string]string{}
	allowed := append([]string{"by", "from", "to", "district", "butler", "format", "project"}, extra...)
	for k := range qp {
		if !slices.Contains(allowed, k) {
			bad[k] = "unknown query parameter (" + strings.Join(allowed, ", ") + ")"
		}
	}
	var q analystQuery
	for _, d := range strings.Split(qp.Get("by"), ",") {
		d = strings.TrimSpace(d)
		switch {
		case d == "":
		case !slices.Contains(dims, d):
			bad["by"] = "dimensions among " + strings.Join(dims, ", ") + ", comma-separated"
		case slices.Contains(q.by, d):
			bad["by"] = "each dimension once"
		default:
			q.by = append(q.by, d)
		}
	}
	q.from, q.to = qp.Get("from"), qp.Get("to")
	for name, v := range map[string]string{"from": q.from, "to": q.to} {
		if v != "" && !monthPattern.MatchString(v) {
			bad[name] = "a month as YYYY-MM"
		}
	}
	q.district, q.butler, q.category, q.sources = qp.Get("district"), qp.Get("butler"), qp.Get("category"), qp.Get("source")
	if pr := qp.Get("project"); pr != "" && pr != p.Project {
		return q, apperr.Errorf(apperr.Forbidden, "forbidden_scope", "your token is for project %s", p.Project)
	}
	if len(bad) > 0 {
		return q, &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_query", Message: "some query parameters are invalid", Fields: bad}
	}
	if !p.ProjectWide() {
		if q.district != "" && q.district != p.District {
			return q, apperr.Errorf(apperr.Forbidden, "forbidden_scope", "your token is for district %s", p.District)
		}
		q.district = p.District
	}
	return q, nil
}

// monthRange is from..to; with neither, the twelve months up to this one
// (in the project's zone) when months are wanted.
func (s *server) monthRange(q *analystQuery, wanted bool) error {
	if q.from == "" && q.to == "" && !wanted {
		return nil
	}
	now := s.now().In(s.d.Zone)
	if q.to == "" {
		q.to = now.Format("2006-01")
		if q.from > q.to {
			q.to = q.from
		}
	}
	if q.from == "" {
		t, err := time.Parse("2006-01", q.to)
		if err != nil {
			return err
		}
		q.from = t.AddDate(0, -11, 0).Format("2006-01")
	}
	if q.from > q.to {
		return &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_query", Message: "some query parameters are invalid",
			Fields: map[string]string{"from": "not after to"}}
	}
	months, err := projections.MonthsBetween(q.from, q.to)
	if err != nil {
		return err
	}
	if len(months) > maxTableMonths {
		return &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_query", Message: "some query parameters are invalid",
			Fields: map[string]string{"from": fmt.Sprintf("at most %d months from..to", maxTableMonths)}}
	}
	q.months = months
	return nil
}

// kpiTableRoute serves GET /kpis/{name}/table.
func (s *server) kpiTableRoute(api *echo.Group, byName map[string]projections.KPI) {
	api.GET("/kpis/:name/table", func(c echo.Context) error {
		k, ok := byName[c.Param("name")]
		if !ok {
			return apperr.Errorf(apperr.NotFound, "unknown_kpi", "no KPI named %q (GET /api/v1/kpis lists them)", c.Param("name"))
		}
		format, err := exportFormat(c)
		if err != nil {
			return err
		}
		q, err := s.parseAnalystQuery(c, []string{projections.DimDistrict, projections.DimButler, projections.DimMonth})
		if err != nil {
			return err
		}
		rows, err := s.kpiTable(c, k, &q)
		if err != nil {
			return err
		}
		target, higher := k.TargetValue()
		if format != "" {
			headers := append(headersOf("kpi-table", q.by), "数值", "分子", "分母", "目标")
			out := make([][]any, 0, len(rows))
			for _, r := range rows {
				line := make([]any, 0, len(q.by)+4)
				for _, d := range q.by {
					line = append(line, r.Group[d])
				}
				line = append(line, r.Value, r.Numerator, r.Denominator, target)
				out = append(out, line)
			}
			return s.exportTable(c, format, "kpi-"+k.Name, headers, out)
		}
		type row map[string]any
		out := make([]row, 0, len(rows))
		for _, r := range rows {
			o := row{"value": r.Value, "numerator": r.Numerator, "denominator": r.Denominator}
			for d, v := range r.Group {
				o[d] = v
			}
			out = append(out, o)
		}
		return c.JSON(http.StatusOK, map[string]any{"kpi": k.Name, "title": kpiTitle(k), "description": k.Description,
			"target": target, "target_text": k.Target, "higher_is_better": higher, "by": q.by,
			"from": q.from, "to": q.to, "rows": out})
	})
}

// kpiTable computes a KPI's table for a parsed query.
func (s *server) kpiTable(c echo.Context, k projections.KPI, q *analystQuery) ([]projections.KPITableRow, error) {
	var fields map[string]projections.FieldKind
	if m, ok := s.models[k.Index]; ok {
		fields = m.Schema().Fields
	}
	dims := k.Dimensions(fields)
	if len(q.by) == 0 { // by default: district × month, as far as the KPI has them
		for _, d := range []string{projections.DimDistrict, projections.DimMonth} {
			if slices.Contains(dims, d) {
				q.by = append(q.by, d)
			}
		}
	}
	for _, d := range q.by {
		if !slices.Contains(dims, d) {
			return nil, dimensionError(k, d, dims)
		}
	}
	if (q.from != "" || q.to != "") && !slices.Contains(dims, projections.DimMonth) {
		return nil, dimensionError(k, projections.DimMonth, dims)
	}
	if q.butler != "" && !slices.Contains(dims, projections.DimButler) {
		return nil, dimensionError(k, projections.DimButler, dims)
	}
	if err := s.monthRange(q, slices.Contains(q.by, projections.DimMonth)); err != nil {
		return nil, err
	}
	district := q.district
	if !slices.Contains(dims, projections.DimDistrict) && !slices.Contains(q.by, projections.DimDistrict) {
		district = "" // a project-wide KPI (the key register): the district does not narrow it
	}
	release, err := s.searchSlot(c)
	if err != nil {
		return nil, err
	}
	defer release()
	rows, err := projections.KPITable(c.Request().Context(), s.d.Reads, k, fields, projections.KPITableQuery{
		By: q.by, Project: PrincipalOf(c).Project, District: district, Butler: q.butler, Months: q.months})
	var de projections.ErrDimension
	if errors.As(err, &de) {
		return nil, dimensionError(k, de.Dim, dims)
	}
	return rows, err
}

func dimensionError(k projections.KPI, dim string, dims []string) error {
	return &apperr.Error{Kind: apperr.BadRequest, Code: "dimension_not_supported",
		Message: fmt.Sprintf("KPI %s cannot be broken down by %s; it can by: %s", k.Name, dim, strings.Join(dims, ", "))}
}
