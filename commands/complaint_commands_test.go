package commands_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
	"github.com/butler-pm/butler/infra/personal"
)

var start = time.Date(2026, 7, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

var (
	butler     = commands.Principal{StaffID: "b1", Role: commands.RoleButler, Project: "p1", District: "d1"}
	butlerD2   = commands.Principal{StaffID: "b2", Role: commands.RoleButler, Project: "p1", District: "d2"}
	supervisor = commands.Principal{StaffID: "s1", Role: commands.RoleSupervisor, Project: "p1"}
	manager    = commands.Principal{StaffID: "m1", Role: commands.RoleProjectManager, Project: "p1"}
	otherSup   = commands.Principal{StaffID: "s9", Role: commands.RoleSupervisor, Project: "p2"}
	cashier    = commands.Principal{StaffID: "c1", Role: commands.RoleCashier, Project: "p1", District: "d1"}
	engineer   = commands.Principal{StaffID: "e1", Role: commands.RoleEngineer, Project: "p1", District: "d1"}
	operator   = commands.Principal{StaffID: "o1", Role: commands.RoleOperator, Project: "p1", District: "d1"}
)

func as(p commands.Principal) commands.Meta {
	return commands.Meta{Principal: p, CorrelationID: "corr-1"}
}

func rev(r uint64) *uint64 { return &r }

// complaintHandlers wires every complaint handler to one store and clock.
type complaintHandlers struct {
	store    *memStore
	clock    *clock
	keys     *personal.Sealer
	register commands.RegisterComplaintHandler
	dispatch commands.DispatchComplaintHandler
	followUp commands.FollowUpComplaintHandler
	delay    commands.ExplainComplaintDelayHandler
	resolve  commands.ResolveComplaintHandler
	visit    commands.ReturnVisitComplaintHandler
	close    commands.CloseComplaintHandler
	escalate commands.EscalateComplaintHandler
	flag     commands.FlagComplaintRiskHandler
}

func newComplaintHandlers() *complaintHandlers {
	s, c, k := newMemStore(), &clock{now: start}, testKeys()
	return &complaintHandlers{store: s, clock: c, keys: k,
		register: commands.NewRegisterComplaintHandler(s, c, nil, k),
		dispatch: commands.NewDispatchComplaintHandler(s, c, nil),
		followUp: commands.NewFollowUpComplaintHandler(s, c, nil),
		delay:    commands.NewExplainComplaintDelayHandler(s, c, nil),
		resolve:  commands.NewResolveComplaintHandler(s, c, nil),
		visit:    commands.NewReturnVisitComplaintHandler(s, c, nil),
		close:    commands.NewCloseComplaintHandler(s, c, nil),
		escalate: commands.NewEscalateComplaintHandler(s, c, nil),
		flag:     commands.NewFlagComplaintRiskHandler(s, c, nil),
	}
}

var valid = true

var aComplaint = commands.RegisterComplaint{Unit: "3-2-1201", Owner: "王女士", Phone: "13800000000",
	Category: "噪音", Description: "楼上装修噪音", Soothing: "已致歉，承诺今日处理"}

func (h *complaintHandlers) registered(t *testing.T) string {
	t.Helper()
	res, err := h.register.Handle(context.Background(), as(butler), aComplaint)
	if err != nil {
		t.Fatal(err)
	}
	return res.ID
}

// wantErr checks an application error's kind and code.
func wantErr(t *testing.T, err error, kind apperr.Kind, code string) *apperr.Error {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *apperr.Error %s", err, code)
	}
	if e.Kind != kind || e.Code != code {
		t.Fatalf("err = kind %d code %q (%v), want kind %d code %q", e.Kind, e.Code, e, kind, code)
	}
	return e
}

func TestComplaintFlowThroughHandlers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newComplaintHandlers()
	res, err := h.register.Handle(ctx, as(butler), aComplaint)
	if err != nil {
		t.Fatal(err)
	}
	if res.Revision != 0 {
		t.Fatalf("revision after register = %d", res.Revision)
	}
	if u, err := uuid.Parse(res.ID); err != nil || u.Version() != 7 {
		t.Fatalf("complaint id %q is not a UUIDv7", res.ID)
	}
	id := res.ID
	steps := []func() (commands.Result, error){
		func() (commands.Result, error) {
			return h.dispatch.Handle(ctx, as(butler), commands.DispatchComplaint{ComplaintID: id, Assignee: "eng-3"})
		},
		func() (commands.Result, error) {
			return h.followUp.Handle(ctx, as(butler), commands.FollowUpComplaint{ComplaintID: id, Channel: "phone", Note: "告知进度"})
		},
		func() (commands.Result, error) {
			return h.delay.Handle(ctx, as(butler), commands.ExplainComplaintDelay{ComplaintID: id, Reason: "等配件", ExpectedBy: "2026-07-03"})
		},
		func() (commands.Result, error) {
			return h.resolve.Handle(ctx, as(butler), commands.ResolveComplaint{ComplaintID: id, Resolution: "已协调", Valid: &valid, ValidityReason: "噪音属实"})
		},
	}
	for i, step := range steps {
		res, err := step()
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if res.ID != id || res.Revision != uint64(i+1) {
			t.Fatalf("step %d: result %+v", i, res)
		}
	}
	// R-C1: no close before the return visit.
	_, err = h.close.Handle(ctx, as(butler), commands.CloseComplaint{ComplaintID: id})
	e := wantErr(t, err, apperr.Unprocessable, "return_visit_missing")
	if e.Message == "" {
		t.Fatal("domain error without message")
	}
	if _, err := h.visit.Handle(ctx, as(supervisor), commands.ReturnVisitComplaint{ComplaintID: id, Channel: "phone", Satisfaction: 5, Comment: "满意"}); err != nil {
		t.Fatal(err)
	}
	res, err = h.close.Handle(ctx, commands.Meta{Principal: butler, IfMatch: rev(5)}, commands.CloseComplaint{ComplaintID: id})
	if err != nil || res.Revision != 6 {
		t.Fatalf("close: %+v %v", res, err)
	}
	_, err = h.followUp.Handle(ctx, as(butler), commands.FollowUpComplaint{ComplaintID: id, Channel: "visit", Note: "x"})
	wantErr(t, err, apperr.Unprocessable, "closed")

	recs := h.store.stream(complaint.Stream(id))
	wantTypes := []string{"complaint.registered.v2", "complaint.dispatched.v1", "complaint.communication_recorded.v1",
		"complaint.delay_explained.v1", "complaint.resolved.v2", "complaint.return_visited.v1", "complaint.closed.v1"}
	if len(recs) != len(wantTypes) {
		t.Fatalf("%d events, want %d", len(recs), len(wantTypes))
	}
	for i, r := range recs {
		if r.Type != wantTypes[i] {
			t.Fatalf("event %d type %s, want %s", i, r.Type, wantTypes[i])
		}
		if u, err := uuid.Parse(r.ID); err != nil || u.Version() != 7 {
			t.Fatalf("event id %q is not a UUIDv7", r.ID)
		}
		if r.Meta.Project != "p1" || r.Meta.District != "d1" || !r.Meta.OccurredAt.Equal(start) {
			t.Fatalf("event %d meta %+v", i, r.Meta)
		}
	}
	if got := recs[0].Meta; got.Actor != (event.Actor{StaffID: "b1", Role: "butler"}) || got.CorrelationID != "corr-1" || got.CausationID != "corr-1" {
		t.Fatalf("registered meta %+v", got)
	}
	if got := recs[5].Meta.Actor; got.Role != "supervisor" {
		t.Fatalf("return visit actor %+v", got)
	}
	// No correlation id given: one is made, and the command causes its events.
	if recs[6].Meta.CorrelationID == "" || recs[6].Meta.CausationID != recs[6].Meta.CorrelationID {
		t.Fatalf("close meta %+v", recs[6].Meta)
	}
	var reg map[string]any
	if err := json.Unmarshal(recs[0].Data, &reg); err != nil || reg["soothing"] != aComplaint.Soothing || reg["owner"] != nil || reg["phone"] != nil {
		t.Fatalf("registered data %s: want no owner, no phone", recs[0].Data)
	}
	// The owner and phone went to the household, sealed (R-D3).
	hh := household.Stream("p1", aComplaint.Unit)
	hrecs := h.store.stream(hh)
	if len(hrecs) != 1 || hrecs[0].Type != household.TypeContactRecorded || strings.Contains(string(hrecs[0].Data), "王女士") ||
		strings.Contains(string(hrecs[0].Data), "13800000000") {
		t.Fatalf("household stream %v", hrecs)
	}
	p, _ := household.Decode(hrecs[0].Type, hrecs[0].Data)
	plain, err := h.keys.Open(ctx, hh, p.(household.ContactRecorded).Contact)
	if err != nil || string(plain) != `{"owner":"王女士","phones":["13800000000"]}` {
		t.Fatalf("the sealed contact opens to %s, %v", plain, err)
	}
	var delay struct {
		ExpectedBy time.Time `json:"expected_by"`
	}
	if err := json.Unmarshal(recs[3].Data, &delay); err != nil || !delay.ExpectedBy.Equal(time.Date(2026, 7, 3, 23, 59, 59, 0, start.Location())) {
		t.Fatalf("a date means the end of that day in the clock's zone: %s", recs[3].Data)
	}
}

func TestRegisterComplaintValidationAndScope(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newComplaintHandlers()

	_, err := h.register.Handle(ctx, as(butler), commands.RegisterComplaint{Unit: "1-1-101"})
	e := wantErr(t, err, apperr.BadRequest, "invalid_input")
	for _, f := range []string{"owner", "phone", "category", "description", "soothing"} {
		if _, ok := e.Fields[f]; !ok {
			t.Errorf("field %s not reported: %v", f, e.Fields)
		}
	}
	if _, ok := e.Fields["unit"]; ok {
		t.Error("unit was given but reported")
	}

	// A project-wide principal must say which district.
	_, err = h.register.Handle(ctx, as(supervisor), aComplaint)
	e = wantErr(t, err, apperr.BadRequest, "invalid_input")
	if _, ok := e.Fields["district"]; !ok {
		t.Fatalf("district not reported: %v", e.Fields)
	}
	withDistrict := aComplaint
	withDistrict.District = "d7"
	res, err := h.register.Handle(ctx, as(supervisor), withDistrict)
	if err != nil {
		t.Fatal(err)
	}
	if m := h.store.stream(complaint.Stream(res.ID))[0].Meta; m.Project != "p1" || m.District != "d7" {
		t.Fatalf("supervisor's complaint scope %+v", m)
	}

	// A butler registers in their own district only.
	otherDistrict := aComplaint
	otherDistrict.District = "d2"
	_, err = h.register.Handle(ctx, as(butler), otherDistrict)
	wantErr(t, err, apperr.Forbidden, "forbidden_scope")

	_, err = h.register.Handle(ctx, as(cashier), aComplaint)
	wantErr(t, err, apperr.Forbidden, "forbidden_role")

	// The command centre serves the whole project, so it names the district.
	fromCentre := aComplaint
	fromCentre.District = "d1"
	if _, err := h.register.Handle(ctx, as(operator), fromCentre); err != nil {
		t.Fatalf("the command centre registers complaints: %v", err)
	}
}

func TestComplaintCommandRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newComplaintHandlers()
	id := h.registered(t)

	tests := []struct {
		name string
		run  func() (commands.Result, error)
		kind apperr.Kind
		code string
	}{
		{"unknown complaint", func() (commands.Result, error) {
			return h.dispatch.Handle(ctx, as(butler), commands.DispatchComplaint{ComplaintID: "nope", Assignee: "x"})
		}, apperr.NotFound, "not_found"},
		{"missing assignee", func() (commands.Result, error) {
			return h.dispatch.Handle(ctx, as(butler), commands.DispatchComplaint{ComplaintID: id})
		}, apperr.BadRequest, "invalid_input"},
		{"butler of another district", func() (commands.Result, error) {
			return h.dispatch.Handle(ctx, as(butlerD2), commands.DispatchComplaint{ComplaintID: id, Assignee: "x"})
		}, apperr.Forbidden, "forbidden_scope"},
		{"supervisor of another project", func() (commands.Result, error) {
			return h.dispatch.Handle(ctx, as(otherSup), commands.DispatchComplaint{ComplaintID: id, Assignee: "x"})
		}, apperr.Forbidden, "forbidden_scope"},
		{"engineer may not resolve complaints", func() (commands.Result, error) {
			return h.resolve.Handle(ctx, as(engineer), commands.ResolveComplaint{ComplaintID: id, Resolution: "x", Valid: &valid, ValidityReason: "x"})
		}, apperr.Forbidden, "forbidden_role"},
		{"stale If-Match", func() (commands.Result, error) {
			return h.dispatch.Handle(ctx, commands.Meta{Principal: butler, IfMatch: rev(3)}, commands.DispatchComplaint{ComplaintID: id, Assignee: "x"})
		}, apperr.PreconditionFailed, "precondition_failed"},
		{"resolve before dispatch", func() (commands.Result, error) {
			return h.resolve.Handle(ctx, as(butler), commands.ResolveComplaint{ComplaintID: id, Resolution: "x", Valid: &valid, ValidityReason: "x"})
		}, apperr.Unprocessable, "not_dispatched"},
		{"unknown follow-up channel", func() (commands.Result, error) {
			return h.followUp.Handle(ctx, as(butler), commands.FollowUpComplaint{ComplaintID: id, Channel: "fax", Note: "x"})
		}, apperr.BadRequest, "invalid_input"},
		{"R-C2 expected completion in the past", func() (commands.Result, error) {
			return h.delay.Handle(ctx, as(butler), commands.ExplainComplaintDelay{ComplaintID: id, Reason: "x", ExpectedBy: "2026-06-30T10:00:00+08:00"})
		}, apperr.Unprocessable, "expected_by_not_future"},
		{"unreadable expected_by", func() (commands.Result, error) {
			return h.delay.Handle(ctx, as(butler), commands.ExplainComplaintDelay{ComplaintID: id, Reason: "x", ExpectedBy: "next week"})
		}, apperr.BadRequest, "invalid_input"},
		{"return visit before resolution", func() (commands.Result, error) {
			return h.visit.Handle(ctx, as(butler), commands.ReturnVisitComplaint{ComplaintID: id, Channel: "visit", Satisfaction: 3})
		}, apperr.Unprocessable, "not_resolved"},
		{"satisfaction out of range", func() (commands.Result, error) {
			return h.visit.Handle(ctx, as(butler), commands.ReturnVisitComplaint{ComplaintID: id, Channel: "visit", Satisfaction: 0})
		}, apperr.BadRequest, "invalid_input"},
	}
	for _, tt := range tests {
		_, err := tt.run()
		if err == nil {
			t.Errorf("%s: accepted", tt.name)
			continue
		}
		var e *apperr.Error
		if !errors.As(err, &e) || e.Kind != tt.kind || e.Code != tt.code {
			t.Errorf("%s: err = %v, want kind %d code %s", tt.name, err, tt.kind, tt.code)
		}
	}
	if n := len(h.store.stream(complaint.Stream(id))); n != 1 {
		t.Fatalf("refused commands appended events: %d in stream", n)
	}
	// The right If-Match goes through.
	if _, err := h.dispatch.Handle(ctx, commands.Meta{Principal: butler, IfMatch: rev(0)}, commands.DispatchComplaint{ComplaintID: id, Assignee: "x"}); err != nil {
		t.Fatal(err)
	}
}

func TestComplaintLostRaceIsAConflict(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newComplaintHandlers()
	id := h.registered(t)
	stream := complaint.Stream(id)
	raced := false
	h.store.mu.Lock()
	h.store.beforeAppend = func(s string) {
		if s != stream || raced {
			return
		}
		raced = true
		// Another writer lands between our read and our append.
		if _, err := h.store.Append(ctx, s, event.Any(), event.Event{ID: "racer", Type: "complaint.dispatched.v1", Data: []byte(`{"assignee":"r"}`)}); err != nil {
			t.Error(err)
		}
	}
	h.store.mu.Unlock()
	_, err := h.dispatch.Handle(ctx, as(butler), commands.DispatchComplaint{ComplaintID: id, Assignee: "x"})
	wantErr(t, err, apperr.Conflict, "conflict")
	if !errors.Is(err, event.ErrConflict) {
		t.Fatal("the conflict does not wrap event.ErrConflict")
	}
	if n := len(h.store.stream(stream)); n != 2 {
		t.Fatalf("%d events, want register + the racer's", n)
	}
}

func TestEscalationLevels(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newComplaintHandlers()
	id := h.registered(t)
	esc := commands.EscalateComplaint{ComplaintID: id, Reason: "重要投诉"}

	_, err := h.escalate.Handle(ctx, as(manager), esc)
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	if _, err := h.escalate.Handle(ctx, as(butler), esc); err != nil {
		t.Fatal(err)
	}
	// R-C5: only the supervisor passes it on to the project manager.
	_, err = h.escalate.Handle(ctx, as(butler), esc)
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	if _, err := h.escalate.Handle(ctx, as(supervisor), esc); err != nil {
		t.Fatal(err)
	}
	_, err = h.escalate.Handle(ctx, as(supervisor), esc)
	wantErr(t, err, apperr.Unprocessable, "already_at_top_level")

	recs := h.store.stream(complaint.Stream(id))
	levels := []string{}
	for _, r := range recs[1:] {
		var e struct {
			Level string `json:"level"`
		}
		_ = json.Unmarshal(r.Data, &e)
		levels = append(levels, r.Type+":"+e.Level)
	}
	want := []string{"complaint.escalated.v1:supervisor", "complaint.escalated.v1:project_manager"}
	if len(levels) != 2 || levels[0] != want[0] || levels[1] != want[1] {
		t.Fatalf("escalations = %v, want %v", levels, want)
	}
}

func TestRiskFlagWarnsTheProjectManager(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newComplaintHandlers()
	id := h.registered(t)
	if _, err := h.flag.Handle(ctx, as(butler), commands.FlagComplaintRisk{ComplaintID: id, Reason: "同楼栋十户联名"}); err != nil {
		t.Fatal(err)
	}
	_, err := h.flag.Handle(ctx, as(butler), commands.FlagComplaintRisk{ComplaintID: id, Reason: "again"})
	wantErr(t, err, apperr.Unprocessable, "risk_already_flagged")
	recs := h.store.stream(complaint.Stream(id))
	last := recs[len(recs)-1]
	var p struct {
		Reason string `json:"reason"`
		Warn   string `json:"warn"`
	}
	if err := json.Unmarshal(last.Data, &p); err != nil || last.Type != "complaint.risk_flagged.v1" || p.Warn != "project_manager" || p.Reason != "同楼栋十户联名" {
		t.Fatalf("risk event %s %s", last.Type, last.Data)
	}
}
