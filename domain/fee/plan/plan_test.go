package plan_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee/plan"
)

var t0 = time.Date(2026, 3, 1, 1, 0, 0, 0, time.UTC)

func TestCollectionPlan(t *testing.T) {
	t.Parallel()
	targets := []plan.Target{{Butler: "b1", District: "d1", TargetFen: 5_000_000}, {Butler: "b2", District: "d2", TargetFen: 4_000_000}}
	p, err := plan.New("pl1", "p1", "2026-03", targets, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Changes(), []event.Payload{plan.Set{PlanID: "pl1", Project: "p1", Month: "2026-03", Targets: targets, At: t0}}) {
		t.Fatalf("changes = %#v", p.Changes())
	}
	// R-F1: targets are split per butler, one each, in fen above zero.
	for _, tt := range []struct {
		targets []plan.Target
		err     error
	}{
		{nil, plan.ErrNoTargets},
		{[]plan.Target{{Butler: "b1", District: "d1", TargetFen: 0}}, plan.ErrTargetInvalid},
		{[]plan.Target{{Butler: "", District: "d1", TargetFen: 1}}, plan.ErrTargetInvalid},
		{[]plan.Target{{Butler: "b1", District: "d1", TargetFen: 1}, {Butler: "b1", District: "d1", TargetFen: 2}}, plan.ErrButlerTwice},
	} {
		if _, err := plan.New("pl1", "p1", "2026-03", tt.targets, t0); !errors.Is(err, tt.err) {
			t.Errorf("%v: err = %v, want %v", tt.targets, err, tt.err)
		}
	}
	if _, err := plan.New("pl1", "p1", "2026-3", targets, t0); !errors.Is(err, plan.ErrPlanIncomplete) {
		t.Fatalf("err = %v", err)
	}
	given, _ := plan.FromHistory([]event.Payload{plan.Set{PlanID: "pl1", Project: "p1", Month: "2026-03", Targets: targets, At: t0}})
	if err := given.Revise(targets[:1], "", t0); !errors.Is(err, plan.ErrRevisionNoReason) {
		t.Fatalf("err = %v", err)
	}
	if err := given.Revise(targets[:1], "b2 调岗", t0); err != nil || len(given.Targets()) != 1 {
		t.Fatalf("revise: %v %v", err, given.Targets())
	}
	if _, err := plan.FromHistory([]event.Payload{plan.Revised{}}); !errors.Is(err, plan.ErrNotSet) {
		t.Fatalf("err = %v", err)
	}
}
