package projections_test

import (
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/renovation"
	"github.com/butler-pm/butler/domain/renovation/register"
	"github.com/butler-pm/butler/projections"
)

func TestRenovationRegisterAndKPIs(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Renovations, projections.RenovationDays{}, projections.RenovationViolations{}, projections.RenovationRegisterWeeks)
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	check := map[string]bool{}
	for _, item := range renovation.Checklist {
		check[item] = true
	}
	check["rubbish"] = false
	file := func(id, butler, district string) {
		r.emitAs(renovation.Stream(id), butler, "butler", district, at, renovation.Filed{RenovationID: id, Project: "p1", District: district, Unit: "U-" + id,
			Owner: "王女士", Contractor: "美家装饰", Butler: butler, Description: "厨房卫生间改造", Documents: []renovation.Document{{Kind: "application", Ref: "A"}}, At: at})
		r.emitAs(renovation.Stream(id), butler, "butler", district, at, renovation.WorkStarted{At: at})
	}
	file("r1", "b1", "d1")
	file("r2", "b2", "d2")
	// R-R3: r1 inspected on 2 and 3 March, missed 4 March; r2 missed 2 March.
	r.emitAs(renovation.Stream("r1"), "b1", "butler", "d1", at, renovation.Inspected{Day: "2026-03-02", Butler: "b1", Checklist: check, At: at})
	r.emitAs(renovation.Stream("r1"), "b1", "butler", "d1", at, renovation.Inspected{Day: "2026-03-03", Butler: "b1", Checklist: check, At: at.AddDate(0, 0, 1)})
	r.emitAs(renovation.Stream("r1"), "system", "system", "d1", at, renovation.InspectionMissed{Day: "2026-03-04", Butler: "b1", At: at.AddDate(0, 0, 3)})
	r.emitAs(renovation.Stream("r2"), "system", "system", "d2", at, renovation.InspectionMissed{Day: "2026-03-02", Butler: "b2", At: at.AddDate(0, 0, 1)})
	// R-R4: two violations on r1, one closed.
	r.emitAs(renovation.Stream("r1"), "b1", "butler", "d1", at, renovation.ViolationRecorded{ViolationID: "v1", Unit: "U-r1", Butler: "b1", Description: "拆改承重墙", Evidence: []string{"p1"}, ReportedTo: "s1", StopOrdered: true, At: at})
	r.emitAs(renovation.Stream("r1"), "b1", "butler", "d1", at, renovation.ViolationRecorded{ViolationID: "v2", Unit: "U-r1", Butler: "b1", Description: "夜间施工", Evidence: []string{"p2"}, ReportedTo: "s1", StopOrdered: true, At: at})
	r.emitAs(renovation.Stream("r1"), "b1", "butler", "d1", at, renovation.ViolationRectified{ViolationID: "v1", At: at})
	r.emitAs(renovation.Stream("r1"), "b1", "butler", "d1", at, renovation.ViolationClosed{ViolationID: "v1", At: at})

	// R-R5: the occupancy check finds a unit's renovations here.
	if ids, err := projections.RenovationsOfUnit(t.Context(), r.store, "p1", "U-r1"); err != nil || len(ids) != 1 || ids[0] != "r1" {
		t.Fatalf("renovations of U-r1 = %v, %v", ids, err)
	}
	var r1 projections.Renovation
	r.doc(projections.RenovationsIndex, "r1", &r1)
	if r1.Status != "in_progress" || r1.OpenViolations != 1 || len(r1.MissingDocuments) != 4 || len(r1.InspectedDays) != 2 || len(r1.MissedDays) != 1 {
		t.Fatalf("r1 = %+v", r1)
	}
	// The policy looks again at the end of the first day not yet accounted: 5 March.
	if want := time.Date(2026, 3, 6, 0, 0, 0, 0, renovation.Zone); r1.NextInspectionCheckAt == nil || !r1.NextInspectionCheckAt.Equal(want) {
		t.Fatalf("next check = %v, want %v", r1.NextInspectionCheckAt, want)
	}
	var day projections.RenovationDay
	r.doc(projections.RenovationDaysIndex, "r1|2026-03-02", &day)
	if !day.Inspected || len(day.Failed) != 1 || day.Failed[0] != "rubbish" {
		t.Fatalf("day = %+v", day)
	}
	wantKPI(t, r.kpi("renovation-inspection-compliance", projections.KPIFilter{Month: "2026-03"}), 0.5, 2, 4,
		"r1|2026-03-02", "r1|2026-03-03", "r1|2026-03-04", "r2|2026-03-02")
	wantKPI(t, r.kpi("renovation-inspection-compliance", projections.KPIFilter{Butler: "b1"}), 2.0/3, 2, 3)
	wantKPI(t, r.kpi("renovation-inspection-compliance", projections.KPIFilter{District: "d2"}), 0, 0, 1)
	res := r.kpi("renovation-open-violations", projections.KPIFilter{})
	wantKPI(t, res, 1, 1, 2, "r1-v1", "r1-v2")
	if len(res.NumeratorRecords) != 1 || res.NumeratorRecords[0] != "r1-v2" {
		t.Fatalf("open = %v", res.NumeratorRecords)
	}

	// R-R6: W10 checked twice (met), W11 once and short.
	r.emitAs(register.Stream("w10"), "s1", "supervisor", "", at, register.Checked{Project: "p1", Week: "2026-W10", Renovations: []string{"r1"}, Matches: true, At: at})
	r.emitAs(register.Stream("w10"), "s2", "supervisor", "", at, register.Checked{Project: "p1", Week: "2026-W10", Renovations: []string{"r2"}, Matches: false, Note: "r2 未登记", At: at})
	r.emitAs(register.Stream("w11"), "s1", "supervisor", "", at, register.Checked{Project: "p1", Week: "2026-W11", Renovations: []string{"r1"}, Matches: true, At: at})
	r.emitAs(register.Stream("w11"), "system", "system", "", at, register.Short{Project: "p1", Week: "2026-W11", Checks: 1, At: at})
	r.emitAs(register.Stream("w12"), "s1", "supervisor", "", at, register.Checked{Project: "p1", Week: "2026-W12", Renovations: []string{"r1"}, Matches: true, At: at})
	wantKPI(t, r.kpi("renovation-register-checks", projections.KPIFilter{Month: "2026-03"}), 0.5, 1, 2, "w10", "w11")
}

// R-R7 measured: the assigned area and butler, talks, the next talk due,
// and renovations that went a week without one, by month recorded.
func TestRenovationOwnerTalksKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Renovations)
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	for _, id := range []string{"r1", "r2"} {
		r.emitAs(renovation.Stream(id), "b1", "butler", "d1", at, renovation.FiledV2{RenovationID: id, Project: "p1", District: "d1", Unit: "U-" + id,
			Contractor: "美家装饰", Butler: "b1", Description: "厨房改造", At: at})
		r.emitAs(renovation.Stream(id), "s1", "supervisor", "d1", at, renovation.Assigned{Area: "3号楼", Butler: "b2", At: at})
		r.emitAs(renovation.Stream(id), "b2", "butler", "d1", at, renovation.WorkStarted{At: at})
	}
	week := at.Add(renovation.TalkInterval)
	r.emitAs(renovation.Stream("r1"), "system", "system", "d1", week, renovation.OwnerTalkOverdue{Butler: "b2", Since: at, At: week})
	r.emitAs(renovation.Stream("r2"), "b2", "butler", "d1", at.Add(time.Hour), renovation.OwnerTalked{Butler: "b2", Channel: "phone", Note: "提醒装修时间", At: at.Add(time.Hour)})

	var r1, r2 projections.Renovation
	r.doc(projections.RenovationsIndex, "r1", &r1)
	r.doc(projections.RenovationsIndex, "r2", &r2)
	if r1.Area != "3号楼" || r1.Butler != "b2" || !r1.TalkOverdue || r1.NextTalkDueAt == nil || !r1.NextTalkDueAt.Equal(week) {
		t.Fatalf("r1 = %+v", r1)
	}
	if r2.TalkOverdue || len(r2.Talks) != 1 || !r2.NextTalkDueAt.Equal(at.Add(time.Hour+renovation.TalkInterval)) {
		t.Fatalf("r2 = %+v", r2)
	}
	res := r.kpi("renovation-owner-talks-overdue", projections.KPIFilter{Month: "2026-03", Butler: "b2"})
	if value(res) != 1 || len(res.NumeratorRecords) != 1 || res.NumeratorRecords[0] != "r1" {
		t.Fatalf("kpi = %+v", res)
	}
}
