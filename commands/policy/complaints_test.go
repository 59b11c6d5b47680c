package policy_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/complaint"
)

var (
	valid      = true
	supervisor = commands.Principal{StaffID: "s1", Role: commands.RoleSupervisor, Project: "p1"}
)

func (r *rig) complaint(category string) string {
	r.t.Helper()
	return r.ok(r.h.Complaint.Register.Handle(r.ctx, as(butler), commands.RegisterComplaint{Unit: "3-2-1201", Owner: "王女士",
		Phone: "13800000000", Category: category, Description: "投诉", Soothing: "已致歉"}))
}

func TestComplaintOverdue(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-C2 complaint overdue"
	leak := r.complaint("漏水")   // 24 h
	noise := r.complaint("噪音")  // 72 h
	inTime := r.complaint("漏水") // resolved in time
	r.ok(r.h.Complaint.Dispatch.Handle(r.ctx, as(butler), commands.DispatchComplaint{ComplaintID: inTime, Assignee: "e1"}))
	r.ok(r.h.Complaint.Resolve.Handle(r.ctx, as(butler), commands.ResolveComplaint{ComplaintID: inTime, Resolution: "已修复", Valid: &valid, ValidityReason: "属实"}))
	r.ok(r.h.Complaint.ExplainDelay.Handle(r.ctx, as(butler), commands.ExplainComplaintDelay{ComplaintID: noise, Reason: "需楼上业主配合", ExpectedBy: "2026-07-06"}))

	r.clock.Advance(24 * time.Hour)
	r.tick(rule, 0) // the leak's deadline is now, not passed
	r.clock.Advance(time.Minute)
	r.tick(rule, 1)
	if r.last(complaint.Stream(leak)) != complaint.TypeOverdue {
		t.Fatal("R-C2 the late leak complaint is not marked overdue")
	}
	var o complaint.Overdue
	if err := json.Unmarshal(r.lastEvent(complaint.Stream(leak)).Data, &o); err != nil || o.Explained {
		t.Fatalf("the leak's delay was never explained: %+v %v", o, err)
	}
	r.tick(rule, 0) // once
	r.clock.Advance(48 * time.Hour)
	r.tick(rule, 1)
	if err := json.Unmarshal(r.lastEvent(complaint.Stream(noise)).Data, &o); err != nil || !o.Explained {
		t.Fatalf("the noise complaint's delay was explained before its deadline: %+v %v", o, err)
	}
	if r.last(complaint.Stream(inTime)) != complaint.TypeResolvedV2 {
		t.Fatal("a complaint resolved in time was marked")
	}
}

func TestComplaintDailyReviewMissed(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-C8 complaint daily review missed"
	id := r.complaint("噪音")         // 2026-07-01 09:00
	r.tick(rule, 0)                 // 07-02 has not ended
	r.clock.Advance(25 * time.Hour) // 07-02 10:00
	r.ok(r.h.Complaint.Review.Handle(r.ctx, as(supervisor), commands.ReviewComplaint{ComplaintID: id, Note: "督促工程部今日上门"}))
	r.clock.Advance(48 * time.Hour) // 07-04 10:00: 07-02 looked at, 07-03 not
	r.tick(rule, 1)
	recs := r.stream(complaint.Stream(id))
	var m complaint.ReviewMissed
	if last := recs[len(recs)-1]; last.Type != complaint.TypeReviewMissed || json.Unmarshal(last.Data, &m) != nil || m.Day != "2026-07-03" {
		t.Fatalf("R-C8 missed day: %s %+v", last.Type, m)
	}
	r.tick(rule, 0)
	// A butler cannot stand in for the supervisor's look.
	_, err := r.h.Complaint.Review.Handle(r.ctx, as(butler), commands.ReviewComplaint{ComplaintID: id, Note: "x"})
	if err == nil {
		t.Fatal("a butler recorded a supervisor's review")
	}
}

func TestComplaintRecordsFiled(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const rule = "R-C6 complaint records filed"
	id := r.complaint("噪音")
	r.ok(r.h.Complaint.Dispatch.Handle(r.ctx, as(butler), commands.DispatchComplaint{ComplaintID: id, Assignee: "e1"}))
	r.ok(r.h.Complaint.FollowUp.Handle(r.ctx, as(butler), commands.FollowUpComplaint{ComplaintID: id, Channel: "phone", Note: "电话告知进度"}))
	r.tick(rule, 0) // the unit has no archive yet: the record waits
	arc := r.ok(r.h.Archive.Open.Handle(r.ctx, as(archivist), commands.OpenArchive{Household: "3-2-1201", Owner: "王女士", District: "d1"}))
	r.ok(r.h.Archive.Open.Handle(r.ctx, as(archivist), commands.OpenArchive{Household: "9-9-909", Owner: "李先生", District: "d1"}))
	r.tick(rule, 1) // one complaint filed (both streams written)
	var f archive.ComplaintRecordFiled
	if last := r.lastEvent(archive.Stream(arc)); last.Type != archive.TypeComplaintRecordFiled || json.Unmarshal(last.Data, &f) != nil ||
		f.ComplaintID != id || f.Entry != 1 || f.Note != "电话告知进度" || f.Channel != "phone" {
		t.Fatalf("R-C6 the call in the owner's archive: %+v", f)
	}
	if r.last(complaint.Stream(id)) != complaint.TypeRecordFiled {
		t.Fatal("the complaint does not record the filing")
	}
	r.tick(rule, 0) // once
	// The return visit is a record too.
	r.ok(r.h.Complaint.Resolve.Handle(r.ctx, as(butler), commands.ResolveComplaint{ComplaintID: id, Resolution: "已协调", Valid: &valid, ValidityReason: "属实"}))
	r.ok(r.h.Complaint.ReturnVisit.Handle(r.ctx, as(butler), commands.ReturnVisitComplaint{ComplaintID: id, Channel: "visit", Satisfaction: 5, Comment: "满意"}))
	r.tick(rule, 1)
	if err := json.Unmarshal(r.lastEvent(archive.Stream(arc)).Data, &f); err != nil || f.Entry != 2 || f.Kind != "return_visit" {
		t.Fatalf("the return visit in the archive: %+v %v", f, err)
	}
}
