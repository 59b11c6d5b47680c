package policy_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/commands/policy"
	"github.com/butler-pm/butler/domain/activity"
	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee"
	"github.com/butler-pm/butler/domain/key"
	"github.com/butler-pm/butler/domain/key/reconcile"
	"github.com/butler-pm/butler/domain/renovation"
	"github.com/butler-pm/butler/domain/renovation/register"
	"github.com/butler-pm/butler/domain/vacant"
	"github.com/butler-pm/butler/domain/visit"
	"github.com/butler-pm/butler/domain/workorder"
	"github.com/butler-pm/butler/infra/personal"
	"github.com/butler-pm/butler/projections"
)

const day = 24 * time.Hour

// Each test below shows one rule recording its event when due, not
// before, and once: a second tick records nothing.

// recordsOnce checks that the rule, now due, records one event, the last
// on stream, and that a second tick records nothing. What it records is
// caused by the latest event on cause before the tick, the state the rule
// judged: that event's id is the causation id and its correlation id is
// carried over. An empty cause means nothing but the clock made the rule
// due: the events start a chain of their own.
func (r *rig) recordsOnce(rule, stream, eventType, cause string) {
	r.t.Helper()
	var judged event.Recorded
	if cause != "" {
		judged = r.lastEvent(cause)
	}
	before := len(r.stream(stream))
	r.tick(rule, 1)
	r.tick(rule, 0)
	if got := r.last(stream); got != eventType {
		r.t.Fatalf("%s: the last event on %s is %s, want %s", rule, stream, got, eventType)
	}
	for _, e := range r.stream(stream)[before:] {
		r.causedBy(rule, e, judged)
	}
}

// causedBy checks e's causation and correlation ids: judged's, or (judged
// zero) a chain of its own.
func (r *rig) causedBy(rule string, e, judged event.Recorded) {
	r.t.Helper()
	m := e.Meta
	if judged.ID == "" {
		if m.CorrelationID == "" || m.CausationID != m.CorrelationID {
			r.t.Fatalf("%s: %s at %s@%d has correlation %q and causation %q, want a chain of its own", rule, e.Type, e.Stream, e.Revision, m.CorrelationID, m.CausationID)
		}
		return
	}
	if m.CausationID != judged.ID || m.CorrelationID != judged.Meta.CorrelationID || m.CorrelationID == "" {
		r.t.Fatalf("%s: %s at %s@%d has causation %q and correlation %q, want %s's %s (%q, %q)", rule, e.Type, e.Stream, e.Revision,
			m.CausationID, m.CorrelationID, judged.Stream, judged.Type, judged.ID, judged.Meta.CorrelationID)
	}
}

func TestWorkOrderSLA(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-W3 work-order 3-day SLA"
	id := r.ok(r.h.WorkOrder.Register.Handle(r.ctx, as(butler), commands.RegisterWorkOrder{Description: "楼道灯不亮", Area: "public", Warranty: "in"}))
	r.tick(rule, 0)
	r.clock.Advance(3*day - time.Minute)
	r.tick(rule, 0)
	r.clock.Advance(2 * time.Minute)
	r.recordsOnce(rule, workorder.Stream(id), workorder.TypeSLABreached, workorder.Stream(id))
}

// completedWorkOrder registers, dispatches, starts and completes a repair.
func (r *rig) completedWorkOrder(cmd commands.RegisterWorkOrder) string {
	r.t.Helper()
	id := r.startedWorkOrder(cmd)
	r.ok(r.h.WorkOrder.Complete.Handle(r.ctx, as(engineer), commands.CompleteWorkOrder{WorkOrderID: id, Result: "已更换"}))
	return id
}

func (r *rig) startedWorkOrder(cmd commands.RegisterWorkOrder) string {
	r.t.Helper()
	id := r.ok(r.h.WorkOrder.Register.Handle(r.ctx, as(butler), cmd))
	r.ok(r.h.WorkOrder.Dispatch.Handle(r.ctx, as(butler), commands.DispatchWorkOrder{WorkOrderID: id, Assignee: "e1"}))
	r.ok(r.h.WorkOrder.Start.Handle(r.ctx, as(engineer), commands.StartWorkOrder{WorkOrderID: id}))
	return id
}

var urgentRepair = commands.RegisterWorkOrder{Unit: "3-2-1201", Description: "水管爆裂", Area: "unit", Warranty: "in", Urgent: true}

func TestUrgentRepairReturnVisitOverdue(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-W5 urgent repair 24 h return visit"
	id := r.completedWorkOrder(urgentRepair)
	r.tick(rule, 0)
	r.clock.Advance(workorder.UrgentReturnVisitWithin + time.Minute)
	r.recordsOnce(rule, workorder.Stream(id), workorder.TypeReturnVisitOverdue, workorder.Stream(id))
}

// An urgent leak repair whose 24 h visit came in time is not overdue,
// though its after-rain visit is still to come.
func TestUrgentLeakRepairVisitedInTimeIsNotOverdue(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	cmd := urgentRepair
	cmd.Leak = true
	id := r.completedWorkOrder(cmd)
	r.ok(r.h.WorkOrder.Confirm.Handle(r.ctx, as(engineer), commands.ConfirmWorkOrder{WorkOrderID: id, SignedBy: "王女士"}))
	r.ok(r.h.WorkOrder.ReturnVisit.Handle(r.ctx, as(butler), commands.ReturnVisitWorkOrder{WorkOrderID: id, Channel: "phone", Satisfaction: 5}))
	r.clock.Advance(workorder.UrgentReturnVisitWithin + time.Minute)
	r.tick("R-W5 urgent repair 24 h return visit", 0)
}

func TestLeakRepairAfterRainVisitOverdue(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-W5 leak repair after-rain return visit"
	id := r.completedWorkOrder(commands.RegisterWorkOrder{Unit: "3-2-1201", Description: "飘窗渗水", Area: "unit", Warranty: "in", Leak: true})
	r.clock.Advance(10 * day)
	r.tick(rule, 0) // no rain yet: nothing is late
	r.ok(r.h.RainyDay.Record.Handle(r.ctx, as(butler), commands.RecordRainyDay{Date: r.clock.Now().Format(time.DateOnly)}))
	r.clock.Advance(3 * day)
	r.tick(rule, 0) // the third day after the rain has not ended
	r.clock.Advance(day)
	r.recordsOnce(rule, workorder.Stream(id), workorder.TypeAfterRainVisitOverdue, workorder.Stream(id))
}

func TestWorkOrderFormsFiled(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-W8 work-order forms filed"
	id := r.completedWorkOrder(commands.RegisterWorkOrder{Unit: "3-2-1201", Description: "门锁坏", Area: "unit", Warranty: "out", Paid: true})
	r.ok(r.h.WorkOrder.Confirm.Handle(r.ctx, as(engineer), commands.ConfirmWorkOrder{WorkOrderID: id, SignedBy: "王女士"}))
	r.ok(r.h.WorkOrder.ReturnVisit.Handle(r.ctx, as(butler), commands.ReturnVisitWorkOrder{WorkOrderID: id, Channel: "phone", Satisfaction: 5}))
	r.tick(rule, 0) // not closed: nothing to file
	r.ok(r.h.WorkOrder.Close.Handle(r.ctx, as(butler), commands.CloseWorkOrder{WorkOrderID: id}))
	r.tick(rule, 0) // the unit has no archive yet: the forms wait
	own := r.ok(r.h.Archive.Open.Handle(r.ctx, as(archivist), commands.OpenArchive{Household: "3-2-1201", Owner: "王女士", District: "d1"}))
	r.ok(r.h.Archive.Open.Handle(r.ctx, as(archivist), commands.OpenArchive{Household: "3-2-1202", Owner: "李先生", District: "d1"}))
	closed := r.lastEvent(workorder.Stream(id))
	r.recordsOnce(rule, workorder.Stream(id), workorder.TypeFormsFiled, workorder.Stream(id))
	var docs []string
	for _, e := range r.stream(archive.Stream(own)) {
		if e.Type == archive.TypeDocumentAdded {
			var d archive.DocumentAdded
			if err := json.Unmarshal(e.Data, &d); err != nil {
				t.Fatal(err)
			}
			docs = append(docs, d.Kind+":"+d.Document)
			r.causedBy(rule, e, closed)
		}
	}
	want := []string{"work_order_repair_slip:报修单 " + workorder.Stream(id), "work_order_dispatch_slip:派工单 " + workorder.Stream(id),
		"work_order_service_record:服务记录表 " + workorder.Stream(id)}
	if strings.Join(docs, "|") != strings.Join(want, "|") {
		t.Fatalf("the owner's archive holds %v, want %v", docs, want)
	}
}

func (r *rig) registeredKey() string {
	r.t.Helper()
	return r.ok(r.h.Key.Register.Handle(r.ctx, as(custodian), commands.RegisterKey{Unit: "3-2-1201", Tag: "K-001", District: "d1"}))
}

func (r *rig) lend(keyID string, due time.Time) {
	r.t.Helper()
	r.ok(r.h.Key.Lend.Handle(r.ctx, as(custodian), commands.LendKey{KeyID: keyID, Borrower: "李师傅", Purpose: "维修",
		AuthorisedBy: "王女士", AuthorisationRef: "SQ-17", Due: due.Format(time.RFC3339)}))
}

func TestKeyLoanOverdue(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-K2 key loans overdue"
	id := r.registeredKey()
	r.lend(id, start.Add(8*time.Hour))
	r.tick(rule, 0)
	r.clock.Advance(8*time.Hour + time.Minute)
	r.recordsOnce(rule, key.Stream(id), key.TypeLoanOverdue, key.Stream(id))
}

func TestKeyReconciliationMissed(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-K3 key reconciliation missed"
	r.registeredKey()
	r.tick(rule, 0) // the first day has not ended
	r.clock.Advance(day)
	r.recordsOnce(rule, reconcile.Stream(commands.KeyDayID("p1", reconcile.DayOf(start))), reconcile.TypeReconciliationMiss, "")
}

func TestKeyLoanFormsFiled(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-K5 key loan forms filed"
	own := r.ok(r.h.Archive.Open.Handle(r.ctx, as(archivist), commands.OpenArchive{Household: "3-2-1201", Owner: "王女士", District: "d1"}))
	id := r.registeredKey()
	r.tick(rule, 0) // no loan, no form
	r.lend(id, start.Add(8*time.Hour))
	lent := r.lastEvent(key.Stream(id))
	r.recordsOnce(rule, key.Stream(id), key.TypeLoanFormFiled, key.Stream(id))
	filed := r.lastEvent(archive.Stream(own))
	if !strings.Contains(filed.Type, "key_loan_form") {
		t.Fatalf("archive's last event = %s", filed.Type)
	}
	// The archive's filing is caused by the key's loan too, not by the archive's own last event.
	r.causedBy(rule, filed, lent)
}

func (r *rig) issuedBill() string {
	r.t.Helper()
	return r.ok(r.h.Fee.IssueBill.Handle(r.ctx, as(butler), commands.IssueBill{Unit: "5-1-302", Period: "2026-07", Due: "2026-07-10",
		Items: []fee.Item{{Name: "物业服务费", AmountFen: 36250}}}))
}

func TestArrearsAgeing(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "fee arrears ageing"
	id := r.issuedBill()
	r.tick(rule, 0)
	r.clock.Advance(9 * day) // the 10th: due today
	r.tick(rule, 0)
	r.clock.Advance(2 * day)
	r.recordsOnce(rule, fee.Stream(id), fee.TypeArrearsAged, fee.Stream(id))
}

// filedRenovation files a renovation with its application form.
func (r *rig) filedRenovation() string {
	r.t.Helper()
	return r.ok(r.h.Renovation.File.Handle(r.ctx, as(butler), commands.FileRenovation{Unit: "3-2-1201", Owner: "王女士",
		Contractor: "美家装饰", Description: "全屋翻新", Documents: []renovation.Document{{Kind: "application", Ref: "ZX-1"}}}))
}

func TestRenovationInspectionsMissed(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-R3 renovation inspections missed"
	id := r.filedRenovation()
	for _, k := range []string{"quality_confirmation", "agreement", "fees", "department_review"} {
		r.ok(r.h.Renovation.FileDocument.Handle(r.ctx, as(butler), commands.FileRenovationDocument{RenovationID: id, Kind: k, Ref: k + "-1"}))
	}
	r.ok(r.h.Renovation.Approve.Handle(r.ctx, as(manager), commands.ApproveRenovation{RenovationID: id}))
	r.ok(r.h.Renovation.CheckSite.Handle(r.ctx, as(butler), commands.CheckRenovationSite{RenovationID: id, Note: "现场无异常"}))
	r.ok(r.h.Renovation.BriefRules.Handle(r.ctx, as(butler), commands.BriefRenovationRules{RenovationID: id, Owner: "王女士", Contractor: "美家装饰"}))
	r.ok(r.h.Renovation.Start.Handle(r.ctx, as(butler), commands.StartRenovation{RenovationID: id}))
	r.tick(rule, 0) // the first day of work has not ended
	r.clock.Advance(day)
	r.recordsOnce(rule, renovation.Stream(id), renovation.TypeInspectionMissed, renovation.Stream(id))
	// R-R3: the completion day is a day of work: completed without an
	// inspection that day, it is recorded missed once it has ended.
	r.ok(r.h.Renovation.Complete.Handle(r.ctx, as(butler), commands.CompleteRenovation{RenovationID: id}))
	r.tick(rule, 0) // the completion day has not ended
	r.clock.Advance(day)
	r.recordsOnce(rule, renovation.Stream(id), renovation.TypeInspectionMissed, renovation.Stream(id))
	r.clock.Advance(day)
	r.tick(rule, 0) // nothing after the completion day
}

func TestRenovationRegisterChecksShort(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-R6 renovation register checks short"
	r.filedRenovation()
	r.tick(rule, 0) // the week of the first filing has not ended
	r.clock.Advance(7 * day)
	week := register.WeekOf(start)
	r.recordsOnce(rule, register.Stream(commands.RenovationRegisterWeekID("p1", week)), register.TypeShort, "")
}

func TestRepairReturnVisitDue(t *testing.T) {
	t.Parallel()
	leak := commands.RegisterWorkOrder{Unit: "3-2-1201", Description: "卫生间渗水", Area: "unit", Warranty: "in", Leak: true}
	for rule, cmd := range map[string]commands.RegisterWorkOrder{
		"R-H3 urgent repair return visits due": urgentRepair,
		"R-H3 leak repair return visits due":   leak,
	} {
		r := newRig(t)
		id := r.startedWorkOrder(cmd)
		r.tick(rule, 0) // not finished yet
		r.ok(r.h.WorkOrder.Complete.Handle(r.ctx, as(engineer), commands.CompleteWorkOrder{WorkOrderID: id, Result: "已更换"}))
		r.recordsOnce(rule, visit.DueStream(id), visit.TypeDueOpened, workorder.Stream(id))
	}
}

// The R-H3 rules send the domain only the records that may owe a return
// visit and have none open: an ordinary repair never (they did, each
// minute, for every ordinary repair ever finished), an urgent one until
// its due is open, then no more while it waits for its visit.
func TestReturnVisitRulesSendOnlyRecordsWithoutAnOpenDue(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ordinary := r.completedWorkOrder(commands.RegisterWorkOrder{Unit: "3-2-1201", Description: "更换灯泡", Area: "unit", Warranty: "in"})
	urgent := r.completedWorkOrder(urgentRepair)
	store := &countingStore{EventStore: r.events, reads: map[string]int{}}
	var rules []policy.Rule
	for _, rule := range policy.Rules(commands.NewHandlers(store, r.clock, nil, personal.NewMemorySealer())) {
		if strings.HasPrefix(rule.Name, "R-H3") {
			rules = append(rules, rule)
		}
	}
	runner := policy.New(r.reads, r.clock, slog.New(slog.NewTextHandler(io.Discard, nil)), rules)
	for tick, want := range []int{1, 0} {
		r.sync()
		clear(store.reads)
		n, err := runner.Tick(r.ctx)
		if err != nil || n != want {
			t.Fatalf("tick %d: %d events (%v), want %d", tick+1, n, err, want)
		}
		if got := store.reads[workorder.Stream(ordinary)]; got != 0 {
			t.Errorf("tick %d: the ordinary repair was sent to the domain (%d reads)", tick+1, got)
		}
		if got := store.reads[workorder.Stream(urgent)] + store.reads[visit.DueStream(urgent)]; (tick == 0) != (got > 0) {
			t.Errorf("tick %d: the urgent repair read %d times; want it read only before its due is open", tick+1, got)
		}
	}
	if last := r.last(visit.DueStream(urgent)); last != visit.TypeDueOpened {
		t.Errorf("the urgent repair's due: %s", last)
	}
}

// countingStore counts the stream reads of the handlers built on it.
type countingStore struct {
	commands.EventStore
	mu    sync.Mutex
	reads map[string]int
}

func (c *countingStore) ReadStream(ctx context.Context, stream string, from uint64, dir event.Direction, max int) ([]event.Recorded, error) {
	c.mu.Lock()
	c.reads[stream]++
	c.mu.Unlock()
	return c.EventStore.ReadStream(ctx, stream, from, dir, max)
}

func TestComplaintReturnVisitDue(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-H3 complaint return visits due"
	id := r.ok(r.h.Complaint.Register.Handle(r.ctx, as(butler), commands.RegisterComplaint{Unit: "3-2-1201", Owner: "王女士",
		Phone: "13800000000", Category: "噪音", Description: "楼上装修噪音", Soothing: "已致歉，承诺今日处理"}))
	r.ok(r.h.Complaint.Dispatch.Handle(r.ctx, as(butler), commands.DispatchComplaint{ComplaintID: id, Assignee: "eng-3"}))
	r.tick(rule, 0) // not resolved yet
	r.ok(r.h.Complaint.Resolve.Handle(r.ctx, as(butler), commands.ResolveComplaint{ComplaintID: id, Resolution: "已协调", Valid: &valid, ValidityReason: "噪音属实"}))
	r.recordsOnce(rule, visit.DueStream(id), visit.TypeDueOpened, complaint.Stream(id))
}

func TestFeeCollectionVisitDue(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-H3 fee collection visits due"
	id := r.issuedBill()
	r.clock.Advance(11 * day)
	r.tick(rule, 0) // overdue, but not yet aged into arrears
	if ok, err := r.h.RecordArrearsAgeing(r.ctx, id); err != nil || !ok {
		t.Fatalf("ageing: %v %v", ok, err)
	}
	r.recordsOnce(rule, visit.DueStream(id), visit.TypeDueOpened, fee.Stream(id))
}

func TestReturnVisitOverdue(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-H3 return visits overdue"
	id := r.completedWorkOrder(urgentRepair)
	if res, err := r.h.Visit.OpenRequiredReturnVisit.Handle(r.ctx, commands.Meta{}, commands.OpenRequiredReturnVisit{Source: "workorder", ID: id}); err != nil || !res.Recorded {
		t.Fatalf("open: %+v %v", res, err)
	}
	r.tick(rule, 0)
	r.clock.Advance(workorder.UrgentReturnVisitWithin + time.Minute)
	r.recordsOnce(rule, visit.DueStream(id), visit.TypeDueOverdue, visit.DueStream(id))
}

func TestVacantUnitMonthEnd(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-V1 vacant-unit month end"
	id := r.ok(r.h.Vacant.Register.Handle(r.ctx, as(butler), commands.RegisterVacantUnit{Unit: "3-2-1201"}))
	r.tick(rule, 0)           // registered in July: no ended month to check
	r.clock.Advance(30 * day) // the 31st
	r.tick(rule, 0)
	r.clock.Advance(day) // 1 August: July has ended
	r.recordsOnce(rule, vacant.Stream(id), vacant.TypeMonthMissed, vacant.Stream(id))
}

// TestRulesAreWellFormed checks the list: unique names, each rule either
// one query on a read model with its command, or a function.
func TestRulesAreWellFormed(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, rule := range policy.Rules(&commands.Handlers{}) {
		if rule.Name == "" || seen[rule.Name] {
			t.Errorf("rule name %q is empty or used twice", rule.Name)
		}
		seen[rule.Name] = true
		query := rule.Index != "" && rule.Query != nil && rule.Record != nil
		if query == (rule.Run != nil) {
			t.Errorf("%s: want either Index, Query and Record, or Run", rule.Name)
		}
	}
}

// TestTickRunsEveryRuleAndJoinsFailures: a failing rule does not stop the
// ones after it, and Tick counts what they recorded.
func TestTickRunsEveryRuleAndJoinsFailures(t *testing.T) {
	t.Parallel()
	failure := errors.New("read model unavailable")
	ran := 0
	rules := []policy.Rule{
		{Name: "first", Run: func(context.Context, policy.Searcher, time.Time) (int, error) { ran++; return 0, failure }},
		{Name: "second", Run: func(context.Context, policy.Searcher, time.Time) (int, error) { ran++; return 2, nil }},
	}
	n, err := policy.New(nil, &clock{now: start}, slog.New(slog.NewTextHandler(io.Discard, nil)), rules).Tick(context.Background())
	if ran != 2 || n != 2 || !errors.Is(err, failure) || !strings.Contains(err.Error(), "first: ") {
		t.Fatalf("ran %d rules, recorded %d, err %v", ran, n, err)
	}
}

func TestActivitySummaryOverdue(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-A4 activity summary overdue"
	ops := commands.Principal{StaffID: "op1", Role: commands.RoleOperations, Project: "p1"}
	quality := commands.Principal{StaffID: "q1", Role: commands.RoleQuality, Project: "p1"}
	date := r.clock.Now().AddDate(0, 0, 20)
	id := r.ok(r.h.Activity.Propose.Handle(r.ctx, as(butler), commands.ProposeActivity{Title: "中秋游园会", Date: date.Format(time.DateOnly),
		Organisation: "客服部", Content: "猜灯谜", Publicity: "公告", BudgetFen: 50000, Risks: "人流", Large: false}))
	r.ok(r.h.Activity.Approve.Handle(r.ctx, as(ops), commands.ApproveActivity{ActivityID: id}))
	r.ok(r.h.Activity.Approve.Handle(r.ctx, as(quality), commands.ApproveActivity{ActivityID: id}))
	r.clock.Advance(date.Add(10 * time.Hour).Sub(r.clock.Now()))
	r.ok(r.h.Activity.Hold.Handle(r.ctx, as(butler), commands.HoldActivity{ActivityID: id, Participants: 40}))
	r.tick(rule, 0)
	r.clock.Advance(activity.SummaryWithin - time.Minute)
	r.tick(rule, 0)
	r.clock.Advance(2 * time.Minute)
	r.recordsOnce(rule, activity.Stream(id), activity.TypeSummaryOverdue, activity.Stream(id))
}

// R-D2: each archive is checked once a calendar quarter, from the first
// full quarter after its opening; a quarter that ends unchecked is
// recorded once, and a checked quarter records nothing.
func TestArchiveQuarterlyCheckMissed(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-D2 archive quarterly check missed"
	id := r.ok(r.h.Archive.Open.Handle(r.ctx, as(archivist), commands.OpenArchive{Household: "3-2-501", Owner: "王女士", District: "d1"}))
	r.tick(rule, 0)
	cst := start.Location()
	r.clock.Advance(time.Date(2026, 12, 31, 23, 59, 0, 0, cst).Sub(r.clock.Now()))
	r.tick(rule, 0) // Q3 was the opening quarter; Q4 has not ended
	r.clock.Advance(2 * time.Minute)
	r.recordsOnce(rule, archive.Stream(id), archive.TypeCheckMissed, archive.Stream(id))
	r.sync()
	var a projections.Archive
	doc, err := r.reads.Get(r.ctx, projections.ArchivesIndex, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(doc.Source, &a); err != nil {
		t.Fatal(err)
	}
	if a.ChecksMissed != 1 || a.MissedQuarters[0] != "2026-Q4" || a.MissedMonths[0] != "2026-12" ||
		!a.CheckDueBy.Equal(time.Date(2027, 4, 1, 0, 0, 0, 0, cst)) {
		t.Fatalf("archive = %+v", a)
	}
	r.clock.Advance(30 * 24 * time.Hour)
	r.ok(r.h.Archive.Check.Handle(r.ctx, as(archivist), commands.CheckArchive{ArchiveID: id}))
	r.clock.Advance(time.Date(2027, 4, 1, 0, 1, 0, 0, cst).Sub(r.clock.Now()))
	r.tick(rule, 0) // checked in 2027-Q1
	r.clock.Advance(92 * 24 * time.Hour)
	r.tick(rule, 1) // 2027-Q2 not
}

// R-R7: a week of work without a talk with the renovating owner is
// recorded once; a talk starts a new week.
func TestRenovationOwnerTalksOverdue(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-R7 renovation owner talks overdue"
	id := r.filedRenovation()
	for _, k := range []string{"quality_confirmation", "agreement", "fees", "department_review"} {
		r.ok(r.h.Renovation.FileDocument.Handle(r.ctx, as(butler), commands.FileRenovationDocument{RenovationID: id, Kind: k, Ref: k + "-1"}))
	}
	r.ok(r.h.Renovation.Approve.Handle(r.ctx, as(manager), commands.ApproveRenovation{RenovationID: id}))
	r.ok(r.h.Renovation.Assign.Handle(r.ctx, as(manager), commands.AssignRenovation{RenovationID: id, Area: "3号楼", Butler: "b1"}))
	r.ok(r.h.Renovation.CheckSite.Handle(r.ctx, as(butler), commands.CheckRenovationSite{RenovationID: id, Note: "现场无异常"}))
	r.ok(r.h.Renovation.BriefRules.Handle(r.ctx, as(butler), commands.BriefRenovationRules{RenovationID: id, Owner: "王女士", Contractor: "美家装饰"}))
	r.ok(r.h.Renovation.Start.Handle(r.ctx, as(butler), commands.StartRenovation{RenovationID: id}))
	r.clock.Advance(6 * day)
	r.tick(rule, 0)
	r.clock.Advance(day + time.Minute)
	r.recordsOnce(rule, renovation.Stream(id), renovation.TypeOwnerTalkOverdue, renovation.Stream(id))
	r.ok(r.h.Renovation.TalkWithOwner.Handle(r.ctx, as(butler), commands.TalkWithRenovatingOwner{RenovationID: id, Channel: "on_site", Note: "提醒不得拆改阳台"}))
	r.clock.Advance(6 * day)
	r.tick(rule, 0)
	r.clock.Advance(day + time.Minute)
	r.recordsOnce(rule, renovation.Stream(id), renovation.TypeOwnerTalkOverdue, renovation.Stream(id))
}
