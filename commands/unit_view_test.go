package commands_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
)

// On a store that reads streams backward (the embedded one), visits and
// plans read the register decoded once per state of its stream: a change
// to the register is seen by the next plan and visit (R-H1, R-H7).
func TestVisitsSeeTheRegisterAsItChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := &clock{now: start}
	s, err := embedded.Open(filepath.Join(t.TempDir(), "events"), embedded.WithClock(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := commands.NewHandlers(s, c, nil, testKeys())
	var entries []commands.UnitEntry
	var units []string
	for i := 1; i <= 50; i++ {
		u := "1-1-" + string(rune('0'+i/10)) + string(rune('0'+i%10))
		units = append(units, u)
		entries = append(entries, commands.UnitEntry{Unit: u})
	}
	if _, err := h.Unit.Register.Handle(ctx, as(supervisor), commands.RegisterUnits{District: "d1", Units: entries}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Visit.Plan.Handle(ctx, as(butler), commands.PlanVisits{Month: "2026-07", Households: units[:4]}); err != nil {
		t.Fatalf("4 of 50 is 8%%: %v", err)
	}
	for _, u := range units[40:] {
		if _, err := h.Unit.SetStatus.Handle(ctx, as(supervisor), commands.SetUnitStatus{Unit: u, District: "d1", Status: "vacant"}); err != nil {
			t.Fatal(err)
		}
	}
	var appErr *apperr.Error
	if _, err := h.Visit.Plan.Handle(ctx, as(butler), commands.PlanVisits{Month: "2026-08", Households: units[:3]}); !asAppErr(err, &appErr) ||
		appErr.Code != "coverage_too_low" || !strings.Contains(appErr.Message, "3 of 40 households") {
		t.Fatalf("after 10 units left, a plan counts 40 occupied: %v", err)
	}
	keyClientVisit := func() error {
		_, err := h.Visit.Record.Handle(ctx, as(supervisor), commands.RecordVisit{Household: units[0], Kind: "key_client", Notes: "走访", District: "d1"})
		return err
	}
	if err := keyClientVisit(); !asAppErr(err, &appErr) || appErr.Code != "not_a_key_client" {
		t.Fatalf("a key-client visit before the household is marked: %v", err)
	}
	if _, err := h.Unit.MarkKeyClient.Handle(ctx, as(supervisor), commands.MarkKeyClient{Unit: units[0], District: "d1", Reason: "业委会委员"}); err != nil {
		t.Fatal(err)
	}
	if err := keyClientVisit(); err != nil {
		t.Fatalf("a key-client visit after the household was marked (R-H7): %v", err)
	}
	if _, err := h.Unit.UnmarkKeyClient.Handle(ctx, as(supervisor), commands.UnmarkKeyClient{Unit: units[0], District: "d1", Reason: "业主已搬离"}); err != nil {
		t.Fatal(err)
	}
	if err := keyClientVisit(); !asAppErr(err, &appErr) || appErr.Code != "not_a_key_client" {
		t.Fatalf("a key-client visit after the household was unmarked: %v", err)
	}
}
