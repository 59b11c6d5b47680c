package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/projections"
)

// GET /api/v1/overdue: what is overdue, or due within 24 hours, across the
// modules, in the caller's scope: the console's 工作台. Nothing is decided
// here that a module has not decided: each kind reads the read model that
// already knows it (the flags the time rules record, the deadlines the
// records carry), and the answer counts each kind and lists the items, most
// overdue first. An item due within the next 24 hours has overdue false.

// OverdueItem is one thing due.
type OverdueItem struct {
	Kind string `json:"kind"`
	// Record is the record's collection under /api/v1 (GET
	// /api/v1/{record}/{id} reads it).
	Record   string    `json:"record"`
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	District string    `json:"district"`
	Butler   string    `json:"butler"`
	DueAt    time.Time `json:"due_at"`
	Overdue  bool      `json:"overdue"`
}

// overdueSoon is how far ahead "due" looks.
const overdueSoon = 24 * time.Hour

// overdueKinds are the kinds, in the order counts list them.
var overdueKinds = []string{"complaint_overdue", "workorder_sla", "return_visit_due", "return_visit_overdue", "key_loan_overdue",
	"inspection_missed", "vacant_task_due", "bill_in_arrears", "activity_unsummarised", "shift_unhandled"}

// overdueQuery is one search of a kind: its read model, its query (project
// and district are added) and how a hit becomes an item.
type overdueQuery struct {
	index string
	q     projections.Query
	item  func(src json.RawMessage) (OverdueItem, bool, error)
}

// complaintDue is what a complaint's deadline is read from: "deadline"
// (R-C2's deadline from registration) where the complaints read model has
// it, else "expected_by" (the completion time told to the owner).
type complaintDue struct {
	projections.Complaint
	Deadline *time.Time `json:"deadline,omitempty"`
}

// overdueQueries are a kind's searches at now (zone: the project's);
// deadline is the complaints' deadline field.
func overdueQueries(kind string, now time.Time, zone *time.Location, deadline string) []overdueQuery {
	soon := now.Add(overdueSoon + time.Millisecond) // due in 24 h exactly is due soon
	before := func(field string, t time.Time) []projections.Range {
		return []projections.Range{{Field: field, Max: t}}
	}
	sortBy := func(f string) []projections.Sort { return []projections.Sort{{Field: f}} }
	at := func(t time.Time) (time.Time, bool) { return t.In(zone), t.Before(now) }
	switch kind {
	case "complaint_overdue":
		// R-C2: the complaint's deadline has passed (or comes within a
		// day) and it is not resolved.
		return []overdueQuery{{index: projections.ComplaintsIndex,
			q: projections.Query{Terms: map[string][]string{"status": {"registered", "dispatched"}},
				Ranges: before(deadline, soon), Sort: sortBy(deadline)},
			item: decoded(func(d complaintDue) (OverdueItem, bool) {
				t := d.ExpectedBy
				if deadline == "deadline" {
					t = d.Deadline
				}
				if t == nil || t.IsZero() {
					return OverdueItem{}, false
				}
				due, late := at(*t)
				return OverdueItem{Record: "complaints", ID: d.ID, Title: "投诉 " + d.Unit + " " + d.Category + "：" + short(d.Description),
					District: d.District, Butler: d.Butler, DueAt: due, Overdue: late}, true
			})}}
	case "workorder_sla":
		// R-W3: breached (recorded by the time rule), or 3 days nearly up
		// with no communication with the owner yet.
		item := decoded(func(d projections.WorkOrder) (OverdueItem, bool) {
			due, late := at(d.SLADeadline)
			return OverdueItem{Record: "work-orders", ID: d.ID, Title: "报修 " + d.Unit + "：" + short(d.Description) + "（三天未完成未沟通）",
				District: d.District, Butler: d.Butler, DueAt: due, Overdue: late || d.SLABreached}, true
		})
		open := []string{"registered", "dispatched", "in_progress"}
		return []overdueQuery{
			{index: projections.WorkOrdersIndex, item: item, q: projections.Query{Terms: map[string][]string{
				"status": open, "sla_breached": {"true"}}, Sort: sortBy("sla_deadline")}},
			{index: projections.WorkOrdersIndex, item: item, q: projections.Query{Terms: map[string][]string{
				"status": open, "sla_breached": {"false"}, "communicated_in_sla": {"false"}},
				Ranges: before("sla_deadline", soon), Sort: sortBy("sla_deadline")}},
		}
	case "return_visit_due", "return_visit_overdue":
		// R-H3: required return visits; past their deadline they are
		// overdue (the time rule marks them so within its interval).
		item := decoded(func(d projections.ReturnVisitDue) (OverdueItem, bool) {
			if d.DueBy == nil {
				return OverdueItem{}, false
			}
			due, late := at(*d.DueBy)
			return OverdueItem{Record: "return-visits", ID: d.ID, Title: "回访 " + d.Household + "：" + returnVisitReasons[d.Reason],
				District: d.District, Butler: d.Butler, DueAt: due, Overdue: late || d.Overdue}, true
		})
		if kind == "return_visit_due" {
			return []overdueQuery{{index: projections.ReturnVisitsIndex, item: item, q: projections.Query{
				Terms: map[string][]string{"status": {"open"}}, Ranges: []projections.Range{{Field: "due_by", Min: now, Max: soon}},
				Sort: sortBy("due_by")}}}
		}
		return []overdueQuery{
			{index: projections.ReturnVisitsIndex, item: item, q: projections.Query{
				Terms: map[string][]string{"status": {"overdue"}}, Sort: sortBy("due_by")}},
			{index: projections.ReturnVisitsIndex, item: item, q: projections.Query{
				Terms: map[string][]string{"status": {"open"}}, Ranges: before("due_by", now), Sort: sortBy("due_by")}},
		}
	case "key_loan_overdue":
		// R-K2: a key out on loan past (or near) its due time.
		return []overdueQuery{{index: projections.KeysIndex,
			q: projections.Query{Terms: map[string][]string{"on_loan": {"true"}}, Ranges: before("due_at", soon), Sort: sortBy("due_at")},
			item: decoded(func(d projections.Key) (OverdueItem, bool) {
				if d.DueAt == nil {
					return OverdueItem{}, false
				}
				due, late := at(*d.DueAt)
				return OverdueItem{Record: "keys", ID: d.ID, Title: "钥匙 " + d.Tag + "（" + d.Unit + "）借出未还",
					District: d.District, DueAt: due, Overdue: late || d.LoanOverdue}, true
			})}}
	case "inspection_missed":
		// R-R3: days of the last week the time rule found without the
		// daily inspection, and renovations whose inspection is due today.
		today := now.In(zone)
		weekAgo := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, zone).AddDate(0, 0, -7).Format(time.DateOnly)
		return []overdueQuery{
			{index: projections.RenovationDaysIndex,
				q: projections.Query{Terms: map[string][]string{"missed": {"true"}},
					Ranges: []projections.Range{{Field: "day", Min: weekAgo}}, Sort: sortBy("day")},
				item: decoded(func(d projections.RenovationDay) (OverdueItem, bool) {
					day, err := time.ParseInLocation(time.DateOnly, d.Day, zone)
					if err != nil {
						return OverdueItem{}, false
					}
					return OverdueItem{Record: "renovations", ID: d.RenovationID, Title: "装修 " + d.Day + " 未巡查",
						District: d.District, Butler: d.Butler, DueAt: day.AddDate(0, 0, 1), Overdue: true}, true
				})},
			{index: projections.RenovationsIndex,
				q: projections.Query{Terms: map[string][]string{"status": {"in_progress"}},
					Ranges: before("next_inspection_check_at", soon), Sort: sortBy("next_inspection_check_at")},
				item: decoded(func(d projections.Renovation) (OverdueItem, bool) {
					if d.NextInspectionCheckAt == nil {
						return OverdueItem{}, false
					}
					due, late := at(*d.NextInspectionCheckAt)
					return OverdueItem{Record: "renovations", ID: d.ID, Title: "装修 " + d.Unit + " 每日巡查",
						District: d.District, Butler: d.Butler, DueAt: due, Overdue: late}, true
				})},
		}
	case "vacant_task_due":
		// R-V1: last month's unit-months the month-end rule found short,
		// and this month's not yet done when the month ends within a day.
		local := now.In(zone)
		thisMonth := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, zone)
		item := func(end time.Time) func(json.RawMessage) (OverdueItem, bool, error) {
			return decoded(func(d projections.VacantMonth) (OverdueItem, bool) {
				missing := d.Missed
				if len(missing) == 0 {
					for task, done := range map[string]bool{"inspection": d.Inspection, "ventilation": d.Ventilation, "cleaning": d.Cleaning} {
						if !done {
							missing = append(missing, task)
						}
					}
					slices.Sort(missing)
				}
				var words []string
				for _, m := range missing {
					words = append(words, vacantTasks[m])
				}
				return OverdueItem{Record: "vacant-units", ID: d.UnitID, Title: "空房 " + d.Unit + " " + d.Month + " 未" + strings.Join(words, "、"),
					District: d.District, Butler: d.Butler, DueAt: end, Overdue: end.Before(now)}, true
			})
		}
		qs := []overdueQuery{{index: projections.VacantMonthsIndex, item: item(thisMonth),
			q: projections.Query{Terms: map[string][]string{"kind": {"month"}, "compliant": {"false"},
				"month": {thisMonth.AddDate(0, -1, 0).Format("2006-01")}}, Sort: sortBy("id")}}}
		if next := thisMonth.AddDate(0, 1, 0); next.Sub(now) <= overdueSoon {
			qs = append(qs, overdueQuery{index: projections.VacantMonthsIndex, item: item(next),
				q: projections.Query{Terms: map[string][]string{"kind": {"month"}, "compliant": {"false"},
					"month": {thisMonth.Format("2006-01")}}, Sort: sortBy("id")}})
		}
		return qs
	case "bill_in_arrears":
		// R-F3: unpaid bills past due.
		return []overdueQuery{{index: projections.FeeBillsIndex,
			q: projections.Query{Terms: map[string][]string{"in_arrears": {"true"}, "status": {"unpaid", "part_paid"}}, Sort: sortBy("due_at")},
			item: decoded(func(d projections.FeeBill) (OverdueItem, bool) {
				due, _ := at(d.DueAt)
				return OverdueItem{Record: "fees/bills", ID: d.ID, Title: "欠费 " + d.Unit + " " + d.Period + " 未缴 " + yuan(d.OutstandingFen) + " 元",
					District: d.District, Butler: d.Butler, DueAt: due, Overdue: true}, true
			})}}
	case "activity_unsummarised":
		// R-A4: a held activity without its summary 3 days on.
		return []overdueQuery{{index: projections.ActivitiesIndex,
			q: projections.Query{Terms: map[string][]string{"status": {"held"}}, Ranges: before("summary_due_at", soon), Sort: sortBy("summary_due_at")},
			item: decoded(func(d projections.Activity) (OverdueItem, bool) {
				if d.SummaryDueAt == nil {
					return OverdueItem{}, false
				}
				due, late := at(*d.SummaryDueAt)
				return OverdueItem{Record: "activities", ID: d.ID, Title: "活动 " + short(d.Title) + " 未总结",
					District: d.District, Butler: d.ProposedBy, DueAt: due, Overdue: late || d.SummaryOverdue}, true
			})}}
	}
	return nil
}

var returnVisitReasons = map[string]string{"urgent_repair": "紧急维修24小时回访", "leak_repair": "漏水维修雨后回访",
	"complaint": "投诉处理回访", "misfortune": "家庭变故走访", "fee_collection": "催缴回访"}

var vacantTasks = map[string]string{"inspection": "巡检", "ventilation": "通风", "cleaning": "保洁"}

// decoded reads a hit as a read model's document.
func decoded[D any](f func(d D) (OverdueItem, bool)) func(json.RawMessage) (OverdueItem, bool, error) {
	return func(src json.RawMessage) (OverdueItem, bool, error) {
		var d D
		if err := json.Unmarshal(src, &d); err != nil {
			return OverdueItem{}, false, err
		}
		it, ok := f(d)
		return it, ok, nil
	}
}

// short cuts a text for a title.
func short(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= 20 {
		return s
	}
	r := []rune(s)
	return string(r[:20]) + "…"
}

func yuan(fen int64) string {
	return strconv.FormatFloat(float64(fen)/100, 'f', 2, 64)
}

func (s *server) overdueRoutes(api *echo.Group) {
	api.GET("/overdue", s.overdue)
}

func (s *server) overdue(c echo.Context) error {
	p := PrincipalOf(c)
	qp := c.QueryParams()
	bad := map[string]string{}
	for k := range qp {
		if k != "district" && k != "kind" && k != "size" {
			bad[k] = "unknown query parameter (district, kind, size)"
		}
	}
	kinds := overdueKinds
	if v := qp.Get("kind"); v != "" {
		kinds = nil
		for _, k := range strings.Split(v, ",") {
			if !slices.Contains(overdueKinds, k) {
				bad["kind"] = "one or more of " + strings.Join(overdueKinds, ", ")
			}
			kinds = append(kinds, k)
		}
	}
	size := 50
	if v := qp.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1000 {
			bad["size"] = "a number from 0 (counts only) to 1000"
		}
		size = n
	}
	district := qp.Get("district")
	if len(bad) > 0 {
		return &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_query", Message: "some query parameters are invalid", Fields: bad}
	}
	if !p.ProjectWide() {
		if district != "" && district != p.District {
			return apperr.Errorf(apperr.Forbidden, "forbidden_scope", "your token is for district %s", p.District)
		}
		district = p.District
	}
	now := s.now()
	release, err := s.searchSlot(c)
	if err != nil {
		return err
	}
	defer release()
	ctx := c.Request().Context()
	counts := map[string]int{}
	items := []OverdueItem{}
	for _, kind := range kinds {
		var n int
		var its []OverdueItem
		var err error
		if kind == "shift_unhandled" {
			n, its, err = s.unhandledShifts(ctx, p.Project, district, size, now)
		} else {
			n, its, err = s.overdueKind(ctx, kind, p.Project, district, size, now)
		}
		if err != nil {
			return err
		}
		counts[kind] = n
		items = append(items, its...)
	}
	slices.SortStableFunc(items, func(a, b OverdueItem) int {
		if c := a.DueAt.Compare(b.DueAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if len(items) > size {
		items = items[:size]
	}
	return c.JSON(http.StatusOK, map[string]any{"as_of": now.In(s.d.Zone).Format(time.RFC3339), "counts": counts, "items": items})
}

// overdueKind counts a kind's records in scope and reads the first size
// of each of its searches.
func (s *server) overdueKind(ctx context.Context, kind, project, district string, size int, now time.Time) (int, []OverdueItem, error) {
	total := 0
	var items []OverdueItem
	deadline := "expected_by"
	if m, ok := s.models[projections.ComplaintsIndex]; ok && m.Schema().Fields["deadline"] == projections.Date {
		deadline = "deadline"
	}
	for _, oq := range overdueQueries(kind, now, s.d.Zone, deadline) {
		q := oq.q
		q.Terms["project"] = []string{project}
		if district != "" {
			q.Terms["district"] = []string{district}
		}
		q.Size = max(size, 1)
		res, err := s.d.Reads.Search(ctx, oq.index, q)
		if err != nil {
			return 0, nil, err
		}
		total += res.Total
		for _, h := range res.Hits {
			it, ok, err := oq.item(h.Source)
			if err != nil {
				return 0, nil, err
			}
			if ok && size > 0 {
				it.Kind = kind
				items = append(items, it)
			}
		}
	}
	return total, items, nil
}

// shiftLength is the longest a duty shift runs: messages still open at
// its end should have been handled or handed over (R-N1).
const shiftLength = 12 * time.Hour

// unhandledShifts are the command centre's shifts holding customer
// messages neither handled nor handed over (R-N1), due at the shift's end
// (12 hours after it opened; a shift cannot close with messages open, so
// one still holding them past then is overdue).
func (s *server) unhandledShifts(ctx context.Context, project, district string, size int, now time.Time) (int, []OverdueItem, error) {
	q := projections.Query{Terms: map[string][]string{"project": {project}, "kind": {"message"}, "unhandled": {"true"}},
		Size: 1000, Sort: []projections.Sort{{Field: "received_at"}}}
	if district != "" {
		q.Terms["district"] = []string{district}
	}
	type shiftDue struct {
		oldest   time.Time
		messages int
		district string
		operator string
	}
	shifts := map[string]*shiftDue{}
	var order []string
	for {
		res, err := s.d.Reads.Search(ctx, projections.CCMessagesIndex, q)
		if err != nil {
			return 0, nil, err
		}
		for _, h := range res.Hits {
			var m projections.CCMessage
			if err := json.Unmarshal(h.Source, &m); err != nil {
				return 0, nil, err
			}
			id := m.CurrentShift
			if id == "" {
				id = m.Shift
			}
			sd := shifts[id]
			if sd == nil {
				sd = &shiftDue{oldest: m.ReceivedAt, district: m.District, operator: m.Operator}
				shifts[id] = sd
				order = append(order, id)
			}
			sd.messages++
		}
		if len(res.Hits) < q.Size || res.Cursor == "" {
			break
		}
		q.After = res.Cursor
	}
	var items []OverdueItem
	for _, id := range order {
		sd := shifts[id]
		due := sd.oldest.Add(shiftLength)
		if doc, err := s.d.Reads.Get(ctx, projections.ShiftsIndex, id); err == nil {
			var sh projections.Shift
			if err := json.Unmarshal(doc.Source, &sh); err != nil {
				return 0, nil, err
			}
			due = sh.OpenedAt.Add(shiftLength)
		}
		if due.Sub(now) > overdueSoon {
			continue // due later than tomorrow
		}
		items = append(items, OverdueItem{Kind: "shift_unhandled", Record: "shifts", ID: id,
			Title: "值班 " + strconv.Itoa(sd.messages) + " 条留言未处理", District: sd.district, Butler: sd.operator,
			DueAt: due.In(s.d.Zone), Overdue: due.Before(now)})
	}
	n := len(items)
	if len(items) > size {
		items = items[:size]
	}
	return n, items, nil
}
