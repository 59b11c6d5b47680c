package commands_test

import (
	"context"
	"strings"
	"testing"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/unit"
	"github.com/butler-pm/butler/domain/visit"
)

// registerUnits registers occupied units in a district, as the supervisor.
func registerUnits(t *testing.T, s *memStore, c *clock, district string, units ...string) {
	t.Helper()
	entries := make([]commands.UnitEntry, len(units))
	for i, u := range units {
		entries[i] = commands.UnitEntry{Unit: u}
	}
	h := commands.NewHandlers(s, c, nil, nil)
	if _, err := h.Unit.Register.Handle(context.Background(), as(supervisor), commands.RegisterUnits{District: district, Units: entries}); err != nil {
		t.Fatal(err)
	}
}

// markKeyClient marks a registered unit's household a key client.
func markKeyClient(t *testing.T, s *memStore, c *clock, district, u string) {
	t.Helper()
	h := commands.NewHandlers(s, c, nil, nil)
	if _, err := h.Unit.MarkKeyClient.Handle(context.Background(), as(supervisor), commands.MarkKeyClient{Unit: u, District: district, Reason: "业委会成员"}); err != nil {
		t.Fatal(err)
	}
}

// The register of units: supervisors and managers keep it, in bulk; the
// batch is refused whole, naming the units; butlers cannot change the
// count their own 8% is measured against (R-H1).
func TestRegisterUnits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	h := commands.NewHandlers(s, c, nil, nil)
	var appErr *apperr.Error
	units := []commands.UnitEntry{{Unit: "1-1-101"}, {Unit: "1-1-102", Status: "vacant"}, {Unit: "A-9", Building: "A座"}}
	if _, err := h.Unit.Register.Handle(ctx, as(butler), commands.RegisterUnits{Units: units}); !asAppErr(err, &appErr) || appErr.Code != "forbidden_role" {
		t.Fatalf("a butler registers units: %v", err)
	}
	if _, err := h.Unit.Register.Handle(ctx, as(supervisor), commands.RegisterUnits{Units: units}); !asAppErr(err, &appErr) || appErr.Fields["district"] == "" {
		t.Fatalf("a supervisor without the district: %v", err)
	}
	res, err := h.Unit.Register.Handle(ctx, as(manager), commands.RegisterUnits{District: "d1", Units: units})
	if err != nil || res.ID != "d1" {
		t.Fatalf("register: %+v %v", res, err)
	}
	recs := s.stream(unit.Stream("p1", "d1"))
	if len(recs) != 1 || recs[0].Type != unit.TypeRegistered || recs[0].Meta.District != "d1" ||
		!strings.Contains(string(recs[0].Data), `{"unit":"A-9","building":"A座","status":"occupied"}`) {
		t.Fatalf("register stream = %v", recs)
	}
	_, err = h.Unit.Register.Handle(ctx, as(supervisor), commands.RegisterUnits{District: "d1", Units: []commands.UnitEntry{{Unit: "1-1-103"}, {Unit: "1-1-101"}}})
	if !asAppErr(err, &appErr) || appErr.Code != "duplicate_unit" || !strings.Contains(appErr.Message, "1-1-101") {
		t.Fatalf("registered twice: %v", err)
	}
	if len(s.stream(unit.Stream("p1", "d1"))) != 1 {
		t.Fatal("a refused batch recorded units")
	}
	if _, err := h.Unit.SetStatus.Handle(ctx, as(supervisor), commands.SetUnitStatus{Unit: "1-1-102", District: "d1", Status: "occupied"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Unit.SetStatus.Handle(ctx, as(supervisor), commands.SetUnitStatus{Unit: "9-9", District: "d1", Status: "vacant"}); !asAppErr(err, &appErr) || appErr.Code != "unknown_unit" {
		t.Fatalf("status of an unknown unit: %v", err)
	}
}

// R-H1 against the register: the count moves with the register, not with
// what a caller says; R-H7: only registered key clients get key-client
// visits, and visits carry the register's word and the owner's rating (R-H6).
func TestPlansAndKeyClientsFollowTheRegister(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	h := commands.NewHandlers(s, c, nil, nil)
	var appErr *apperr.Error
	var units []string
	for i := 1; i <= 50; i++ {
		units = append(units, "1-"+string(rune('0'+i/10))+string(rune('0'+i%10)))
	}
	registerUnits(t, s, c, "d1", units...)
	// 4 of 50 is 8%
	if _, err := h.Visit.Plan.Handle(ctx, as(butler), commands.PlanVisits{Month: "2026-07", Households: units[:4]}); err != nil {
		t.Fatal(err)
	}
	// 10 units move out: 4 of 40 occupied is 10%, 3 is 7.5%
	for _, u := range units[40:] {
		if _, err := h.Unit.SetStatus.Handle(ctx, as(supervisor), commands.SetUnitStatus{Unit: u, District: "d1", Status: "vacant"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.Visit.Plan.Handle(ctx, as(butler), commands.PlanVisits{Month: "2026-08", Households: units[:3]}); !asAppErr(err, &appErr) ||
		appErr.Code != "coverage_too_low" || !strings.Contains(appErr.Message, "3 of 40 households") {
		t.Fatalf("R-H1 counts occupied units: %v", err)
	}
	if _, err := h.Visit.Plan.Handle(ctx, as(butler), commands.PlanVisits{Month: "2026-08", Households: append(units[:3], units[45])}); !asAppErr(err, &appErr) ||
		appErr.Code != "vacant_unit" {
		t.Fatalf("R-H1 a vacant unit in a plan: %v", err)
	}

	kc := commands.RecordVisit{Household: units[0], Kind: "key_client", District: "d1", Satisfaction: 4}
	if _, err := h.Visit.Record.Handle(ctx, as(supervisor), kc); !asAppErr(err, &appErr) || appErr.Code != "not_a_key_client" {
		t.Fatalf("R-H7 a key-client visit to a household not in the register: %v", err)
	}
	if _, err := h.Unit.MarkKeyClient.Handle(ctx, as(butler), commands.MarkKeyClient{Unit: units[0], Reason: "x"}); !asAppErr(err, &appErr) || appErr.Code != "forbidden_role" {
		t.Fatalf("a butler marks a key client: %v", err)
	}
	if _, err := h.Unit.MarkKeyClient.Handle(ctx, as(supervisor), commands.MarkKeyClient{Unit: units[0], District: "d1"}); !asAppErr(err, &appErr) || appErr.Fields["reason"] == "" {
		t.Fatalf("a key client without a reason: %v", err)
	}
	markKeyClient(t, s, c, "d1", units[0])
	v, err := h.Visit.Record.Handle(ctx, as(supervisor), kc)
	if err != nil {
		t.Fatal(err)
	}
	rec := s.stream(visit.Stream(v.ID))[0]
	if rec.Type != visit.TypeVisitedV2 || !strings.Contains(string(rec.Data), `"satisfaction":4,"key_client":true`) {
		t.Fatalf("visit = %s %s", rec.Type, rec.Data)
	}
	if _, err := h.Visit.Record.Handle(ctx, as(butler), commands.RecordVisit{Household: units[1], Kind: "routine", Satisfaction: 6}); !asAppErr(err, &appErr) || appErr.Code != "invalid_satisfaction" {
		t.Fatalf("R-H6 a rating of 6: %v", err)
	}
	if _, err := h.Unit.UnmarkKeyClient.Handle(ctx, as(supervisor), commands.UnmarkKeyClient{Unit: units[0], District: "d1", Reason: "已出售房屋"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Visit.Record.Handle(ctx, as(supervisor), kc); !asAppErr(err, &appErr) || appErr.Code != "not_a_key_client" {
		t.Fatalf("R-H7 an unmarked key client: %v", err)
	}
}
