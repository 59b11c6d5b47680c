package workorder_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/household"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/workorder"
)

var (
	t0  = time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	cst = time.FixedZone("CST", 8*3600)
)

func reg(area workorder.Area, urgent, leak bool) workorder.Registered {
	return workorder.Registered{WorkOrderID: "w1", Project: "p1", District: "d1", Unit: "3-2-1201",
		Description: "卫生间漏水", Area: area, Warranty: workorder.WarrantyIn, Urgent: urgent, Leak: leak, At: t0}
}

var (
	unitReg       = reg(workorder.AreaUnit, false, false)
	publicReg     = reg(workorder.AreaPublic, false, false)
	urgentReg     = reg(workorder.AreaUnit, true, false)
	leakReg       = reg(workorder.AreaUnit, false, true)
	urgentLeakReg = reg(workorder.AreaUnit, true, true)
	dispatched    = workorder.Dispatched{Assignee: "eng-1", At: t0.Add(time.Hour)}
	started       = workorder.Started{At: t0.Add(2 * time.Hour)}
	completeAt    = t0.Add(30 * time.Hour) // 2026-07-02 15:00 UTC = 23:00 CST
	completed     = workorder.Completed{Result: "更换水管", At: completeAt}
	confirmed     = workorder.OwnerConfirmed{SignedBy: "王女士", At: completeAt}
	visited       = workorder.ReturnVisited{Channel: workorder.ChannelPhone, Satisfaction: 5, At: completeAt.Add(time.Hour)}
	closed        = workorder.Closed{At: completeAt.Add(2 * time.Hour)}
	signedOff     = workorder.SignedOff{StaffID: "b-001", Role: "butler", At: completeAt}

	butlerSigner   = workorder.Signer{StaffID: "b-001", Role: "butler"}
	engineerSigner = workorder.Signer{StaffID: "e-007", Role: "engineer"}
)

func flow(first workorder.Registered, rest ...event.Payload) []event.Payload {
	return append([]event.Payload{first}, rest...)
}

func TestRegister(t *testing.T) {
	t.Parallel()
	good := workorder.Registration{Project: "p1", District: "d1", Unit: "3-2-1201", Description: "卫生间漏水",
		Area: workorder.AreaUnit, Warranty: workorder.WarrantyIn, Leak: true}
	w, err := workorder.Register("w1", good, t0)
	if err != nil {
		t.Fatal(err)
	}
	want := workorder.Registered{WorkOrderID: "w1", Project: "p1", District: "d1", Unit: "3-2-1201",
		Description: "卫生间漏水", Area: workorder.AreaUnit, Warranty: workorder.WarrantyIn, Leak: true, At: t0}
	if !reflect.DeepEqual(w.Changes(), []event.Payload{want}) {
		t.Fatalf("changes = %#v", w.Changes())
	}
	tests := []struct {
		name string
		edit func(r *workorder.Registration)
		err  error
	}{
		{"R-W2 area must be unit or public", func(r *workorder.Registration) { r.Area = "garden" }, workorder.ErrUnknownArea},
		{"R-W2 warranty must be in or out", func(r *workorder.Registration) { r.Warranty = "" }, workorder.ErrUnknownWarranty},
		{"in-home repair names the unit", func(r *workorder.Registration) { r.Unit = "" }, workorder.ErrUnitMissing},
		{"public repair may omit the unit", func(r *workorder.Registration) { r.Unit, r.Area = "", workorder.AreaPublic }, nil},
		{"description required", func(r *workorder.Registration) { r.Description = " " }, workorder.ErrRegistrationIncomplete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := good
			tt.edit(&r)
			if _, err := workorder.Register("w1", r, t0); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestWorkOrderRules(t *testing.T) {
	t.Parallel()
	now := completeAt.Add(3 * time.Hour)
	// Rainy days are dates in the project's zone (CST). Completion was on
	// 2026-07-02 in CST.
	// A rainy day is recorded as staff see the rain: a day dated the
	// completion date counts only if recorded after the repair.
	rainDay := func(day int, recordedAt time.Time) workorder.RainyDay {
		return workorder.RainyDay{Date: time.Date(2026, 7, day, 0, 0, 0, 0, cst), RecordedAt: recordedAt}
	}
	rainSameDayMorning := rainDay(2, time.Date(2026, 7, 2, 8, 0, 0, 0, cst))
	rainSameDayNight := rainDay(2, time.Date(2026, 7, 2, 23, 30, 0, 0, cst))
	rainNextDay := rainDay(3, time.Date(2026, 7, 3, 9, 0, 0, 0, cst))
	rainLater := rainDay(5, time.Date(2026, 7, 5, 9, 0, 0, 0, cst))
	afterRain := time.Date(2026, 7, 3, 18, 0, 0, 0, cst)
	standard := []workorder.VisitKind{workorder.VisitStandard}
	urgentOnly := []workorder.VisitKind{workorder.VisitUrgent24h}
	afterRainOnly := []workorder.VisitKind{workorder.VisitAfterRain}
	urgentVisit := workorder.ReturnVisitedV2{Kinds: urgentOnly, Channel: workorder.ChannelPhone, Satisfaction: 5, At: completeAt.Add(2 * time.Hour)}

	tests := []struct {
		name  string
		given []event.Payload
		when  func(w *workorder.WorkOrder) error
		then  []event.Payload
		err   error
	}{
		{"R-W1 dispatch", flow(unitReg),
			func(w *workorder.WorkOrder) error { return w.Dispatch("eng-1", now) },
			[]event.Payload{workorder.Dispatched{Assignee: "eng-1", At: now}}, nil},
		{"dispatch needs an assignee", flow(unitReg),
			func(w *workorder.WorkOrder) error { return w.Dispatch("", now) }, nil, workorder.ErrAssigneeMissing},
		{"no reassignment once started", flow(unitReg, dispatched, started),
			func(w *workorder.WorkOrder) error { return w.Dispatch("eng-2", now) }, nil, workorder.ErrAlreadyStarted},
		{"R-W1 start before dispatch is refused", flow(unitReg),
			func(w *workorder.WorkOrder) error { return w.Start(now) }, nil, workorder.ErrNotDispatched},
		{"start", flow(unitReg, dispatched),
			func(w *workorder.WorkOrder) error { return w.Start(now) }, []event.Payload{workorder.Started{At: now}}, nil},
		{"starting twice is refused", flow(unitReg, dispatched, started),
			func(w *workorder.WorkOrder) error { return w.Start(now) }, nil, workorder.ErrAlreadyStarted},
		{"follow-up with the owner", flow(unitReg, dispatched),
			func(w *workorder.WorkOrder) error {
				return w.RecordCommunication(workorder.ChannelPhone, "配件未到", now)
			},
			[]event.Payload{workorder.CommunicationRecorded{Channel: workorder.ChannelPhone, Note: "配件未到", At: now}}, nil},
		{"follow-up channel outside the set", flow(unitReg),
			func(w *workorder.WorkOrder) error { return w.RecordCommunication("pigeon", "x", now) }, nil, workorder.ErrUnknownChannel},
		{"follow-up needs a note", flow(unitReg),
			func(w *workorder.WorkOrder) error { return w.RecordCommunication(workorder.ChannelSMS, "", now) }, nil, workorder.ErrNoteMissing},
		{"complete before start is refused", flow(unitReg, dispatched),
			func(w *workorder.WorkOrder) error { return w.Complete("done", now) }, nil, workorder.ErrNotStarted},
		{"complete", flow(unitReg, dispatched, started),
			func(w *workorder.WorkOrder) error { return w.Complete("更换水管", now) },
			[]event.Payload{workorder.Completed{Result: "更换水管", At: now}}, nil},
		{"completing twice is refused", flow(unitReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error { return w.Complete("again", now) }, nil, workorder.ErrAlreadyCompleted},
		{"completion needs a result", flow(unitReg, dispatched, started),
			func(w *workorder.WorkOrder) error { return w.Complete("", now) }, nil, workorder.ErrResultMissing},

		{"R-W4 owner confirms a completed repair", flow(unitReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error { return w.Confirm("王女士", engineerSigner, fakeSeal, now) },
			[]event.Payload{workorder.OwnerConfirmedV2{Signature: &household.Sealed{KeyID: "k", Ciphertext: []byte("sealed:王女士")}, At: now}}, nil},
		{"R-W4 confirmation before completion is refused", flow(unitReg, dispatched, started),
			func(w *workorder.WorkOrder) error { return w.Confirm("王女士", engineerSigner, fakeSeal, now) }, nil, workorder.ErrNotCompleted},
		{"R-W4 confirming twice is refused", flow(unitReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error { return w.Confirm("王女士", engineerSigner, fakeSeal, now) }, nil, workorder.ErrAlreadyConfirmed},
		{"R-W4 confirmation names the signer", flow(unitReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error { return w.Confirm("", engineerSigner, fakeSeal, now) }, nil, workorder.ErrSignerMissing},
		{"R-W4 the district's butler signs a public repair off", flow(publicReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error { return w.Confirm("", butlerSigner, fakeSeal, now) },
			[]event.Payload{workorder.SignedOff{StaffID: "b-001", Role: "butler", At: now}}, nil},
		{"R-W4 a supervisor signs a public repair off", flow(publicReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error {
				return w.Confirm("", workorder.Signer{StaffID: "s-001", Role: "supervisor"}, fakeSeal, now)
			},
			[]event.Payload{workorder.SignedOff{StaffID: "s-001", Role: "supervisor", At: now}}, nil},
		{"R-W4 the engineer cannot sign a public repair off", flow(publicReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error { return w.Confirm("工程部", engineerSigner, fakeSeal, now) }, nil, workorder.ErrPublicSignOffRole},
		{"R-W4 whoever did the repair cannot sign it off", flow(publicReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error {
				return w.Confirm("", workorder.Signer{StaffID: "eng-1", Role: "butler"}, fakeSeal, now)
			}, nil, workorder.ErrSignOffByRepairer},
		{"R-W4 a public repair is signed off once", flow(publicReg, dispatched, started, completed, signedOff),
			func(w *workorder.WorkOrder) error { return w.Confirm("", butlerSigner, fakeSeal, now) }, nil, workorder.ErrAlreadyConfirmed},
		{"R-W4 a public repair is signed off after repair, not before", flow(publicReg, dispatched, started),
			func(w *workorder.WorkOrder) error { return w.Confirm("", butlerSigner, fakeSeal, now) }, nil, workorder.ErrNotCompleted},

		{"R-W4 in-home return visit without confirmation is refused", flow(unitReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelPhone, 5, "", nil, now)
			}, nil, workorder.ErrOwnerConfirmationMissing},
		{"R-W5 return visit of a confirmed in-home repair", flow(unitReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelVisit, 4, "好", nil, now)
			}, []event.Payload{workorder.ReturnVisitedV2{Kinds: standard, Channel: workorder.ChannelVisit, Satisfaction: 4, Comment: "好", At: now}}, nil},
		{"R-W4 public repair's return visit waits for its sign-off", flow(publicReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelPhone, 5, "", nil, now)
			}, nil, workorder.ErrPublicSignOffMissing},
		{"R-W4 signed-off public repair's return visit", flow(publicReg, dispatched, started, completed, signedOff),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelPhone, 5, "", nil, now)
			}, []event.Payload{workorder.ReturnVisitedV2{Kinds: standard, Channel: workorder.ChannelPhone, Satisfaction: 5, At: now}}, nil},
		{"R-W5 return visit before completion is refused", flow(publicReg, dispatched, started),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelPhone, 5, "", nil, now)
			}, nil, workorder.ErrNotCompleted},
		{"R-W5 a second return visit is refused", flow(publicReg, dispatched, started, completed, signedOff, visited),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelPhone, 5, "", nil, now)
			}, nil, workorder.ErrReturnVisitDone},
		{"R-W5 satisfaction out of range", flow(publicReg, dispatched, started, completed, signedOff),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelPhone, 9, "", nil, now)
			}, nil, workorder.ErrSatisfactionRange},
		{"R-W5 wechat is not a return visit", flow(publicReg, dispatched, started, completed, signedOff),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelWeChat, 5, "", nil, now)
			}, nil, workorder.ErrReturnVisitChannel},

		{"R-W5 leak: no rainy day recorded", flow(leakReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelPhone, 5, "", nil, afterRain)
			}, nil, workorder.ErrNoRainSinceCompletion},
		{"R-W5 leak: rain on the completion date recorded before the repair does not count", flow(leakReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelPhone, 5, "", []workorder.RainyDay{rainSameDayMorning}, afterRain)
			}, nil, workorder.ErrNoRainSinceCompletion},
		{"R-W5 leak: rain recorded on the completion date after the repair counts", flow(leakReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelPhone, 5, "", []workorder.RainyDay{rainSameDayNight}, afterRain)
			}, []event.Payload{workorder.ReturnVisitedV2{Kinds: afterRainOnly, Channel: workorder.ChannelPhone, Satisfaction: 5,
				AfterRainyDay: "2026-07-02", AfterRainDueBy: time.Date(2026, 7, 6, 0, 0, 0, 0, cst), At: afterRain}}, nil},
		{"R-W5 leak: a rainy day still to come does not count", flow(leakReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelPhone, 5, "", []workorder.RainyDay{rainLater}, afterRain)
			}, nil, workorder.ErrNoRainSinceCompletion},
		{"R-W5 leak: visit after the first rainy day after completion", flow(leakReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelVisit, 5, "未再渗漏", []workorder.RainyDay{rainLater, rainSameDayMorning, rainNextDay}, afterRain)
			}, []event.Payload{workorder.ReturnVisitedV2{Kinds: afterRainOnly, Channel: workorder.ChannelVisit, Satisfaction: 5, Comment: "未再渗漏",
				AfterRainyDay: "2026-07-03", AfterRainDueBy: time.Date(2026, 7, 7, 0, 0, 0, 0, cst), At: afterRain}}, nil},
		{"R-W5 rain is irrelevant to a repair that is not a leak", flow(unitReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelPhone, 5, "", []workorder.RainyDay{rainNextDay}, afterRain)
			}, []event.Payload{workorder.ReturnVisitedV2{Kinds: standard, Channel: workorder.ChannelPhone, Satisfaction: 5, At: afterRain}}, nil},

		// An urgent leak repair needs both visits: the 24 h one cannot wait for rain.
		{"R-W5 urgent leak: the 24 h visit needs no rain", flow(urgentLeakReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelPhone, 5, "", nil, now)
			}, []event.Payload{workorder.ReturnVisitedV2{Kinds: urgentOnly, Channel: workorder.ChannelPhone, Satisfaction: 5, At: now}}, nil},
		{"R-W5 urgent leak: the 24 h visit named, rain or not", flow(urgentLeakReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.VisitUrgent24h, workorder.ChannelPhone, 5, "", []workorder.RainyDay{rainSameDayNight}, now)
			}, []event.Payload{workorder.ReturnVisitedV2{Kinds: urgentOnly, Channel: workorder.ChannelPhone, Satisfaction: 5, At: now}}, nil},
		{"R-W5 urgent leak: after the 24 h visit, the after-rain visit still waits for rain", flow(urgentLeakReg, dispatched, started, completed, confirmed, urgentVisit),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelPhone, 5, "", nil, afterRain)
			}, nil, workorder.ErrNoRainSinceCompletion},
		{"R-W5 urgent leak: after the 24 h visit and the rain, the after-rain visit", flow(urgentLeakReg, dispatched, started, completed, confirmed, urgentVisit),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelVisit, 4, "雨后无渗漏", []workorder.RainyDay{rainNextDay}, afterRain)
			}, []event.Payload{workorder.ReturnVisitedV2{Kinds: afterRainOnly, Channel: workorder.ChannelVisit, Satisfaction: 4, Comment: "雨后无渗漏",
				AfterRainyDay: "2026-07-03", AfterRainDueBy: time.Date(2026, 7, 7, 0, 0, 0, 0, cst), At: afterRain}}, nil},
		{"R-W5 urgent leak: one visit after the rain makes both", flow(urgentLeakReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("", workorder.ChannelVisit, 4, "", []workorder.RainyDay{rainNextDay}, afterRain)
			}, []event.Payload{workorder.ReturnVisitedV2{Kinds: []workorder.VisitKind{workorder.VisitUrgent24h, workorder.VisitAfterRain},
				Channel: workorder.ChannelVisit, Satisfaction: 4, AfterRainyDay: "2026-07-03", AfterRainDueBy: time.Date(2026, 7, 7, 0, 0, 0, 0, cst), At: afterRain}}, nil},
		{"R-W5 urgent leak: the after-rain visit named before the rain is refused", flow(urgentLeakReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.VisitAfterRain, workorder.ChannelVisit, 4, "", nil, now)
			}, nil, workorder.ErrNoRainSinceCompletion},
		{"R-W5 urgent leak: the 24 h visit twice is refused", flow(urgentLeakReg, dispatched, started, completed, confirmed, urgentVisit),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.VisitUrgent24h, workorder.ChannelVisit, 4, "", nil, now)
			}, nil, workorder.ErrReturnVisitDone},
		{"R-W5 urgent leak: closing after the 24 h visit alone is refused", flow(urgentLeakReg, dispatched, started, completed, confirmed, urgentVisit),
			func(w *workorder.WorkOrder) error { return w.Close(now) }, nil, workorder.ErrReturnVisitMissing},
		{"R-W5 urgent leak: closes after both visits", flow(urgentLeakReg, dispatched, started, completed, confirmed, urgentVisit,
			workorder.ReturnVisitedV2{Kinds: afterRainOnly, Channel: workorder.ChannelVisit, Satisfaction: 5, At: afterRain}),
			func(w *workorder.WorkOrder) error { return w.Close(now) }, []event.Payload{workorder.Closed{At: now}}, nil},
		{"R-W5 urgent leak: a visit recorded before there were two kinds made both", flow(urgentLeakReg, dispatched, started, completed, confirmed, visited),
			func(w *workorder.WorkOrder) error { return w.Close(now) }, []event.Payload{workorder.Closed{At: now}}, nil},
		{"R-W5 an after-rain visit on a repair that is not a leak is refused", flow(urgentReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.VisitAfterRain, workorder.ChannelVisit, 4, "", []workorder.RainyDay{rainNextDay}, afterRain)
			}, nil, workorder.ErrVisitKindNotRequired},
		{"R-W5 a standard visit on an urgent repair is refused", flow(urgentReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.VisitStandard, workorder.ChannelVisit, 4, "", nil, now)
			}, nil, workorder.ErrVisitKindNotRequired},
		{"R-W5 an unknown kind of visit is refused", flow(urgentReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit("weekly", workorder.ChannelVisit, 4, "", nil, now)
			}, nil, workorder.ErrUnknownVisitKind},

		{"R-W1 close after confirmation and return visit", flow(unitReg, dispatched, started, completed, confirmed, visited),
			func(w *workorder.WorkOrder) error { return w.Close(now) }, []event.Payload{workorder.Closed{At: now}}, nil},
		{"R-W5 close without return visit is refused", flow(unitReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error { return w.Close(now) }, nil, workorder.ErrReturnVisitMissing},
		{"R-W4 close of an in-home repair without confirmation is refused", flow(unitReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error { return w.Close(now) }, nil, workorder.ErrOwnerConfirmationMissing},
		{"R-W4 public repair without its sign-off does not close", flow(publicReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error { return w.Close(now) }, nil, workorder.ErrPublicSignOffMissing},
		{"R-W4 signed-off public repair closes after its return visit", flow(publicReg, dispatched, started, completed, signedOff, visited),
			func(w *workorder.WorkOrder) error { return w.Close(now) }, []event.Payload{workorder.Closed{At: now}}, nil},
		{"acting on a closed work order is refused", flow(publicReg, dispatched, started, completed, signedOff, visited, closed),
			func(w *workorder.WorkOrder) error { return w.RecordCommunication(workorder.ChannelPhone, "x", now) }, nil, workorder.ErrClosed},
		{"closing twice is refused", flow(publicReg, dispatched, started, completed, signedOff, visited, closed),
			func(w *workorder.WorkOrder) error { return w.Close(now) }, nil, workorder.ErrClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := workorder.FromHistory(tt.given)
			if err != nil {
				t.Fatalf("given: %v", err)
			}
			err = tt.when(w)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got := w.Changes(); !reflect.DeepEqual(got, tt.then) && !(len(got) == 0 && len(tt.then) == 0) {
				t.Fatalf("then = %#v, want %#v", got, tt.then)
			}
		})
	}
}

func TestSLABreach(t *testing.T) {
	t.Parallel()
	deadline := t0.Add(72 * time.Hour)
	contact := func(at time.Time) event.Payload {
		return workorder.CommunicationRecorded{Channel: workorder.ChannelPhone, Note: "n", At: at}
	}
	doneAt := func(at time.Time) event.Payload { return workorder.Completed{Result: "r", At: at} }
	tests := []struct {
		name   string
		given  []event.Payload
		now    time.Time
		record bool
	}{
		{"R-W3 unfinished and silent for 3 days: breach", flow(unitReg, dispatched), deadline, true},
		{"R-W3 long after, still a breach", flow(unitReg, dispatched, started), deadline.Add(240 * time.Hour), true},
		{"R-W3 not yet 3 days", flow(unitReg, dispatched), deadline.Add(-time.Second), false},
		{"R-W3 a communication within 3 days keeps the SLA", flow(unitReg, dispatched, contact(deadline.Add(-time.Minute))), deadline.Add(time.Hour), false},
		{"R-W3 a communication after 3 days is too late", flow(unitReg, dispatched, contact(deadline.Add(time.Minute))), deadline.Add(time.Hour), true},
		{"R-W3 completed within 3 days", flow(unitReg, dispatched, started, doneAt(deadline.Add(-time.Hour))), deadline.Add(time.Hour), false},
		{"R-W3 completed late and silent: breach even when closed", flow(publicReg, dispatched, started, doneAt(deadline.Add(time.Hour)),
			workorder.ReturnVisited{Channel: workorder.ChannelPhone, Satisfaction: 3, At: deadline.Add(2 * time.Hour)},
			workorder.Closed{At: deadline.Add(3 * time.Hour)}), deadline.Add(4 * time.Hour), true},
		{"R-W3 recorded once", flow(unitReg, workorder.SLABreached{Deadline: deadline, At: deadline}), deadline.Add(time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := workorder.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			got, err := w.RecordSLABreach(tt.now)
			if err != nil || got != tt.record {
				t.Fatalf("recorded = %v, %v; want %v", got, err, tt.record)
			}
			var want []event.Payload
			if tt.record {
				want = []event.Payload{workorder.SLABreached{Deadline: deadline, At: tt.now}}
				if _, due := w.DueForSLACheck(); due {
					t.Fatal("still due after recording")
				}
				again, _ := w.RecordSLABreach(tt.now.Add(time.Hour))
				if again {
					t.Fatal("recorded twice")
				}
			}
			if !reflect.DeepEqual(w.Changes(), want) && !(len(w.Changes()) == 0 && len(want) == 0) {
				t.Fatalf("changes = %#v", w.Changes())
			}
		})
	}
	w, _ := workorder.FromHistory(flow(unitReg))
	if due, ok := w.DueForSLACheck(); !ok || !due.Equal(deadline) {
		t.Fatalf("DueForSLACheck = %v %v, want %v", due, ok, deadline)
	}
}

func TestReturnVisitOverdue(t *testing.T) {
	t.Parallel()
	due := completeAt.Add(24 * time.Hour)
	visit := func(at time.Time) event.Payload {
		return workorder.ReturnVisited{Channel: workorder.ChannelPhone, Satisfaction: 5, At: at}
	}
	tests := []struct {
		name   string
		given  []event.Payload
		now    time.Time
		record bool
	}{
		{"R-W5 urgent, no visit in 24 h: overdue", flow(urgentReg, dispatched, started, completed, confirmed), due, true},
		{"R-W5 urgent, not yet 24 h", flow(urgentReg, dispatched, started, completed, confirmed), due.Add(-time.Second), false},
		{"R-W5 urgent, visited in time", flow(urgentReg, dispatched, started, completed, confirmed, visit(due.Add(-time.Hour))), due.Add(time.Hour), false},
		{"R-W5 urgent, visited late: still overdue", flow(urgentReg, dispatched, started, completed, confirmed, visit(due.Add(time.Hour))), due.Add(2 * time.Hour), true},
		{"R-W5 not urgent: no 24 h rule", flow(unitReg, dispatched, started, completed, confirmed), due.Add(time.Hour), false},
		{"R-W5 urgent but not completed: nothing due", flow(urgentReg, dispatched, started), due.Add(time.Hour), false},
		{"R-W5 recorded once", flow(urgentReg, dispatched, started, completed, workorder.ReturnVisitOverdue{Due: due, At: due}), due.Add(time.Hour), false},
		{"R-W5 urgent leak, 24 h visit in time: not overdue", flow(urgentLeakReg, dispatched, started, completed, confirmed,
			workorder.ReturnVisitedV2{Kinds: []workorder.VisitKind{workorder.VisitUrgent24h}, Channel: workorder.ChannelPhone, Satisfaction: 5, At: due.Add(-time.Hour)}),
			due.Add(time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := workorder.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			got, err := w.RecordReturnVisitOverdue(tt.now)
			if err != nil || got != tt.record {
				t.Fatalf("recorded = %v, %v; want %v", got, err, tt.record)
			}
			if tt.record {
				want := []event.Payload{workorder.ReturnVisitOverdue{Due: due, At: tt.now}}
				if !reflect.DeepEqual(w.Changes(), want) {
					t.Fatalf("changes = %#v", w.Changes())
				}
				if again, _ := w.RecordReturnVisitOverdue(tt.now.Add(time.Hour)); again {
					t.Fatal("recorded twice")
				}
			} else if len(w.Changes()) != 0 {
				t.Fatalf("changes = %#v", w.Changes())
			}
		})
	}
}

func TestAfterRainVisitOverdue(t *testing.T) {
	t.Parallel()
	// Completed 2026-07-02 23:00 CST; it rains on the 4th; the after-rain
	// visit is due by the end of the 7th (three days after the rain).
	rain := []workorder.RainyDay{{Date: time.Date(2026, 7, 4, 0, 0, 0, 0, cst), RecordedAt: time.Date(2026, 7, 4, 10, 0, 0, 0, cst)}}
	due := time.Date(2026, 7, 8, 0, 0, 0, 0, cst)
	visit := func(at time.Time) event.Payload {
		return workorder.ReturnVisitedV2{Kinds: []workorder.VisitKind{workorder.VisitAfterRain}, Channel: workorder.ChannelVisit, Satisfaction: 5, At: at}
	}
	tests := []struct {
		name   string
		given  []event.Payload
		rain   []workorder.RainyDay
		now    time.Time
		record bool
	}{
		{"R-W5 leak, no after-rain visit three days after the rain: overdue", flow(leakReg, dispatched, started, completed, confirmed), rain, due, true},
		{"R-W5 leak, not yet three days after the rain", flow(leakReg, dispatched, started, completed, confirmed), rain, due.Add(-time.Second), false},
		{"R-W5 leak, no rain yet: nothing due however long", flow(leakReg, dispatched, started, completed, confirmed), nil, due.Add(30 * 24 * time.Hour), false},
		{"R-W5 leak, visited in time", flow(leakReg, dispatched, started, completed, confirmed, visit(due.Add(-time.Hour))), rain, due.Add(time.Hour), false},
		{"R-W5 leak, visited late: overdue", flow(leakReg, dispatched, started, completed, confirmed, visit(due.Add(time.Hour))), rain, due.Add(2 * time.Hour), true},
		{"R-W5 urgent leak, only the 24 h visit: overdue", flow(urgentLeakReg, dispatched, started, completed, confirmed,
			workorder.ReturnVisitedV2{Kinds: []workorder.VisitKind{workorder.VisitUrgent24h}, Channel: workorder.ChannelPhone, Satisfaction: 5, At: completeAt.Add(time.Hour)}),
			rain, due, true},
		{"R-W5 not a leak: no after-rain rule", flow(unitReg, dispatched, started, completed, confirmed), rain, due, false},
		{"R-W5 recorded once", flow(leakReg, dispatched, started, completed, workorder.AfterRainVisitOverdue{RainyDay: "2026-07-04", Due: due, At: due}), rain, due.Add(time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := workorder.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			got, err := w.RecordAfterRainVisitOverdue(tt.rain, tt.now)
			if err != nil || got != tt.record {
				t.Fatalf("recorded = %v, %v; want %v", got, err, tt.record)
			}
			if !tt.record {
				if len(w.Changes()) != 0 {
					t.Fatalf("changes = %#v", w.Changes())
				}
				return
			}
			want := []event.Payload{workorder.AfterRainVisitOverdue{RainyDay: "2026-07-04", Due: due, At: tt.now}}
			if !reflect.DeepEqual(w.Changes(), want) {
				t.Fatalf("changes = %#v", w.Changes())
			}
			if again, _ := w.RecordAfterRainVisitOverdue(tt.rain, tt.now.Add(time.Hour)); again {
				t.Fatal("recorded twice")
			}
		})
	}
}

func TestVerifyReturnVisit(t *testing.T) {
	t.Parallel()
	now := completeAt.Add(10 * 24 * time.Hour)
	tests := []struct {
		name   string
		given  []event.Payload
		method workorder.VerificationMethod
		result workorder.VerificationResult
		note   string
		err    error
	}{
		{"R-W7 a call-back confirms the visit", flow(unitReg, dispatched, started, completed, confirmed, visited), workorder.VerifyCallBack, workorder.VerifiedOK, "", nil},
		{"R-W7 a closed work order is verified", flow(unitReg, dispatched, started, completed, confirmed, visited, closed), workorder.VerifyRecording, workorder.VerifiedNotReached, "", nil},
		{"R-W7 a visit found false says what was found", flow(unitReg, dispatched, started, completed, confirmed, visited), workorder.VerifyCallBack, workorder.VerifiedFalse, "业主称未接到回访电话", nil},
		{"R-W7 false without a note is refused", flow(unitReg, dispatched, started, completed, confirmed, visited), workorder.VerifyCallBack, workorder.VerifiedFalse, " ", workorder.ErrVerificationNoteMissing},
		{"R-W7 nothing to verify before a return visit", flow(unitReg, dispatched, started, completed, confirmed), workorder.VerifyCallBack, workorder.VerifiedOK, "", workorder.ErrNoReturnVisitToVerify},
		{"R-W7 unknown method", flow(unitReg, dispatched, started, completed, confirmed, visited), "guess", workorder.VerifiedOK, "", workorder.ErrUnknownVerificationMethod},
		{"R-W7 unknown result", flow(unitReg, dispatched, started, completed, confirmed, visited), workorder.VerifyCallBack, "maybe", "", workorder.ErrUnknownVerificationResult},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := workorder.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			err = w.VerifyReturnVisit(tt.method, tt.result, tt.note, now)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			var want []event.Payload
			if tt.err == nil {
				want = []event.Payload{workorder.ReturnVisitVerified{Method: tt.method, Result: tt.result, Note: tt.note, At: now}}
			}
			if !reflect.DeepEqual(w.Changes(), want) && !(len(w.Changes()) == 0 && len(want) == 0) {
				t.Fatalf("changes = %#v", w.Changes())
			}
		})
	}
}

func TestFormsFiled(t *testing.T) {
	t.Parallel()
	now := completeAt.Add(48 * time.Hour)
	docs := []string{"报修单 workorder-w1", "派工单 workorder-w1", "服务记录表 workorder-w1"}
	var names []string
	for _, f := range workorder.Forms("w1") {
		names = append(names, f.Document)
	}
	if !reflect.DeepEqual(names, docs) {
		t.Fatalf("forms = %v", names)
	}
	tests := []struct {
		name  string
		given []event.Payload
		due   bool
		err   error
	}{
		{"R-W8 a closed in-home repair files its forms", flow(unitReg, dispatched, started, completed, confirmed, visited, closed), true, nil},
		{"R-W8 not before it is closed", flow(unitReg, dispatched, started, completed, confirmed, visited), false, workorder.ErrFormsNotDue},
		{"R-W8 a public repair has no owner's archive", flow(publicReg, dispatched, started, completed, signedOff, visited, closed), false, workorder.ErrFormsNotDue},
		{"R-W8 filed once", flow(unitReg, dispatched, started, completed, confirmed, visited, closed,
			workorder.FormsFiled{ArchiveID: "a1", Documents: docs, At: now}), false, workorder.ErrFormsFiled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := workorder.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if w.FormsDue() != tt.due {
				t.Fatalf("FormsDue = %v", w.FormsDue())
			}
			err = w.RecordFormsFiled("a1", docs, now)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if tt.err == nil && !reflect.DeepEqual(w.Changes(), []event.Payload{workorder.FormsFiled{ArchiveID: "a1", Documents: docs, At: now}}) {
				t.Fatalf("changes = %#v", w.Changes())
			}
		})
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	all := []event.Payload{unitReg, dispatched, started,
		workorder.CommunicationRecorded{Channel: workorder.ChannelSMS, Note: "n", At: t0},
		completed, confirmed, workorder.ReturnVisited{Channel: workorder.ChannelVisit, Satisfaction: 2, Comment: "c", AfterRainyDay: "2026-07-03", At: t0},
		closed, workorder.SLABreached{Deadline: t0, At: t0}, workorder.ReturnVisitOverdue{Due: t0, At: t0},
		workorder.ReturnVisitedV2{Kinds: []workorder.VisitKind{workorder.VisitUrgent24h, workorder.VisitAfterRain}, Channel: workorder.ChannelPhone,
			Satisfaction: 4, Comment: "c", AfterRainyDay: "2026-07-03", AfterRainDueBy: t0, At: t0},
		workorder.AfterRainVisitOverdue{RainyDay: "2026-07-03", Due: t0, At: t0}, signedOff,
		workorder.ReturnVisitVerified{Method: workorder.VerifyCallBack, Result: workorder.VerifiedFalse, Note: "n", At: t0},
		workorder.FormsFiled{ArchiveID: "a1", Documents: []string{"d"}, At: t0}}
	for _, p := range all {
		data, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := workorder.Decode(p.EventType(), data)
		if err != nil {
			t.Fatalf("%s: %v", p.EventType(), err)
		}
		if !reflect.DeepEqual(got, p) {
			t.Fatalf("%s: got %#v want %#v", p.EventType(), got, p)
		}
	}
	if _, err := workorder.Decode("workorder.nope.v1", nil); err == nil {
		t.Fatal("unknown type decoded")
	}
}

func TestFromHistoryRefusesEventsBeforeRegistration(t *testing.T) {
	t.Parallel()
	if _, err := workorder.FromHistory([]event.Payload{dispatched}); !errors.Is(err, workorder.ErrNotRegistered) {
		t.Fatalf("err = %v", err)
	}
	if _, err := workorder.FromHistory(flow(unitReg, unitReg)); !errors.Is(err, workorder.ErrNotRegistered) {
		t.Fatalf("registered twice: err = %v", err)
	}
	if _, err := workorder.FromHistory(nil); !errors.Is(err, workorder.ErrNotRegistered) {
		t.Fatalf("empty history: err = %v", err)
	}
}

// fakeSeal stands for the household's sealer: the domain only passes the
// name through it.
func fakeSeal(name string) (household.Sealed, error) {
	return household.Sealed{KeyID: "k", Ciphertext: []byte("sealed:" + name)}, nil
}
