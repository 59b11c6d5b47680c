package projections_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/domain/staff/duty"
	"github.com/butler-pm/butler/domain/staff/lostproperty"
	"github.com/butler-pm/butler/domain/staff/quality"
	"github.com/butler-pm/butler/domain/staff/workplan"
	"github.com/butler-pm/butler/domain/workorder"
	"github.com/butler-pm/butler/projections"
)

var cst = time.FixedZone("CST", 8*3600)

// R-S1: behaviour checks feed the month's appraisal record and a pass-rate
// KPI per district and month, in China's months; R-F5: appraisals on time.
func TestAppraisalMonthsAndBehaviourPassRate(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.StaffAppraisals{})
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, cst)
	supD1, supD2 := actor{"s-1", "supervisor", "d1"}, actor{"s-1", "supervisor", "d2"}
	r.emit(staff.Stream("b-1"), supD1, at, staff.Registered{StaffID: "b-1", Name: "钱管家", Role: "butler", Project: "p1", District: "d1", At: at})
	r.emit(staff.Stream("b-2"), supD2, at, staff.Registered{StaffID: "b-2", Name: "孙管家", Role: "butler", Project: "p1", District: "d2", At: at})
	r.emit(staff.Stream("b-1"), supD1, at, staff.BehaviourChecked{Method: "pre_shift", Passed: true, At: at})
	r.emit(staff.Stream("b-1"), supD1, at, staff.BehaviourChecked{Method: "mystery_customer", Passed: false, Notes: "未起身服务", At: at})
	r.emit(staff.Stream("b-2"), supD2, at, staff.BehaviourChecked{Method: "pre_shift", Passed: true, At: at})
	// 1 April 01:00 in China (31 March in UTC) is April's.
	april := time.Date(2026, 3, 31, 17, 0, 0, 0, time.UTC)
	r.emit(staff.Stream("b-1"), supD1, april, staff.BehaviourChecked{Method: "pre_shift", Passed: false, At: april})
	r.emit(staff.Stream("b-1"), supD1, at, staff.OneToOneHeld{Supervisor: "s-1", Minutes: 12, Method: "face_to_face", Notes: "x", Week: "2026-W10", Month: "2026-03", At: at})
	r.emit(staff.Stream("b-1"), supD1, at, staff.Appraised{Month: "2026-03", Appraiser: "s-1", Score: 82, At: at.AddDate(0, 0, 20)})
	due, _ := staff.AppraisalDue("2026-03")
	r.emit(staff.Stream("b-2"), supD2, due, staff.AppraisalOverdue{Month: "2026-03", DueAt: due, At: due})

	wantKPI(t, r.kpi("behaviour-check-pass-rate", projections.KPIFilter{Month: "2026-03"}), 2.0/3, 2, 3)
	wantKPI(t, r.kpi("behaviour-check-pass-rate", projections.KPIFilter{Month: "2026-03", District: "d1"}), 0.5, 1, 2)
	wantKPI(t, r.kpi("behaviour-check-pass-rate", projections.KPIFilter{Month: "2026-04"}), 0, 0, 1)
	wantKPI(t, r.kpi("appraisals-on-time", projections.KPIFilter{Month: "2026-03"}), 0.5, 1, 2, "b-1@2026-03", "b-2@2026-03")

	var m projections.StaffAppraisal
	r.doc(projections.StaffAppraisalsIndex, "b-1@2026-03", &m)
	if m.Checks != 2 || m.ChecksFailed != 1 || m.PassRate == nil || *m.PassRate != 0.5 || m.Talks != 1 || !m.Appraised ||
		m.Score == nil || *m.Score != 82 || !m.OnTime || m.Name != "钱管家" || len(m.BehaviourChecks) != 2 || m.BehaviourChecks[1].Notes != "未起身服务" {
		t.Fatalf("b-1's March = %+v", m)
	}
}

// R-S7 and R-S4 counted per week: talks per subordinate and patrols per
// supervisor, held or recorded missed; a week counts in its Thursday's month.
func TestWeeklyTalksAndPatrolWeeks(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.StaffWeeks{})
	at := time.Date(2026, 3, 3, 9, 0, 0, 0, cst) // week 10
	sup := actor{"s-1", "supervisor", "d1"}
	r.emit(staff.Stream("b-1"), sup, at, staff.ProfileRecorded{Supervisor: "s-1", Background: "本地人", Strengths: "耐心", At: at})
	r.emit(staff.Stream("b-1"), sup, at, staff.OneToOneHeld{Supervisor: "s-1", Minutes: 12, Method: "face_to_face", Notes: "x", Week: "2026-W10", Month: "2026-03", At: at})
	r.emit(staff.Stream("b-1"), actor{"system", "system", "d1"}, at.AddDate(0, 0, 13), staff.TalkMissed{Week: "2026-W11", At: at.AddDate(0, 0, 13)})
	r.emit(staff.Stream("b-2"), actor{"system", "system", "d2"}, at.AddDate(0, 0, 6), staff.TalkMissed{Week: "2026-W10", At: at.AddDate(0, 0, 6)})
	// Week 14 (30 March – 5 April) counts in April.
	r.emit(staff.Stream("b-1"), sup, at.AddDate(0, 0, 28), staff.TalkMissed{Week: "2026-W14", At: at.AddDate(0, 0, 35)})
	r.emit(quality.PatrolStream("pa"), actor{"s-1", "supervisor", ""}, at, quality.Patrolled{PatrolID: "pa", Project: "p1", Supervisor: "s-1",
		Week: "2026-W10", Areas: []string{"大堂"}, Report: "自查良好", At: at})
	r.emit(staff.Stream("s-1"), actor{"system", "system", ""}, at.AddDate(0, 0, 13), staff.PatrolWeekMissed{Week: "2026-W11", At: at.AddDate(0, 0, 13)})

	wantKPI(t, r.kpi("weekly-talks", projections.KPIFilter{Month: "2026-03"}), 1.0/3, 1, 3,
		"talk:b-1@2026-W10", "talk:b-1@2026-W11", "talk:b-2@2026-W10")
	wantKPI(t, r.kpi("weekly-talks", projections.KPIFilter{Month: "2026-03", Butler: "s-1"}), 0.5, 1, 2)
	wantKPI(t, r.kpi("weekly-talks", projections.KPIFilter{Month: "2026-04"}), 0, 0, 1, "talk:b-1@2026-W14")
	wantKPI(t, r.kpi("supervisor-patrol-weeks", projections.KPIFilter{Month: "2026-03", Butler: "s-1"}), 0.5, 1, 2,
		"patrol:s-1@2026-W10", "patrol:s-1@2026-W11")
}

// R-S2 beyond dispatches, and R-S9's relatives: refused attempts of
// untrained staff count (a day each), a wrong district does not; work
// about a declared relative's unit is flagged.
func TestUntrainedOnDutyAndRelativeConflicts(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.StaffAssignments{})
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, cst)
	r.emit(staff.Stream("e-1"), sup, at, staff.Registered{StaffID: "e-1", Name: "王", Role: "engineer", Project: "p1", At: at})
	r.emit(staff.Stream("e-2"), sup, at, staff.Registered{StaffID: "e-2", Name: "李", Role: "engineer", Project: "p1", At: at})
	r.emit(staff.Stream("e-2"), sup, at, staff.TrainingAttended{Session: "s", Topic: "t", At: at})
	r.emit(staff.Stream("e-2"), sup, at, staff.Assessed{Kind: "written", Onboarding: true, Score: 80, Passed: true, At: at})
	r.emit(staff.Stream("e-2"), actor{"e-2", "engineer", ""}, at, staff.RelativeDeclared{Unit: "3-2-501", Relation: "父母", At: at})
	newcomer := actor{"x-9", "butler", "d1"}
	for range 2 {
		r.emit(duty.Stream("day1"), newcomer, at, duty.Refused{Project: "p1", District: "d1", StaffID: "x-9", Role: "butler", Day: "2026-03-02",
			Reason: duty.ReasonNotRegistered, Untrained: true, Attempt: "POST /api/v1/work-orders", At: at})
	}
	r.emit(duty.Stream("day2"), actor{"e-2", "engineer", "d2"}, at, duty.Refused{Project: "p1", District: "d2", StaffID: "e-2", Role: "butler", Day: "2026-03-02",
		Reason: duty.ReasonWrongRole, At: at})
	for _, wo := range []struct{ id, unit, assignee string }{{"w1", "3-2-501", "e-2"}, {"w2", "3-2-502", "e-2"}, {"w3", "3-2-503", "e-1"}} {
		r.emit(workorder.Stream(wo.id), b1, at, workorder.Registered{WorkOrderID: wo.id, Project: "p1", District: "d1", Unit: wo.unit,
			Description: "x", Area: "unit", Warranty: "in", At: at})
		r.emit(workorder.Stream(wo.id), b1, at, workorder.Dispatched{Assignee: wo.assignee, At: at})
	}
	res := r.kpi("untrained-staff-on-duty", projections.KPIFilter{Month: "2026-03"})
	if value(res) != 2 || !reflect.DeepEqual(res.NumeratorRecords, []string{"dutyrefusal-day1", "workorder-w3@1"}) {
		t.Fatalf("untrained on duty = %+v", res)
	}
	var day projections.StaffAssignment
	r.doc(projections.StaffAssignmentsIndex, "dutyrefusal-day1", &day)
	if day.Attempts != 2 || day.Assignee != "x-9" || day.First != "POST /api/v1/work-orders" {
		t.Fatalf("refused day = %+v", day)
	}
	if res := r.kpi("untrained-staff-assigned", projections.KPIFilter{Month: "2026-03"}); value(res) != 1 {
		t.Fatalf("dispatches alone = %+v", res)
	}
	res = r.kpi("relative-recusal-conflicts", projections.KPIFilter{Month: "2026-03"})
	if value(res) != 1 || !reflect.DeepEqual(res.NumeratorRecords, []string{"workorder-w1@1"}) {
		t.Fatalf("relative conflicts = %+v", res)
	}
}

// R-S8 measured: targets and goals met by the progress shared.
func TestWorkPlanTargetsMetKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.WorkPlans)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, cst)
	s := workplan.Stream("wp")
	r.emit(s, sup, at, workplan.Drafted{PlanID: "wp", Project: "p1", Month: "2026-03", At: at, Targets: []workplan.Target{
		{TargetID: "1", Area: "visits", Description: "走访", Unit: "户", Value: 160},
		{TargetID: "2", Area: "activities", Description: "社区活动", Unit: "次", Value: 2}}})
	r.emit(s, sup, at, workplan.Discussed{Attendees: []string{"b-1"}, Notes: "分解", At: at})
	r.emit(s, sup, at, workplan.GoalSet{Goal: workplan.Target{TargetID: "g1", Area: "collection", Description: "收缴率", Unit: "%", Value: 95, Owner: "b-1"}, At: at})
	r.emit(s, sup, at, workplan.ProgressShared{TargetID: "1", Achieved: 120, By: "s-1", At: at})
	r.emit(s, sup, at, workplan.ProgressShared{TargetID: "1", Achieved: 165, By: "s-1", At: at})
	r.emit(s, b1, at, workplan.ProgressShared{TargetID: "g1", Achieved: 80, By: "b-1", At: at})
	wantKPI(t, r.kpi("work-plan-targets-met", projections.KPIFilter{Month: "2026-03"}), 1.0/3, 1, 3, "wp#1", "wp#2", "wp#g1")
	wantKPI(t, r.kpi("work-plan-targets-met", projections.KPIFilter{Month: "2026-03", Butler: "b-1"}), 0, 0, 1, "wp#g1")
	var d projections.WorkPlan
	r.doc(projections.WorkPlansIndex, "wp", &d)
	if !d.Discussed || d.TargetsMet != 1 || len(d.Targets[0].Progress) != 2 || d.Targets[0].Achieved != 165 || !reflect.DeepEqual(d.Owners, []string{"b-1"}) {
		t.Fatalf("plan = %+v", d)
	}
}

// R-S9 measured: found items not handed in within 24 hours.
func TestFoundPropertyHandInOverdueKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.FoundProperty)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, cst)
	for _, id := range []string{"i1", "i2"} {
		r.emit(lostproperty.Stream(id), b1, at, lostproperty.Found{ItemID: id, Project: "p1", District: "d1", Description: "钱包", Place: "大堂",
			FoundAt: at.Add(-time.Hour), Finder: "b-1", At: at})
	}
	r.emit(lostproperty.Stream("i2"), actor{"k-1", "custodian", "d1"}, at, lostproperty.HandedIn{Keeper: "k-1", At: at.Add(time.Hour)})
	r.emit(lostproperty.Stream("i1"), actor{"system", "system", "d1"}, at.Add(25*time.Hour), lostproperty.HandInOverdue{DueAt: at.Add(24 * time.Hour), At: at.Add(25 * time.Hour)})
	res := r.kpi("found-property-hand-in-overdue", projections.KPIFilter{Month: "2026-03", Butler: "b-1"})
	if value(res) != 1 || !reflect.DeepEqual(res.NumeratorRecords, []string{"i1"}) || res.Denominator != 2 {
		t.Fatalf("overdue = %+v", res)
	}
	var d projections.FoundItem
	r.doc(projections.FoundPropertyIndex, "i2", &d)
	if d.Status != "held" || d.Keeper != "k-1" || !d.HandInDueAt.Equal(at.Add(24*time.Hour)) {
		t.Fatalf("i2 = %+v", d)
	}
}
