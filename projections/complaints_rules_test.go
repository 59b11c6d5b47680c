package projections_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/movein"
	"github.com/butler-pm/butler/domain/visit"
	"github.com/butler-pm/butler/domain/warning"
	"github.com/butler-pm/butler/projections"
)

var (
	cb1  = actor{"b-1", "butler", "d1"}
	csup = actor{"s-1", "supervisor", "d1"}
	cpm  = actor{"pm-1", "project_manager", "d1"}
	sys  = actor{"system", "system", "d1"}
)

// at0 is 2026-07-01 10:00 in the project's time.
var at0 = time.Date(2026, 7, 1, 10, 0, 0, 0, complaint.Zone)

// complaintThrough registers complaint id and takes it as far as the steps say.
func complaintThrough(r *rig, id, category string, valid *bool, satisfaction int) {
	s := complaint.Stream(id)
	r.emit(s, cb1, at0, complaint.RegisteredV2{ComplaintID: id, Project: "p1", District: "d1", Unit: "1-1-" + id,
		Category: category, Description: "投诉 " + id, Soothing: "已致歉", At: at0})
	if valid == nil {
		return
	}
	r.emit(s, cb1, at0.Add(time.Hour), complaint.Dispatched{Assignee: "e-1", At: at0.Add(time.Hour)})
	r.emit(s, cb1, at0.Add(2*time.Hour), complaint.Resolved{Resolution: "已处理", Valid: *valid, ValidityReason: "判定理由", At: at0.Add(2 * time.Hour)})
	if satisfaction > 0 {
		r.emit(s, cb1, at0.Add(3*time.Hour), complaint.ReturnVisited{Channel: complaint.ChannelPhone, Satisfaction: satisfaction, At: at0.Add(3 * time.Hour)})
	}
}

func TestComplaintSatisfactionCountsValidComplaintsOnly(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Complaints)
	yes, no := true, false
	complaintThrough(r, "c1", "噪音", &yes, 5)
	complaintThrough(r, "c2", "噪音", &yes, 2)
	complaintThrough(r, "c3", "噪音", &no, 1) // not a valid complaint: out of satisfaction (R-C7)
	complaintThrough(r, "c4", "漏水", &yes, 4)
	complaintThrough(r, "c5", "漏水", &yes, 0) // resolved, no return visit yet
	complaintThrough(r, "c6", "卫生", nil, 0)  // still open

	month := projections.KPIFilter{Month: "2026-07"}
	sat := r.kpi("complaint-satisfaction", month)
	if value(sat) != 2.0/3 || !slices.Equal(sat.Records, []string{"c1", "c2", "c4"}) || !slices.Equal(sat.NumeratorRecords, []string{"c1", "c4"}) {
		t.Fatalf("R-C3/R-C7 satisfaction = %v over %v (satisfied %v); want 2/3 over c1 c2 c4", value(sat), sat.Records, sat.NumeratorRecords)
	}
	avg := r.kpi("complaint-satisfaction-average", month)
	if math.Abs(value(avg)-11.0/3) > 1e-9 || len(avg.Records) != 3 {
		t.Fatalf("satisfaction average = %v over %v; want 11/3 over the valid ones", value(avg), avg.Records)
	}
	rv := r.kpi("complaint-return-visit-rate", month)
	if value(rv) != 0.8 || len(rv.Records) != 5 || slices.Contains(rv.NumeratorRecords, "c5") {
		t.Fatalf("return-visit rate = %v over %v (visited %v); want 4/5", value(rv), rv.Records, rv.NumeratorRecords)
	}
	var c3 projections.Complaint
	r.doc(projections.ComplaintsIndex, "c3", &c3)
	if c3.Valid == nil || *c3.Valid || c3.ValidityReason != "判定理由" {
		t.Fatalf("the read model shows the judgement: %v %q", c3.Valid, c3.ValidityReason)
	}
}

func TestComplaintDeadlineAndOverdue(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Complaints)
	yes := true
	complaintThrough(r, "leak", "漏水", nil, 0)
	complaintThrough(r, "noise", "噪音", nil, 0)
	complaintThrough(r, "fast", "漏水", &yes, 5)
	var leak, noise projections.Complaint
	r.doc(projections.ComplaintsIndex, "leak", &leak)
	r.doc(projections.ComplaintsIndex, "noise", &noise)
	if !leak.Deadline.Equal(at0.Add(24*time.Hour)) || !noise.Deadline.Equal(at0.Add(72*time.Hour)) {
		t.Fatalf("R-C2 deadlines: leak %v, noise %v", leak.Deadline, noise.Deadline)
	}
	// The leak ran late with no explanation; the noise one had its delay explained in time.
	r.emit(complaint.Stream("noise"), cb1, at0.Add(time.Hour), complaint.DelayExplained{Reason: "需楼上业主配合", ExpectedBy: at0.Add(96 * time.Hour), At: at0.Add(time.Hour)})
	r.emit(complaint.Stream("leak"), sys, at0.Add(25*time.Hour), complaint.Overdue{Deadline: leak.Deadline, Explained: false, At: at0.Add(25 * time.Hour)})
	r.emit(complaint.Stream("noise"), sys, at0.Add(73*time.Hour), complaint.Overdue{Deadline: noise.Deadline, Explained: true, At: at0.Add(73 * time.Hour)})
	r.emit(complaint.Stream("leak"), cb1, at0.Add(26*time.Hour), complaint.Dispatched{Assignee: "e-1", At: at0.Add(26 * time.Hour)})
	r.emit(complaint.Stream("leak"), cb1, at0.Add(30*time.Hour), complaint.Resolved{Resolution: "已修复", Valid: true, ValidityReason: "属实", At: at0.Add(30 * time.Hour)})

	month := projections.KPIFilter{Month: "2026-07"}
	if k := r.kpi("complaint-overdue-unexplained", month); value(k) != 1 || !slices.Equal(k.NumeratorRecords, []string{"leak"}) {
		t.Fatalf("R-C2 overdue without explanation = %v %v; want the leak only", value(k), k.NumeratorRecords)
	}
	if k := r.kpi("complaint-resolved-in-time", month); value(k) != 0.5 || !slices.Equal(k.NumeratorRecords, []string{"fast"}) {
		t.Fatalf("R-C2 resolved in time = %v %v over %v; want fast of fast and leak", value(k), k.NumeratorRecords, k.Records)
	}
}

func TestComplaintDailyReviewAndRecords(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Complaints)
	complaintThrough(r, "c1", "噪音", nil, 0)
	s := complaint.Stream("c1")
	var d projections.Complaint
	r.doc(projections.ComplaintsIndex, "c1", &d)
	// Registered on 07-01: the first day needing a look is 07-02, judged when it ends.
	if d.NextReviewCheckAt == nil || !d.NextReviewCheckAt.Equal(time.Date(2026, 7, 3, 0, 0, 0, 0, complaint.Zone)) {
		t.Fatalf("R-C8 next check = %v", d.NextReviewCheckAt)
	}
	day2 := time.Date(2026, 7, 2, 11, 0, 0, 0, complaint.Zone)
	r.emit(s, csup, day2, complaint.SupervisorReviewed{Day: "2026-07-02", Note: "督促处理", Channel: complaint.ChannelPhone, At: day2})
	r.emit(s, cb1, day2, complaint.CommunicationRecorded{Channel: complaint.ChannelVisit, Note: "上门查看", At: day2})
	r.doc(projections.ComplaintsIndex, "c1", &d)
	if d.NextReviewCheckAt == nil || !d.NextReviewCheckAt.Equal(time.Date(2026, 7, 4, 0, 0, 0, 0, complaint.Zone)) || d.ReviewMissed {
		t.Fatalf("after a look on 07-02: next %v missed %v", d.NextReviewCheckAt, d.ReviewMissed)
	}
	if d.Records != 2 || !d.RecordsUnfiled {
		t.Fatalf("R-C6 records = %d unfiled %v; want the supervisor's call and the visit", d.Records, d.RecordsUnfiled)
	}
	r.emit(s, sys, day2.Add(48*time.Hour), complaint.ReviewMissed{Day: "2026-07-03", At: day2.Add(48 * time.Hour)})
	if k := r.kpi("complaint-daily-review-missed", projections.KPIFilter{Month: "2026-07"}); value(k) != 1 {
		t.Fatalf("R-C8 complaints missing a look = %v", value(k))
	}
	r.emit(s, sys, day2, complaint.RecordFiled{Entry: 1, ArchiveID: "a1", Document: "d1", At: day2})
	r.emit(s, sys, day2, complaint.RecordFiled{Entry: 2, ArchiveID: "a1", Document: "d2", At: day2})
	r.doc(projections.ComplaintsIndex, "c1", &d)
	if d.RecordsFiled != 2 || d.RecordsUnfiled || !slices.Equal(d.FiledIn, []string{"a1"}) {
		t.Fatalf("R-C6 after filing: %d filed, unfiled %v, in %v", d.RecordsFiled, d.RecordsUnfiled, d.FiledIn)
	}
}

func TestWarningsInbox(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Warnings{})
	complaintStream := complaint.Stream("c1")
	r.emit(complaintStream, cb1, at0, complaint.RegisteredV2{ComplaintID: "c1", Project: "p1", District: "d1", Unit: "1-1-1",
		Category: "噪音", Description: "x", Soothing: "y", At: at0})
	r.emit(complaintStream, cb1, at0.Add(time.Hour), complaint.RiskFlagged{Reason: "多户联名投诉", Warn: "project_manager", At: at0.Add(time.Hour)})
	r.emit(visit.Stream("v1"), cb1, at0, visit.Visited{VisitID: "v1", Project: "p1", District: "d1", Visitor: "b-1", Role: "butler",
		Household: "1-1-2", Kind: visit.KindRoutine, At: at0})
	r.emit(visit.Stream("v1"), cb1, at0.Add(2*time.Hour), visit.CommonProblemWarned{Problem: "地库渗水", Warn: "project_manager", At: at0.Add(2 * time.Hour)})

	r.emit(movein.Stream("m1"), cb1, at0, movein.Opened{MoveInID: "m1", Project: "p1", District: "d1", Unit: "1-1-3", Butler: "b-1", At: at0})
	r.emit(movein.Stream("m1"), cb1, at0.Add(time.Hour), movein.RiskFlagged{Reason: "同批次多户拒收", Warn: "project_manager", At: at0.Add(time.Hour)})

	cw, vw, mw := warning.ID(complaintStream, 1), warning.ID(visit.Stream("v1"), 1), warning.ID(movein.Stream("m1"), 1)
	month := projections.KPIFilter{Month: "2026-07"}
	if k := r.kpi("warnings-open", month); value(k) != 3 || !slices.Equal(k.Records, []string{cw, mw, vw}) {
		t.Fatalf("R-C4/R-H5 open warnings = %v %v", value(k), k.Records)
	}
	var w projections.Warning
	r.doc(projections.WarningsIndex, cw, &w)
	if w.Status != "open" || w.Rule != "R-C4" || w.Source != "complaint" || w.SourceID != "c1" || w.Reason != "多户联名投诉" {
		t.Fatalf("the complaint's warning: %+v", w)
	}
	ackAt := at0.Add(4 * time.Hour)
	r.emit(warning.Stream(cw), cpm, ackAt, warning.Acknowledged{WarningID: cw, Source: complaintStream, Rule: "R-C4", Project: "p1",
		District: "d1", By: "pm-1", Note: "约谈业主代表", RaisedAt: at0.Add(time.Hour), At: ackAt})
	r.doc(projections.WarningsIndex, cw, &w)
	if w.Status != "acknowledged" || w.AcknowledgedBy != "pm-1" || w.AcknowledgedAt == nil || w.HoursToAcknowledge == nil || *w.HoursToAcknowledge != 3 {
		t.Fatalf("after acknowledgement: %+v", w)
	}
	var mwDoc projections.Warning
	r.doc(projections.WarningsIndex, mw, &mwDoc)
	if mwDoc.Rule != "R-M4" || mwDoc.Source != "move_in" || mwDoc.Reason != "同批次多户拒收" {
		t.Fatalf("R-M4 the hand-over site's warning: %+v", mwDoc)
	}
	if k := r.kpi("warnings-open", month); value(k) != 2 || !slices.Equal(k.Records, []string{mw, vw}) {
		t.Fatalf("open warnings after one acknowledgement = %v %v", value(k), k.Records)
	}
	if k := r.kpi("warning-time-to-acknowledge", month); value(k) != 3 {
		t.Fatalf("hours to acknowledge = %v", value(k))
	}
}
