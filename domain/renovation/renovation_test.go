package renovation_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/household"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/renovation"
)

var (
	t0   = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC) // 09:00, 2 March, China
	docs = []renovation.Document{{Kind: "application", Ref: "ZX-1"}, {Kind: "quality_confirmation", Ref: "QC-1"},
		{Kind: "agreement", Ref: "XY-1"}, {Kind: "fees", Ref: "NO.0009"}, {Kind: "department_review", Ref: "工程部已审"}}
	filed = renovation.FiledV2{RenovationID: "r1", Project: "p1", District: "d1", Unit: "3-2-1201",
		Contractor: "美家装饰", Butler: "b1", Description: "全屋翻新", Documents: docs, At: t0}
	approved    = renovation.Approved{At: t0}
	siteChecked = renovation.SiteChecked{Note: "墙面无裂缝", At: t0}
	briefed     = renovation.RulesBriefed{Owner: "王女士", Contractor: "美家装饰", At: t0}
	started     = renovation.WorkStarted{At: t0}
	violation   = renovation.ViolationRecorded{ViolationID: "v1", Unit: "3-2-1201", Butler: "b1", Description: "拆改承重墙", Evidence: []string{"photo-1"}, ReportedTo: "s1", StopOrdered: true, At: t0}
	rectified   = renovation.ViolationRectified{ViolationID: "v1", Note: "已恢复", At: t0}
	completed   = renovation.WorkCompleted{At: t0.AddDate(0, 0, 3)}
	acceptance  = renovation.AcceptanceInspected{Findings: []string{"阳台防水未做闭水试验"}, At: t0.AddDate(0, 0, 3)}
)

func fullChecklist() map[string]bool {
	m := map[string]bool{}
	for _, item := range renovation.Checklist {
		m[item] = true
	}
	return m
}

func TestFile(t *testing.T) {
	t.Parallel()
	f := renovation.Filing{Project: "p1", District: "d1", Unit: "3-2-1201", Contractor: "美家装饰", Butler: "b1", Description: "全屋翻新", Documents: docs}
	r, err := renovation.File("r1", f, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Changes(), []event.Payload{filed}) {
		t.Fatalf("changes = %#v", r.Changes())
	}
	f.Contractor = ""
	if _, err := renovation.File("r1", f, t0); !errors.Is(err, renovation.ErrFilingIncomplete) {
		t.Fatalf("err = %v", err)
	}
	f.Contractor, f.Documents = "美家装饰", []renovation.Document{{Kind: "receipt", Ref: "x"}}
	if _, err := renovation.File("r1", f, t0); !errors.Is(err, renovation.ErrUnknownDocument) {
		t.Fatalf("err = %v", err)
	}
}

func TestRenovationRules(t *testing.T) {
	t.Parallel()
	noDocs := filed
	noDocs.Documents = docs[:3]
	later := t0.Add(time.Hour)
	tests := []struct {
		name  string
		given []event.Payload
		when  func(r *renovation.Renovation) error
		then  []event.Payload
		err   error
	}{
		{"R-R1 approval needs every filing document", []event.Payload{noDocs},
			func(r *renovation.Renovation) error { return r.Approve(later) }, nil, renovation.ErrDocumentsIncomplete},
		{"R-R1 a late document completes the filing", []event.Payload{noDocs, renovation.DocumentFiled{Document: docs[3]}, renovation.DocumentFiled{Document: docs[4]}},
			func(r *renovation.Renovation) error { return r.Approve(later) }, []event.Payload{renovation.Approved{At: later}}, nil},
		{"R-R2 no start without the site check", []event.Payload{filed, approved, briefed},
			func(r *renovation.Renovation) error { return r.Start(later) }, nil, renovation.ErrSiteCheckMissing},
		{"R-R2 no start without the rules briefing", []event.Payload{filed, approved, siteChecked},
			func(r *renovation.Renovation) error { return r.Start(later) }, nil, renovation.ErrBriefingMissing},
		{"R-R2 the briefing names owner and contractor", []event.Payload{filed, approved},
			func(r *renovation.Renovation) error { return r.BriefRules("王女士", "", fakeSeal, later) }, nil, renovation.ErrBriefingAttendees},
		{"R-R2 site check needs approval", []event.Payload{filed},
			func(r *renovation.Renovation) error { return r.CheckSite("ok", later) }, nil, renovation.ErrNotApproved},
		{"R-R2 start after both", []event.Payload{filed, approved, siteChecked, briefed},
			func(r *renovation.Renovation) error { return r.Start(later) }, []event.Payload{renovation.WorkStarted{At: later}}, nil},
		{"R-R3 an inspection covers every item", []event.Payload{filed, approved, siteChecked, briefed, started},
			func(r *renovation.Renovation) error {
				c := fullChecklist()
				delete(c, "waterproofing")
				return r.Inspect(c, "", later)
			}, nil, renovation.ErrChecklistIncomplete},
		{"R-R3 the day's inspection", []event.Payload{filed, approved, siteChecked, briefed, started},
			func(r *renovation.Renovation) error { return r.Inspect(fullChecklist(), "垃圾已清运", later) },
			[]event.Payload{renovation.Inspected{Day: "2026-03-02", Butler: "b1", Checklist: fullChecklist(), Note: "垃圾已清运", At: later}}, nil},
		{"R-R3 no inspection before work starts", []event.Payload{filed, approved},
			func(r *renovation.Renovation) error { return r.Inspect(fullChecklist(), "", later) }, nil, renovation.ErrNotInProgress},
		{"R-R4 a violation is stopped, evidenced and reported", []event.Payload{filed, approved, siteChecked, briefed, started},
			func(r *renovation.Renovation) error {
				return r.RecordViolation("v1", "拆改承重墙", []string{"photo-1"}, "s1", t0)
			}, []event.Payload{violation}, nil},
		{"R-R4 a violation needs evidence", []event.Payload{filed, approved, siteChecked, briefed, started},
			func(r *renovation.Renovation) error {
				return r.RecordViolation("v1", "拆改承重墙", []string{" "}, "s1", t0)
			}, nil, renovation.ErrViolationIncomplete},
		{"R-R4 a violation is reported to the supervisor", []event.Payload{filed, approved, siteChecked, briefed, started},
			func(r *renovation.Renovation) error {
				return r.RecordViolation("v1", "拆改承重墙", []string{"p"}, "", t0)
			}, nil, renovation.ErrViolationIncomplete},
		{"R-R4 open until rectified", []event.Payload{filed, approved, siteChecked, briefed, started, violation},
			func(r *renovation.Renovation) error { return r.CloseViolation("v1", later) }, nil, renovation.ErrViolationNotRectified},
		{"R-R4 closed once rectified", []event.Payload{filed, approved, siteChecked, briefed, started, violation, rectified},
			func(r *renovation.Renovation) error { return r.CloseViolation("v1", later) }, []event.Payload{renovation.ViolationClosed{ViolationID: "v1", At: later}}, nil},
		{"R-R4 work is not completed over an open violation", []event.Payload{filed, approved, siteChecked, briefed, started, violation, rectified},
			func(r *renovation.Renovation) error { return r.Complete(later) }, nil, renovation.ErrViolationsOpen},
		{"R-R5 acceptance only after completion", []event.Payload{filed, approved, siteChecked, briefed, started},
			func(r *renovation.Renovation) error { return r.InspectForAcceptance(nil, later) }, nil, renovation.ErrNotCompleted},
		{"R-R5 no move-in with an unfixed finding", []event.Payload{filed, approved, siteChecked, briefed, started, completed, acceptance},
			func(r *renovation.Renovation) error { return r.Close(later) }, nil, renovation.ErrNotAccepted},
		{"R-R5 no move-in before acceptance", []event.Payload{filed, approved, siteChecked, briefed, started, completed},
			func(r *renovation.Renovation) error { return r.Close(later) }, nil, renovation.ErrNotAccepted},
		{"R-R5 move-in once findings are fixed", []event.Payload{filed, approved, siteChecked, briefed, started, completed, acceptance, renovation.FindingFixed{Finding: 0}},
			func(r *renovation.Renovation) error { return r.Close(later) }, []event.Payload{renovation.Closed{At: later}}, nil},
		{"a finding is fixed once", []event.Payload{filed, approved, siteChecked, briefed, started, completed, acceptance, renovation.FindingFixed{Finding: 0}},
			func(r *renovation.Renovation) error { return r.FixFinding(0, "", later) }, nil, renovation.ErrUnknownFinding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := renovation.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.when(r); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(r.Changes(), tt.then) {
				t.Fatalf("changes = %#v, want %#v", r.Changes(), tt.then)
			}
		})
	}
}

// R-R3 policy: each ended day of work with no inspection gets inspection_missed, once.
func TestMissedInspections(t *testing.T) {
	t.Parallel()
	inspectedDay2 := renovation.Inspected{Day: "2026-03-03", Checklist: fullChecklist(), At: t0.AddDate(0, 0, 1)}
	r, err := renovation.FromHistory([]event.Payload{filed, approved, siteChecked, briefed, started, inspectedDay2})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := r.RecordMissedInspections(t0.Add(time.Hour)); n != 0 {
		t.Fatalf("recorded %d on the start day", n)
	}
	now := time.Date(2026, 3, 4, 18, 0, 0, 0, time.UTC) // 5 March 02:00 China
	if n, _ := r.RecordMissedInspections(now); n != 2 {
		t.Fatalf("recorded %d, want 2 (2 and 4 March)", n)
	}
	want := []event.Payload{renovation.InspectionMissed{Day: "2026-03-02", Butler: "b1", At: now}, renovation.InspectionMissed{Day: "2026-03-04", Butler: "b1", At: now}}
	if !reflect.DeepEqual(r.Changes(), want) {
		t.Fatalf("changes = %#v", r.Changes())
	}
	if n, _ := r.RecordMissedInspections(now.Add(time.Hour)); n != 0 {
		t.Fatalf("recorded %d again", n)
	}
	// The completion day is a day of work: completed on the start day
	// without an inspection, that day is missed, and no day after it.
	done, _ := renovation.FromHistory([]event.Payload{filed, approved, siteChecked, briefed, started, renovation.WorkCompleted{At: t0.Add(2 * time.Hour)}})
	if n, _ := done.RecordMissedInspections(now); n != 1 {
		t.Fatalf("recorded %d after completion on the start day, want 1 (the completion day)", n)
	}
	if got := done.Changes(); len(got) != 1 || got[0].(renovation.InspectionMissed).Day != renovation.DayOf(t0) {
		t.Fatalf("changes = %#v, want the start-and-completion day missed", got)
	}
	// Inspected on the completion day before completing: nothing is missed.
	inspectedThenDone, _ := renovation.FromHistory([]event.Payload{filed, approved, siteChecked, briefed, started,
		renovation.Inspected{Day: renovation.DayOf(t0), Checklist: fullChecklist(), At: t0.Add(time.Hour)}, renovation.WorkCompleted{At: t0.Add(2 * time.Hour)}})
	if n, _ := inspectedThenDone.RecordMissedInspections(now); n != 0 {
		t.Fatalf("recorded %d for a renovation inspected on its only day", n)
	}
	notStarted, _ := renovation.FromHistory([]event.Payload{filed, approved})
	if n, _ := notStarted.RecordMissedInspections(now); n != 0 {
		t.Fatalf("recorded %d before the start", n)
	}
}

func TestHistoryOrder(t *testing.T) {
	t.Parallel()
	if _, err := renovation.FromHistory([]event.Payload{approved}); !errors.Is(err, renovation.ErrNotFiled) {
		t.Fatalf("err = %v", err)
	}
	if _, err := renovation.FromHistory([]event.Payload{filed, rectified}); !errors.Is(err, renovation.ErrUnknownViolation) {
		t.Fatalf("err = %v", err)
	}
}

// fakeSeal stands for the household's sealer.
func fakeSeal(name string) (household.Sealed, error) {
	return household.Sealed{KeyID: "k", Ciphertext: []byte("sealed:" + name)}, nil
}

// TestFiledV1StillRebuilds: a filing recorded before households (owner in
// plain text) still starts a renovation.
func TestFiledV1StillRebuilds(t *testing.T) {
	t.Parallel()
	v1 := renovation.Filed{RenovationID: "r1", Project: "p1", District: "d1", Unit: "3-2-1201", Owner: "王女士",
		Contractor: "美家装饰", Butler: "b1", Description: "全屋翻新", Documents: docs, At: t0}
	r, err := renovation.FromHistory([]event.Payload{v1, approved, siteChecked, renovation.RulesBriefed{Owner: "王女士", Contractor: "美家装饰", At: t0}})
	if err != nil || r.Unit() != "3-2-1201" {
		t.Fatalf("rebuild from v1: %v", err)
	}
}

// R-R7: areas are given to staff, owners are talked with, and a week of
// work without a talk is recorded once per gap.
func TestAreasAndOwnerTalks(t *testing.T) {
	t.Parallel()
	r, err := renovation.FromHistory([]event.Payload{filed, approved, siteChecked, briefed, started})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Assign(" ", "b2", t0); !errors.Is(err, renovation.ErrAssignmentIncomplete) {
		t.Fatalf("assign without area: %v", err)
	}
	if err := r.Assign("3号楼", "b2", t0); err != nil {
		t.Fatal(err)
	}
	if err := r.TalkWithOwner("b2", "email", "x", t0); !errors.Is(err, renovation.ErrTalkIncomplete) {
		t.Fatalf("talk by email: %v", err)
	}
	// Six days in, nothing is due; seven days in, the overdue talk is
	// recorded in the assigned butler's name, once.
	if ok, _ := r.RecordTalkOverdue(t0.Add(6 * 24 * time.Hour)); ok {
		t.Fatal("overdue after six days")
	}
	week := t0.Add(renovation.TalkInterval)
	if ok, err := r.RecordTalkOverdue(week); !ok || err != nil {
		t.Fatalf("not overdue after a week: %v", err)
	}
	if ok, _ := r.RecordTalkOverdue(week.Add(time.Hour)); ok {
		t.Fatal("overdue recorded twice for one gap")
	}
	want := renovation.OwnerTalkOverdue{Butler: "b2", Since: t0, At: week}
	if got := r.Changes()[len(r.Changes())-1]; !reflect.DeepEqual(got, want) {
		t.Fatalf("overdue = %#v, want %#v", got, want)
	}
	// A talk starts a new week.
	talked := week.Add(2 * time.Hour)
	if err := r.TalkWithOwner("b2", "on_site", "提醒阳台不得拆改", talked); err != nil {
		t.Fatal(err)
	}
	if got := r.TalkDueAt(); !got.Equal(talked.Add(renovation.TalkInterval)) {
		t.Fatalf("next talk due %v", got)
	}
	if ok, _ := r.RecordTalkOverdue(talked.Add(renovation.TalkInterval - time.Minute)); ok {
		t.Fatal("overdue before a week since the talk")
	}
	// Nothing is due once the work is complete.
	if err := r.Complete(talked); err != nil {
		t.Fatal(err)
	}
	if ok, _ := r.RecordTalkOverdue(talked.Add(30 * 24 * time.Hour)); ok {
		t.Fatal("overdue after completion")
	}
}
