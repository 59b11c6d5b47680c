package workplan_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/workplan"
)

var (
	t0      = time.Date(2026, 3, 2, 9, 0, 0, 0, workplan.Zone)
	visits  = workplan.Target{TargetID: "1", Area: "visits", Description: "走访 8% 住户", Unit: "户", Value: 160}
	drafted = workplan.Drafted{PlanID: "wp1", Project: "p1", Month: "2026-03", Targets: []workplan.Target{visits}, At: t0}
	talked  = workplan.Discussed{Attendees: []string{"b-1", "b-2"}, Notes: "分解走访指标", At: t0}
)

func TestDraft(t *testing.T) {
	t.Parallel()
	p, err := workplan.Draft("wp1", "p1", "2026-03", []workplan.Target{{Area: "visits", Description: "走访 8% 住户", Unit: "户", Value: 160}}, t0)
	if err != nil || !reflect.DeepEqual(p.Changes(), []event.Payload{drafted}) {
		t.Fatalf("changes %#v err %v", p.Changes(), err)
	}
	for name, tc := range map[string]struct {
		month   string
		targets []workplan.Target
		err     error
	}{
		"no targets":                {"2026-03", nil, workplan.ErrPlanIncomplete},
		"bad month":                 {"March", []workplan.Target{visits}, workplan.ErrPlanIncomplete},
		"a target without a figure": {"2026-03", []workplan.Target{{Area: "visits", Description: "多走访", Unit: "户"}}, workplan.ErrTargetNotMeasured},
		"a target without a unit":   {"2026-03", []workplan.Target{{Area: "collection", Description: "收费", Value: 95}}, workplan.ErrTargetNotMeasured},
		"an unknown area":           {"2026-03", []workplan.Target{{Area: "parties", Description: "x", Unit: "次", Value: 1}}, workplan.ErrTargetNotMeasured},
		"two targets with one id":   {"2026-03", []workplan.Target{visits, visits}, workplan.ErrDuplicateTarget},
	} {
		if _, err := workplan.Draft("wp1", "p1", tc.month, tc.targets, t0); !errors.Is(err, tc.err) {
			t.Errorf("%s: err = %v, want %v", name, err, tc.err)
		}
	}
}

func TestPlanRules(t *testing.T) {
	t.Parallel()
	now := t0.Add(time.Hour)
	goal := workplan.Target{Area: "collection", Description: "本人片区收费率", Unit: "%", Value: 95, Owner: "b-1"}
	tests := []struct {
		name  string
		given []event.Payload
		when  func(p *workplan.Plan) error
		then  []event.Payload
		err   error
	}{
		{"R-S8 discussed with the staff", []event.Payload{drafted},
			func(p *workplan.Plan) error {
				return p.Discuss([]string{"b-1", " b-2", "b-1"}, "分解走访指标", t0)
			},
			[]event.Payload{talked}, nil},
		{"R-S8 a discussion names who took part", []event.Payload{drafted},
			func(p *workplan.Plan) error { return p.Discuss(nil, "x", now) }, nil, workplan.ErrDiscussionEmpty},
		{"R-S8 no progress before the plan is discussed", []event.Payload{drafted},
			func(p *workplan.Plan) error { return p.ShareProgress("1", 40, "", "s-1", true, now) }, nil, workplan.ErrNotDiscussed},
		{"R-S8 progress shared", []event.Payload{drafted, talked},
			func(p *workplan.Plan) error { return p.ShareProgress("1", 40, "第一周", "s-1", true, now) },
			[]event.Payload{workplan.ProgressShared{TargetID: "1", Achieved: 40, Note: "第一周", By: "s-1", At: now}}, nil},
		{"R-S8 progress on an unknown target", []event.Payload{drafted, talked},
			func(p *workplan.Plan) error { return p.ShareProgress("9", 40, "", "s-1", true, now) }, nil, workplan.ErrUnknownTarget},
		{"R-S8 a butler shares only their own goals", []event.Payload{drafted, talked},
			func(p *workplan.Plan) error { return p.ShareProgress("1", 40, "", "b-1", false, now) }, nil, workplan.ErrNotYourTarget},
		{"R-S8 a goal set with a subordinate who took part", []event.Payload{drafted, talked},
			func(p *workplan.Plan) error { return p.SetGoal(goal, now) },
			[]event.Payload{workplan.GoalSet{Goal: workplan.Target{TargetID: "g1", Area: "collection", Description: "本人片区收费率", Unit: "%", Value: 95, Owner: "b-1"}, At: now}}, nil},
		{"R-S8 a goal is set with them: not without them", []event.Payload{drafted, talked},
			func(p *workplan.Plan) error { g := goal; g.Owner = "b-3"; return p.SetGoal(g, now) }, nil, workplan.ErrGoalNotDiscussed},
		{"R-S8 the owner shares progress on their goal", []event.Payload{drafted, talked, workplan.GoalSet{Goal: workplan.Target{TargetID: "g1", Area: "collection", Description: "收费率", Unit: "%", Value: 95, Owner: "b-1"}, At: now}},
			func(p *workplan.Plan) error { return p.ShareProgress("g1", 60, "", "b-1", false, now) },
			[]event.Payload{workplan.ProgressShared{TargetID: "g1", Achieved: 60, By: "b-1", At: now}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := workplan.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.when(p); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(p.Changes(), tt.then) {
				t.Fatalf("changes = %#v, want %#v", p.Changes(), tt.then)
			}
		})
	}
}
