package commands_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee"
	"github.com/butler-pm/butler/domain/visit"
)

func TestVisitPlanRefusalsCarryTheNumbers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	plan := commands.NewPlanVisitsHandler(s, c, nil)
	hh := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("2-%03d", i+1)
		}
		return out
	}
	var appErr *apperr.Error
	// R-H1: no register of units, no plan: the count is not the caller's to give
	_, err := plan.Handle(ctx, as(butler), commands.PlanVisits{Month: "2026-07", Households: hh(16)})
	if !asAppErr(err, &appErr) || appErr.Code != "units_not_registered" {
		t.Fatalf("R-H1 plan without a register: %v", err)
	}
	registerUnits(t, s, c, "d1", hh(200)...)
	_, err = plan.Handle(ctx, as(butler), commands.PlanVisits{Month: "2026-07", Households: hh(1), DistrictHouseholds: 10})
	if !asAppErr(err, &appErr) || appErr.Fields["district_households"] == "" {
		t.Fatalf("R-H1 a caller's household count is refused: %v", err)
	}
	_, err = plan.Handle(ctx, as(butler), commands.PlanVisits{Month: "2026-07", Households: hh(15)})
	if !asAppErr(err, &appErr) || appErr.Code != "coverage_too_low" || !strings.Contains(appErr.Message, "15 of 200 households is 7.5%; at least 16") {
		t.Fatalf("R-H1 low coverage: %v", err)
	}
	_, err = plan.Handle(ctx, as(butler), commands.PlanVisits{Month: "2026-07", Households: append(hh(16), "2-001")})
	if !asAppErr(err, &appErr) || appErr.Code != "duplicate_household" || !strings.Contains(appErr.Message, "2-001") {
		t.Fatalf("R-H1 duplicate: %v", err)
	}
	_, err = plan.Handle(ctx, as(butler), commands.PlanVisits{Month: "2026-07", Households: append(hh(16), "9-9-999")})
	if !asAppErr(err, &appErr) || appErr.Code != "unregistered_unit" || !strings.Contains(appErr.Message, "9-9-999") {
		t.Fatalf("R-H1 a unit outside the register: %v", err)
	}
	res, err := plan.Handle(ctx, as(butler), commands.PlanVisits{Month: "2026-07", Households: hh(16)})
	if err != nil {
		t.Fatal(err)
	}
	recs := s.stream(visit.PlanStream(res.ID))
	if len(recs) != 1 || recs[0].Meta.District != "d1" || recs[0].Type != visit.TypePlannedV2 ||
		!strings.Contains(string(recs[0].Data), `"district_households":200,"counted_from":"register"`) {
		t.Fatalf("plan stream = %v %s", recs, recs[0].Data)
	}
	_, err = plan.Handle(ctx, as(supervisor), commands.PlanVisits{Month: "2026-07", Households: hh(16)})
	if !asAppErr(err, &appErr) || appErr.Fields["butler"] == "" || appErr.Fields["district"] == "" {
		t.Fatalf("supervisor without butler and district: %v", err)
	}
}

// R-H3: an urgent repair's completion opens a required return visit
// (once); a visit to the household satisfies it; one that is not made in
// 24 h is recorded overdue once.
func TestRequiredReturnVisitPolicy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newWorkOrderHandlers()
	open := commands.NewOpenRequiredReturnVisitHandler(h.store, h.clock, nil)
	overdue := commands.NewMarkReturnVisitOverdueHandler(h.store, h.clock, nil)
	record := commands.NewRecordVisitHandler(h.store, h.clock, nil)
	satisfy := commands.NewSatisfyReturnVisitHandler(h.store, h.clock, nil)
	misfortune := commands.NewRecordMisfortuneHandler(h.store, h.clock, nil)

	plain := h.completed(t, commands.RegisterWorkOrder{Unit: "3-2-1201", Description: "换灯泡", Area: "unit", Warranty: "in"})
	if r, err := open.Handle(ctx, commands.Meta{}, commands.OpenRequiredReturnVisit{Source: "workorder", ID: plain}); err != nil || r.Recorded {
		t.Fatalf("an ordinary repair needs no R-H3 item: %+v %v", r, err)
	}
	urgent := h.completed(t, commands.RegisterWorkOrder{Unit: "3-2-1201", Description: "水管爆裂", Area: "unit", Warranty: "in", Urgent: true})
	for i, want := range []bool{true, false} {
		r, err := open.Handle(ctx, commands.Meta{}, commands.OpenRequiredReturnVisit{Source: "workorder", ID: urgent})
		if err != nil || r.Recorded != want {
			t.Fatalf("open #%d: %+v %v", i, r, err)
		}
	}
	h.clock.Advance(23 * time.Hour)
	if r, _ := overdue.Handle(ctx, commands.Meta{}, commands.MarkReturnVisitOverdue{DueID: urgent}); r.Recorded {
		t.Fatal("overdue within 24 h")
	}
	other, err := record.Handle(ctx, as(butler), commands.RecordVisit{Household: "9-9-999", Kind: "return"})
	if err != nil {
		t.Fatal(err)
	}
	var appErr *apperr.Error
	if _, err := satisfy.Handle(ctx, as(butler), commands.SatisfyReturnVisit{DueID: urgent, VisitID: other.ID}); !asAppErr(err, &appErr) || appErr.Code != "wrong_household" {
		t.Fatalf("visit to another household: %v", err)
	}
	h.clock.Advance(2 * time.Hour)
	if r, _ := overdue.Handle(ctx, commands.Meta{}, commands.MarkReturnVisitOverdue{DueID: urgent}); !r.Recorded {
		t.Fatal("overdue after 24 h not recorded")
	}
	if r, _ := overdue.Handle(ctx, commands.Meta{}, commands.MarkReturnVisitOverdue{DueID: urgent}); r.Recorded {
		t.Fatal("overdue recorded twice")
	}
	v, err := record.Handle(ctx, as(butler), commands.RecordVisit{Household: "3-2-1201", Kind: "return", Notes: "水管已修好"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := satisfy.Handle(ctx, as(butler), commands.SatisfyReturnVisit{DueID: urgent, VisitID: v.ID}); err != nil {
		t.Fatal(err)
	}
	recs := h.store.stream(visit.DueStream(urgent))
	if got := types(recs); strings.Join(got, ",") != "returnvisit.due.v1,returnvisit.overdue.v1,returnvisit.satisfied.v1" || recs[0].Meta.Actor.StaffID != "system" {
		t.Fatalf("due stream = %v", got)
	}
	m, err := misfortune.Handle(ctx, as(butler), commands.RecordMisfortune{Household: "5-1-302", Note: "家中老人去世"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(h.store.stream(visit.DueStream(m.ID))); n != 1 {
		t.Fatalf("misfortune due: %d events", n)
	}
}

func TestVisitOpinionsAndWarnings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	record := commands.NewRecordVisitHandler(s, c, nil)
	rectify := commands.NewRectifyOpinionHandler(s, c, nil)
	feedback := commands.NewFeedBackOpinionHandler(s, c, nil)
	warn := commands.NewWarnCommonProblemHandler(s, c, nil)
	var appErr *apperr.Error
	if _, err := record.Handle(ctx, as(butler), commands.RecordVisit{Household: "1-101", Kind: "key_client"}); !asAppErr(err, &appErr) || appErr.Code != "key_client_by_supervisor" {
		t.Fatalf("R-H4 butler key-client visit: %v", err)
	}
	registerUnits(t, s, c, "d1", "1-101", "1-102")
	markKeyClient(t, s, c, "d1", "1-101")
	if _, err := record.Handle(ctx, as(supervisor), commands.RecordVisit{Household: "1-101", Kind: "key_client", Festival: true, District: "d1"}); err != nil {
		t.Fatal(err)
	}
	v, err := record.Handle(ctx, as(butler), commands.RecordVisit{Household: "1-102", Kind: "routine", Opinions: []string{"电梯常坏"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := feedback.Handle(ctx, as(butler), commands.FeedBackOpinion{VisitID: v.ID, Opinion: 0, Channel: "phone"}); !asAppErr(err, &appErr) || appErr.Code != "not_rectified" {
		t.Fatalf("feedback before rectification: %v", err)
	}
	if _, err := rectify.Handle(ctx, as(butler), commands.RectifyOpinion{VisitID: v.ID, Opinion: 0, Action: "已报电梯维保"}); err != nil {
		t.Fatal(err)
	}
	if _, err := feedback.Handle(ctx, as(butler), commands.FeedBackOpinion{VisitID: v.ID, Opinion: 0, Channel: "phone"}); err != nil {
		t.Fatal(err)
	}
	if _, err := warn.Handle(ctx, as(butler), commands.WarnCommonProblem{VisitID: v.ID, Problem: "电梯老化，多户反映"}); err != nil {
		t.Fatal(err)
	}
	if _, err := warn.Handle(ctx, as(butlerD2), commands.WarnCommonProblem{VisitID: v.ID, Problem: "x"}); !asAppErr(err, &appErr) || appErr.Code != "forbidden_scope" {
		t.Fatalf("other district: %v", err)
	}
}

// R-H3: a bill in arrears makes a fee-collection visit due.
func TestFeeCollectionVisitDue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	open := commands.NewOpenRequiredReturnVisitHandler(s, c, nil)
	put := func(p interface{ EventType() string }) {
		data, _ := json.Marshal(p)
		if _, err := s.Append(ctx, fee.Stream("bill1"), event.Any(), event.Event{ID: "e", Type: p.EventType(), Data: data,
			Meta: event.Metadata{Project: "p1", District: "d1"}}); err != nil {
			t.Fatal(err)
		}
	}
	put(fee.Billed{BillID: "bill1", Project: "p1", District: "d1", Unit: "5-1-302", Butler: "b1", Period: "2026-06", TotalFen: 10000, Due: start, At: start})
	if r, err := open.Handle(ctx, commands.Meta{}, commands.OpenRequiredReturnVisit{Source: "fee", ID: "bill1"}); err != nil || r.Recorded {
		t.Fatalf("a bill not in arrears needs no visit: %+v %v", r, err)
	}
	put(fee.ArrearsAged{Bucket: "0-30", DaysOverdue: 1, At: start.Add(24 * time.Hour)})
	if r, err := open.Handle(ctx, commands.Meta{}, commands.OpenRequiredReturnVisit{Source: "fee", ID: "bill1"}); err != nil || !r.Recorded {
		t.Fatalf("arrears: %+v %v", r, err)
	}
	recs := s.stream(visit.DueStream("bill1"))
	if len(recs) != 1 || !strings.Contains(string(recs[0].Data), `"reason":"fee_collection"`) || !strings.Contains(string(recs[0].Data), `"household":"5-1-302"`) {
		t.Fatalf("due = %s", recs[0].Data)
	}
}
