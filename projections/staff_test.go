package projections_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/domain/workorder"
	"github.com/butler-pm/butler/projections"
)

var (
	sup = actor{"s-1", "supervisor", ""}
	b1  = actor{"b-1", "butler", "d1"}
)

func TestStaffReadModel(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Staff)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r.emit(staff.Stream("b-1"), sup, at, staff.Registered{StaffID: "b-1", Name: "李", Role: "butler", Project: "p1", District: "d1", At: at})
	r.emit(staff.Stream("b-1"), sup, at, staff.TrainingAttended{Session: "s1", Topic: "BI", At: at})
	r.emit(staff.Stream("b-1"), sup, at, staff.Assessed{Kind: "written", Onboarding: true, Score: 80, Passed: true, At: at})
	r.emit(staff.Stream("b-1"), sup, at, staff.BehaviourChecked{Method: "mystery_customer", Passed: false, Notes: "未起身", At: at})
	r.emit(staff.Stream("b-1"), sup, at, staff.SanctionPublished{Kind: "penalty", Reason: "未起身服务", Amount: 50, At: at})
	var d projections.StaffMember
	r.doc(projections.StaffIndex, "b-1", &d)
	if !d.Trained || !d.Onboarded || d.BehaviourFailed != 1 || len(d.Sanctions) != 1 || d.Sanctions[0].By != "s-1" || d.Revision != 4 {
		t.Fatalf("doc = %+v", d)
	}
}

// R-S2 measured: a dispatch to a registered member before their
// onboarding assessment counts; after it, or to a contractor, it does not.
func TestUntrainedStaffAssignedKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.StaffAssignments{})
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r.emit(staff.Stream("e-1"), sup, at, staff.Registered{StaffID: "e-1", Name: "王", Role: "engineer", Project: "p1", At: at})
	r.emit(workorder.Stream("w1"), b1, at, workorder.Registered{WorkOrderID: "w1", Project: "p1", District: "d1", Description: "x", Area: "public", Warranty: "in", At: at})
	r.emit(workorder.Stream("w1"), b1, at, workorder.Dispatched{Assignee: "e-1", At: at})
	r.emit(complaint.Stream("c1"), b1, at, complaint.Registered{ComplaintID: "c1", Project: "p1", District: "d1", At: at})
	r.emit(complaint.Stream("c1"), b1, at, complaint.Dispatched{Assignee: "contractor", At: at})
	r.emit(staff.Stream("e-1"), sup, at, staff.TrainingAttended{Session: "s", Topic: "t", At: at})
	r.emit(staff.Stream("e-1"), sup, at, staff.Assessed{Kind: "written", Onboarding: true, Score: 70, Passed: true, At: at})
	r.emit(workorder.Stream("w1"), b1, at, workorder.Dispatched{Assignee: "e-1", At: at})

	res := r.kpi("untrained-staff-assigned", projections.KPIFilter{Month: "2026-03"})
	if value(res) != 1 || !reflect.DeepEqual(res.NumeratorRecords, []string{"workorder-w1@1"}) || res.Denominator != 3 {
		t.Fatalf("kpi = %+v", res)
	}
	if res := r.kpi("untrained-staff-assigned", projections.KPIFilter{Month: "2026-03", Butler: "contractor"}); value(res) != 0 || res.Denominator != 1 {
		t.Fatalf("per assignee = %+v", res)
	}
}
