package commands_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/rainyday"
	"github.com/butler-pm/butler/domain/workorder"
)

type workOrderHandlers struct {
	store    *memStore
	clock    *clock
	register commands.RegisterWorkOrderHandler
	dispatch commands.DispatchWorkOrderHandler
	start    commands.StartWorkOrderHandler
	followUp commands.FollowUpWorkOrderHandler
	complete commands.CompleteWorkOrderHandler
	confirm  commands.ConfirmWorkOrderHandler
	visit    commands.ReturnVisitWorkOrderHandler
	close    commands.CloseWorkOrderHandler
	rain     commands.RecordRainyDayHandler
	sla      commands.RecordSLABreachHandler
	overdue  commands.RecordReturnVisitOverdueHandler
	verify   commands.VerifyWorkOrderReturnVisitHandler
	rainLate commands.RecordAfterRainVisitOverdueHandler
}

func newWorkOrderHandlers() *workOrderHandlers {
	s, c := newMemStore(), &clock{now: start}
	return &workOrderHandlers{store: s, clock: c,
		register: commands.NewRegisterWorkOrderHandler(s, c, nil),
		dispatch: commands.NewDispatchWorkOrderHandler(s, c, nil),
		start:    commands.NewStartWorkOrderHandler(s, c, nil),
		followUp: commands.NewFollowUpWorkOrderHandler(s, c, nil),
		complete: commands.NewCompleteWorkOrderHandler(s, c, nil),
		confirm:  commands.NewConfirmWorkOrderHandler(s, c, nil, testKeys()),
		visit:    commands.NewReturnVisitWorkOrderHandler(s, c, nil),
		close:    commands.NewCloseWorkOrderHandler(s, c, nil),
		rain:     commands.NewRecordRainyDayHandler(s, c, nil),
		sla:      commands.NewRecordSLABreachHandler(s, c, nil),
		overdue:  commands.NewRecordReturnVisitOverdueHandler(s, c, nil),
		verify:   commands.NewVerifyWorkOrderReturnVisitHandler(s, c, nil),
		rainLate: commands.NewRecordAfterRainVisitOverdueHandler(s, c, nil),
	}
}

// completed registers a work order and takes it through dispatch, start
// and completion.
func (h *workOrderHandlers) completed(t *testing.T, cmd commands.RegisterWorkOrder) string {
	t.Helper()
	ctx := context.Background()
	res, err := h.register.Handle(ctx, as(butler), cmd)
	if err != nil {
		t.Fatal(err)
	}
	id := res.ID
	if _, err := h.dispatch.Handle(ctx, as(butler), commands.DispatchWorkOrder{WorkOrderID: id, Assignee: "e1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.start.Handle(ctx, as(engineer), commands.StartWorkOrder{WorkOrderID: id}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.complete.Handle(ctx, as(engineer), commands.CompleteWorkOrder{WorkOrderID: id, Result: "更换密封圈"}); err != nil {
		t.Fatal(err)
	}
	return id
}

func types(recs []event.Recorded) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Type
	}
	return out
}

func TestLeakRepairWaitsForRain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newWorkOrderHandlers()
	id := h.completed(t, commands.RegisterWorkOrder{Unit: "3-2-1201", Description: "卫生间渗水", Area: "unit", Warranty: "in", Leak: true})
	visit := commands.ReturnVisitWorkOrder{WorkOrderID: id, Channel: "phone", Satisfaction: 5}

	// R-W4: an in-home repair needs the owner's signature first.
	_, err := h.visit.Handle(ctx, as(butler), visit)
	wantErr(t, err, apperr.Unprocessable, "owner_confirmation_missing")
	if _, err := h.confirm.Handle(ctx, as(engineer), commands.ConfirmWorkOrder{WorkOrderID: id, SignedBy: "王女士"}); err != nil {
		t.Fatal(err)
	}
	// R-W5: no rainy day after the repair yet.
	_, err = h.visit.Handle(ctx, as(butler), visit)
	wantErr(t, err, apperr.Unprocessable, "no_rain_since_completion")
	// Rain on the completion date itself does not prove the repair.
	if _, err := h.rain.Handle(ctx, as(butler), commands.RecordRainyDay{Date: "2026-07-01"}); err != nil {
		t.Fatal(err)
	}
	_, err = h.visit.Handle(ctx, as(butler), visit)
	wantErr(t, err, apperr.Unprocessable, "no_rain_since_completion")

	h.clock.Advance(30 * time.Hour) // 2026-07-02 15:00 CST
	_, err = h.rain.Handle(ctx, as(butler), commands.RecordRainyDay{Date: "2026-07-03"})
	wantErr(t, err, apperr.Unprocessable, "date_in_future")
	res, err := h.rain.Handle(ctx, as(supervisor), commands.RecordRainyDay{Date: "2026-07-02"})
	if err != nil || res.ID != "p1" || res.Revision != 1 {
		t.Fatalf("rainy day: %+v %v", res, err)
	}
	_, err = h.rain.Handle(ctx, as(operator), commands.RecordRainyDay{Date: "2026-07-02"})
	wantErr(t, err, apperr.Unprocessable, "duplicate_date")
	_, err = h.rain.Handle(ctx, as(butler), commands.RecordRainyDay{Date: "2 July"})
	wantErr(t, err, apperr.BadRequest, "invalid_input")
	_, err = h.rain.Handle(ctx, as(cashier), commands.RecordRainyDay{Date: "2026-07-01"})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")

	if _, err := h.visit.Handle(ctx, as(butler), visit); err != nil {
		t.Fatal(err)
	}
	if _, err := h.close.Handle(ctx, as(butler), commands.CloseWorkOrder{WorkOrderID: id}); err != nil {
		t.Fatal(err)
	}
	recs := h.store.stream(workorder.Stream(id))
	want := []string{"workorder.registered.v1", "workorder.dispatched.v1", "workorder.started.v1", "workorder.completed.v1",
		"workorder.owner_confirmed.v2", "workorder.return_visited.v2", "workorder.closed.v1"}
	if got := types(recs); len(got) != len(want) || got[5] != want[5] || got[6] != want[6] {
		t.Fatalf("events %v, want %v", got, want)
	}
	var rv struct {
		AfterRainyDay string `json:"after_rainy_day"`
	}
	if err := json.Unmarshal(recs[5].Data, &rv); err != nil || rv.AfterRainyDay != "2026-07-02" {
		t.Fatalf("return visit %s", recs[5].Data)
	}
	if a := recs[2].Meta.Actor; a.Role != "engineer" || a.StaffID != "e1" {
		t.Fatalf("start actor %+v", a)
	}
	rain := h.store.stream(rainyday.Stream("p1"))
	if len(rain) != 2 || rain[1].Type != "rainyday.recorded.v1" || rain[1].Meta.Project != "p1" || rain[1].Meta.District != "" {
		t.Fatalf("rainy-day stream %v", types(rain))
	}
}

func TestWorkOrderRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newWorkOrderHandlers()

	_, err := h.register.Handle(ctx, as(butler), commands.RegisterWorkOrder{Area: "unit", Warranty: "maybe"})
	e := wantErr(t, err, apperr.BadRequest, "invalid_input")
	for _, f := range []string{"description", "unit", "warranty"} {
		if _, ok := e.Fields[f]; !ok {
			t.Errorf("field %s not reported: %v", f, e.Fields)
		}
	}
	_, err = h.register.Handle(ctx, as(manager), commands.RegisterWorkOrder{Description: "路灯不亮", Area: "public", Warranty: "out"})
	e = wantErr(t, err, apperr.BadRequest, "invalid_input")
	if _, ok := e.Fields["district"]; !ok {
		t.Fatalf("district not reported: %v", e.Fields)
	}
	_, err = h.register.Handle(ctx, as(engineer), commands.RegisterWorkOrder{Description: "x", Area: "public", Warranty: "out"})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")

	res, err := h.register.Handle(ctx, as(butler), commands.RegisterWorkOrder{Unit: "1-1-101", Description: "水龙头漏水", Area: "unit", Warranty: "out", Paid: true})
	if err != nil {
		t.Fatal(err)
	}
	id := res.ID
	tests := []struct {
		name string
		run  func() (commands.Result, error)
		kind apperr.Kind
		code string
	}{
		{"unknown work order", func() (commands.Result, error) {
			return h.start.Handle(ctx, as(engineer), commands.StartWorkOrder{WorkOrderID: "missing"})
		}, apperr.NotFound, "not_found"},
		{"start before dispatch", func() (commands.Result, error) {
			return h.start.Handle(ctx, as(engineer), commands.StartWorkOrder{WorkOrderID: id})
		}, apperr.Unprocessable, "not_dispatched"},
		{"cashier may not dispatch", func() (commands.Result, error) {
			return h.dispatch.Handle(ctx, as(cashier), commands.DispatchWorkOrder{WorkOrderID: id, Assignee: "e1"})
		}, apperr.Forbidden, "forbidden_role"},
		{"butler of another district", func() (commands.Result, error) {
			return h.dispatch.Handle(ctx, as(butlerD2), commands.DispatchWorkOrder{WorkOrderID: id, Assignee: "e1"})
		}, apperr.Forbidden, "forbidden_scope"},
		{"stale If-Match", func() (commands.Result, error) {
			return h.dispatch.Handle(ctx, commands.Meta{Principal: butler, IfMatch: rev(7)}, commands.DispatchWorkOrder{WorkOrderID: id, Assignee: "e1"})
		}, apperr.PreconditionFailed, "precondition_failed"},
		{"close before anything", func() (commands.Result, error) {
			return h.close.Handle(ctx, as(butler), commands.CloseWorkOrder{WorkOrderID: id})
		}, apperr.Unprocessable, "owner_confirmation_missing"},
		{"confirm before completion", func() (commands.Result, error) {
			return h.confirm.Handle(ctx, as(butler), commands.ConfirmWorkOrder{WorkOrderID: id, SignedBy: "x"})
		}, apperr.Unprocessable, "not_completed"},
		{"return visit by sms", func() (commands.Result, error) {
			return h.visit.Handle(ctx, as(butler), commands.ReturnVisitWorkOrder{WorkOrderID: id, Channel: "sms", Satisfaction: 4})
		}, apperr.BadRequest, "invalid_input"},
		{"engineer may not make the return visit", func() (commands.Result, error) {
			return h.visit.Handle(ctx, as(engineer), commands.ReturnVisitWorkOrder{WorkOrderID: id, Channel: "phone", Satisfaction: 4})
		}, apperr.Forbidden, "forbidden_role"},
	}
	for _, tt := range tests {
		_, err := tt.run()
		if err == nil {
			t.Errorf("%s: accepted", tt.name)
			continue
		}
		var e *apperr.Error
		if !asAppErr(err, &e) || e.Kind != tt.kind || e.Code != tt.code {
			t.Errorf("%s: err = %v, want kind %d code %s", tt.name, err, tt.kind, tt.code)
		}
	}
	if n := len(h.store.stream(workorder.Stream(id))); n != 1 {
		t.Fatalf("refused commands appended events: %d", n)
	}
}

// R-W4: a public-area repair has no owner to sign it: the district's
// butler or a supervisor signs it off after repair, never the engineer or
// whoever did the work, and without it there is no return visit or close.
func TestPublicRepairSignedOffByButlerOrSupervisor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newWorkOrderHandlers()
	id := h.completed(t, commands.RegisterWorkOrder{Description: "单元门禁损坏", Area: "public", Warranty: "out"})
	_, err := h.visit.Handle(ctx, as(butler), commands.ReturnVisitWorkOrder{WorkOrderID: id, Channel: "visit", Satisfaction: 4})
	wantErr(t, err, apperr.Unprocessable, "public_signoff_missing")
	_, err = h.close.Handle(ctx, as(butler), commands.CloseWorkOrder{WorkOrderID: id})
	wantErr(t, err, apperr.Unprocessable, "public_signoff_missing")
	_, err = h.confirm.Handle(ctx, as(engineer), commands.ConfirmWorkOrder{WorkOrderID: id, SignedBy: "工程部"})
	wantErr(t, err, apperr.Unprocessable, "public_signoff_role")
	// The repair was dispatched to e1: a butler account of the same id did the work.
	_, err = h.confirm.Handle(ctx, as(commands.Principal{StaffID: "e1", Role: commands.RoleButler, Project: "p1", District: "d1"}),
		commands.ConfirmWorkOrder{WorkOrderID: id})
	wantErr(t, err, apperr.Unprocessable, "signoff_by_repairer")
	if _, err := h.confirm.Handle(ctx, as(butler), commands.ConfirmWorkOrder{WorkOrderID: id}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.visit.Handle(ctx, as(butler), commands.ReturnVisitWorkOrder{WorkOrderID: id, Channel: "visit", Satisfaction: 4}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.close.Handle(ctx, as(butler), commands.CloseWorkOrder{WorkOrderID: id}); err != nil {
		t.Fatal(err)
	}
	recs := h.store.stream(workorder.Stream(id))
	var off workorder.SignedOff
	if recs[4].Type != "workorder.signed_off.v1" || json.Unmarshal(recs[4].Data, &off) != nil || off.StaffID != "b1" || off.Role != "butler" {
		t.Fatalf("sign-off %s %s", recs[4].Type, recs[4].Data)
	}
	// A supervisor signs off too.
	id2 := h.completed(t, commands.RegisterWorkOrder{Description: "路灯不亮", Area: "public", Warranty: "out", District: "d1"})
	if _, err := h.confirm.Handle(ctx, as(supervisor), commands.ConfirmWorkOrder{WorkOrderID: id2}); err != nil {
		t.Fatal(err)
	}
}

// R-W5: an urgent leak repair's 24 h return visit is made without rain;
// its after-rain visit waits for the first rain after the repair, which
// may be recorded the same day once it rains after the repair.
func TestUrgentLeakRepairHasBothReturnVisits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newWorkOrderHandlers()
	id := h.completed(t, commands.RegisterWorkOrder{Unit: "3-2-1201", Description: "顶楼卫生间渗水", Area: "unit", Warranty: "in", Urgent: true, Leak: true})
	_, err := h.confirm.Handle(ctx, as(engineer), commands.ConfirmWorkOrder{WorkOrderID: id})
	wantErr(t, err, apperr.BadRequest, "invalid_input") // an in-home repair names who signed
	if _, err := h.confirm.Handle(ctx, as(engineer), commands.ConfirmWorkOrder{WorkOrderID: id, SignedBy: "王女士"}); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(2 * time.Hour)
	if _, err := h.visit.Handle(ctx, as(butler), commands.ReturnVisitWorkOrder{WorkOrderID: id, Channel: "phone", Satisfaction: 5}); err != nil {
		t.Fatalf("the urgent visit waited for rain: %v", err)
	}
	_, err = h.close.Handle(ctx, as(butler), commands.CloseWorkOrder{WorkOrderID: id})
	wantErr(t, err, apperr.Unprocessable, "return_visit_missing")
	_, err = h.visit.Handle(ctx, as(butler), commands.ReturnVisitWorkOrder{WorkOrderID: id, Kind: "after_rain", Channel: "visit", Satisfaction: 5})
	wantErr(t, err, apperr.Unprocessable, "no_rain_since_completion")
	_, err = h.visit.Handle(ctx, as(butler), commands.ReturnVisitWorkOrder{WorkOrderID: id, Kind: "urgent_24h", Channel: "visit", Satisfaction: 5})
	wantErr(t, err, apperr.Unprocessable, "return_visit_already_recorded")
	_, err = h.visit.Handle(ctx, as(butler), commands.ReturnVisitWorkOrder{WorkOrderID: id, Kind: "weekly", Channel: "visit", Satisfaction: 5})
	wantErr(t, err, apperr.BadRequest, "invalid_input")
	// It rains the same evening: today's rainy day, recorded after the repair, counts.
	h.clock.Advance(time.Hour)
	if _, err := h.rain.Handle(ctx, as(butler), commands.RecordRainyDay{Date: h.clock.Now().Format(time.DateOnly)}); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Hour)
	if _, err := h.visit.Handle(ctx, as(butler), commands.ReturnVisitWorkOrder{WorkOrderID: id, Channel: "visit", Satisfaction: 4, Comment: "雨后检查无渗漏"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.close.Handle(ctx, as(butler), commands.CloseWorkOrder{WorkOrderID: id}); err != nil {
		t.Fatal(err)
	}
	recs := h.store.stream(workorder.Stream(id))
	var kinds []string
	for _, r := range recs {
		if r.Type == "workorder.return_visited.v2" {
			var v workorder.ReturnVisitedV2
			if err := json.Unmarshal(r.Data, &v); err != nil {
				t.Fatal(err)
			}
			for _, k := range v.Kinds {
				kinds = append(kinds, string(k))
			}
		}
	}
	if strings.Join(kinds, ",") != "urgent_24h,after_rain" {
		t.Fatalf("visits made %v", kinds)
	}
}

// R-W7: the supervisor verifies a return visit, closed or not; nobody else does.
func TestVerifyWorkOrderReturnVisit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newWorkOrderHandlers()
	id := h.completed(t, commands.RegisterWorkOrder{Unit: "1-1-101", Description: "换锁", Area: "unit", Warranty: "out", Paid: true})
	verify := commands.VerifyWorkOrderReturnVisit{WorkOrderID: id, Method: "call_back", Result: "ok"}
	_, err := h.verify.Handle(ctx, as(supervisor), verify)
	wantErr(t, err, apperr.Unprocessable, "no_return_visit_to_verify")
	if _, err := h.confirm.Handle(ctx, as(engineer), commands.ConfirmWorkOrder{WorkOrderID: id, SignedBy: "李先生"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.visit.Handle(ctx, as(butler), commands.ReturnVisitWorkOrder{WorkOrderID: id, Channel: "phone", Satisfaction: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.close.Handle(ctx, as(butler), commands.CloseWorkOrder{WorkOrderID: id}); err != nil {
		t.Fatal(err)
	}
	_, err = h.verify.Handle(ctx, as(butler), verify)
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	_, err = h.verify.Handle(ctx, as(supervisor), commands.VerifyWorkOrderReturnVisit{WorkOrderID: id, Method: "call_back", Result: "false"})
	wantErr(t, err, apperr.Unprocessable, "verification_note_missing")
	_, err = h.verify.Handle(ctx, as(supervisor), commands.VerifyWorkOrderReturnVisit{WorkOrderID: id, Method: "guess", Result: "ok"})
	wantErr(t, err, apperr.Unprocessable, "unknown_verification_method")
	if _, err := h.verify.Handle(ctx, as(supervisor), commands.VerifyWorkOrderReturnVisit{WorkOrderID: id, Method: "recording", Result: "false", Note: "录音中无此通话"}); err != nil {
		t.Fatal(err)
	}
	recs := h.store.stream(workorder.Stream(id))
	last := recs[len(recs)-1]
	if last.Type != "workorder.return_visit_verified.v1" || last.Meta.Actor.Role != "supervisor" {
		t.Fatalf("verification %s %+v", last.Type, last.Meta.Actor)
	}
}

func TestSLABreachPolicy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newWorkOrderHandlers()
	res, err := h.register.Handle(ctx, as(butler), commands.RegisterWorkOrder{Unit: "1-1-101", Description: "门锁坏", Area: "unit", Warranty: "in"})
	if err != nil {
		t.Fatal(err)
	}
	id := res.ID
	m := commands.Meta{} // no principal: policies act as the system

	h.clock.Advance(72*time.Hour - time.Minute)
	pr, err := h.sla.Handle(ctx, m, commands.RecordSLABreach{WorkOrderID: id})
	if err != nil || pr.Recorded || pr.Revision != 0 {
		t.Fatalf("before 3 days: %+v %v", pr, err)
	}
	h.clock.Advance(time.Minute)
	pr, err = h.sla.Handle(ctx, m, commands.RecordSLABreach{WorkOrderID: id})
	if err != nil || !pr.Recorded || pr.Revision != 1 || pr.ID != id {
		t.Fatalf("at 3 days: %+v %v", pr, err)
	}
	h.clock.Advance(time.Hour)
	pr, err = h.sla.Handle(ctx, m, commands.RecordSLABreach{WorkOrderID: id})
	if err != nil || pr.Recorded || pr.Revision != 1 {
		t.Fatalf("again: %+v %v", pr, err)
	}
	recs := h.store.stream(workorder.Stream(id))
	last := recs[len(recs)-1]
	if len(recs) != 2 || last.Type != "workorder.sla_breached.v1" || last.Meta.Actor != event.System ||
		last.Meta.Project != "p1" || last.Meta.District != "d1" {
		t.Fatalf("breach event %v %+v", types(recs), last.Meta)
	}
	// The breach is caused by the event the rule judged, the registration, and joins its chain.
	if last.Meta.CausationID != recs[0].ID || last.Meta.CorrelationID != recs[0].Meta.CorrelationID || last.Meta.CorrelationID != "corr-1" {
		t.Fatalf("breach event's causation %q and correlation %q, want the registration's %q and %q",
			last.Meta.CausationID, last.Meta.CorrelationID, recs[0].ID, recs[0].Meta.CorrelationID)
	}

	// A communication with the owner within 3 days keeps the SLA.
	res, err = h.register.Handle(ctx, as(butler), commands.RegisterWorkOrder{Unit: "1-1-102", Description: "门锁坏", Area: "unit", Warranty: "in"})
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(48 * time.Hour)
	if _, err := h.followUp.Handle(ctx, as(butler), commands.FollowUpWorkOrder{WorkOrderID: res.ID, Channel: "phone", Note: "配件周五到"}); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(48 * time.Hour)
	pr, err = h.sla.Handle(ctx, m, commands.RecordSLABreach{WorkOrderID: res.ID})
	if err != nil || pr.Recorded {
		t.Fatalf("with communication: %+v %v", pr, err)
	}

	_, err = h.sla.Handle(ctx, m, commands.RecordSLABreach{WorkOrderID: "missing"})
	wantErr(t, err, apperr.NotFound, "not_found")
}

func TestReturnVisitOverduePolicy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newWorkOrderHandlers()
	id := h.completed(t, commands.RegisterWorkOrder{Description: "电梯异响", Area: "public", Warranty: "in", Urgent: true})
	m := commands.Meta{}

	h.clock.Advance(23 * time.Hour)
	pr, err := h.overdue.Handle(ctx, m, commands.RecordReturnVisitOverdue{WorkOrderID: id})
	if err != nil || pr.Recorded {
		t.Fatalf("within 24 h: %+v %v", pr, err)
	}
	h.clock.Advance(time.Hour)
	pr, err = h.overdue.Handle(ctx, m, commands.RecordReturnVisitOverdue{WorkOrderID: id})
	if err != nil || !pr.Recorded || pr.Revision != 4 {
		t.Fatalf("at 24 h: %+v %v", pr, err)
	}
	pr, err = h.overdue.Handle(ctx, m, commands.RecordReturnVisitOverdue{WorkOrderID: id})
	if err != nil || pr.Recorded || pr.Revision != 4 {
		t.Fatalf("again: %+v %v", pr, err)
	}
	recs := h.store.stream(workorder.Stream(id))
	last := recs[len(recs)-1]
	if last.Type != "workorder.return_visit_overdue.v1" || last.Meta.Actor != event.System || last.Meta.CorrelationID == "" {
		t.Fatalf("overdue event %s %+v", last.Type, last.Meta)
	}
}

// R-W5: a leak repair's after-rain visit is due by the end of the third
// day after the first rain following the repair; the policy records it
// once, and never before it has rained.
func TestAfterRainVisitOverduePolicy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newWorkOrderHandlers()
	id := h.completed(t, commands.RegisterWorkOrder{Unit: "3-2-1201", Description: "外墙渗水", Area: "unit", Warranty: "in", Leak: true})
	m := commands.Meta{}
	h.clock.Advance(10 * 24 * time.Hour) // 2026-07-11 09:00 CST, no rain yet
	pr, err := h.rainLate.Handle(ctx, m, commands.RecordAfterRainVisitOverdue{WorkOrderID: id})
	if err != nil || pr.Recorded {
		t.Fatalf("before any rain: %+v %v", pr, err)
	}
	if _, err := h.rain.Handle(ctx, as(butler), commands.RecordRainyDay{Date: "2026-07-11"}); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(3*24*time.Hour + 14*time.Hour) // 2026-07-14 23:00 CST: still the third day after the rain
	pr, err = h.rainLate.Handle(ctx, m, commands.RecordAfterRainVisitOverdue{WorkOrderID: id})
	if err != nil || pr.Recorded {
		t.Fatalf("within three days of the rain: %+v %v", pr, err)
	}
	h.clock.Advance(time.Hour) // 2026-07-15 00:00 CST
	pr, err = h.rainLate.Handle(ctx, m, commands.RecordAfterRainVisitOverdue{WorkOrderID: id})
	if err != nil || !pr.Recorded {
		t.Fatalf("three days after the rain: %+v %v", pr, err)
	}
	pr, err = h.rainLate.Handle(ctx, m, commands.RecordAfterRainVisitOverdue{WorkOrderID: id})
	if err != nil || pr.Recorded {
		t.Fatalf("again: %+v %v", pr, err)
	}
	recs := h.store.stream(workorder.Stream(id))
	last := recs[len(recs)-1]
	var e workorder.AfterRainVisitOverdue
	if last.Type != "workorder.after_rain_visit_overdue.v1" || last.Meta.Actor != event.System ||
		json.Unmarshal(last.Data, &e) != nil || e.RainyDay != "2026-07-11" {
		t.Fatalf("overdue event %s %s", last.Type, last.Data)
	}
}
