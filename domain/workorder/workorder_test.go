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
	unitReg    = reg(workorder.AreaUnit, false, false)
	publicReg  = reg(workorder.AreaPublic, false, false)
	urgentReg  = reg(workorder.AreaUnit, true, false)
	leakReg    = reg(workorder.AreaUnit, false, true)
	dispatched = workorder.Dispatched{Assignee: "eng-1", At: t0.Add(time.Hour)}
	started    = workorder.Started{At: t0.Add(2 * time.Hour)}
	completeAt = t0.Add(30 * time.Hour) // 2026-07-02 15:00 UTC = 23:00 CST
	completed  = workorder.Completed{Result: "更换水管", At: completeAt}
	confirmed  = workorder.OwnerConfirmed{SignedBy: "王女士", At: completeAt}
	visited    = workorder.ReturnVisited{Channel: workorder.ChannelPhone, Satisfaction: 5, At: completeAt.Add(time.Hour)}
	closed     = workorder.Closed{At: completeAt.Add(2 * time.Hour)}
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
	rainSameDay := time.Date(2026, 7, 2, 0, 0, 0, 0, cst)
	rainNextDay := time.Date(2026, 7, 3, 0, 0, 0, 0, cst)
	rainLater := time.Date(2026, 7, 5, 0, 0, 0, 0, cst)
	afterRain := time.Date(2026, 7, 3, 18, 0, 0, 0, cst)

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
			func(w *workorder.WorkOrder) error { return w.ConfirmByOwner("王女士", fakeSeal, now) },
			[]event.Payload{workorder.OwnerConfirmedV2{Signature: &household.Sealed{KeyID: "k", Ciphertext: []byte("sealed:王女士")}, At: now}}, nil},
		{"R-W4 confirmation before completion is refused", flow(unitReg, dispatched, started),
			func(w *workorder.WorkOrder) error { return w.ConfirmByOwner("王女士", fakeSeal, now) }, nil, workorder.ErrNotCompleted},
		{"R-W4 confirming twice is refused", flow(unitReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error { return w.ConfirmByOwner("王女士", fakeSeal, now) }, nil, workorder.ErrAlreadyConfirmed},
		{"R-W4 confirmation names the signer", flow(unitReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error { return w.ConfirmByOwner("", fakeSeal, now) }, nil, workorder.ErrSignerMissing},
		{"R-W4 public repair signed after the return visit", flow(publicReg, dispatched, started, completed, visited),
			func(w *workorder.WorkOrder) error { return w.ConfirmByOwner("巡查业主", fakeSeal, now) },
			[]event.Payload{workorder.OwnerConfirmedV2{SignedBy: "巡查业主", At: now}}, nil},

		{"R-W4 in-home return visit without confirmation is refused", flow(unitReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.ChannelPhone, 5, "", nil, now)
			}, nil, workorder.ErrOwnerConfirmationMissing},
		{"R-W5 return visit of a confirmed in-home repair", flow(unitReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.ChannelVisit, 4, "好", nil, now)
			}, []event.Payload{workorder.ReturnVisited{Channel: workorder.ChannelVisit, Satisfaction: 4, Comment: "好", At: now}}, nil},
		{"R-W4 public repair's return visit needs no confirmation", flow(publicReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.ChannelPhone, 5, "", nil, now)
			}, []event.Payload{workorder.ReturnVisited{Channel: workorder.ChannelPhone, Satisfaction: 5, At: now}}, nil},
		{"R-W5 return visit before completion is refused", flow(publicReg, dispatched, started),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.ChannelPhone, 5, "", nil, now)
			}, nil, workorder.ErrNotCompleted},
		{"R-W5 a second return visit is refused", flow(publicReg, dispatched, started, completed, visited),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.ChannelPhone, 5, "", nil, now)
			}, nil, workorder.ErrReturnVisitDone},
		{"R-W5 satisfaction out of range", flow(publicReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.ChannelPhone, 9, "", nil, now)
			}, nil, workorder.ErrSatisfactionRange},
		{"R-W5 wechat is not a return visit", flow(publicReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.ChannelWeChat, 5, "", nil, now)
			}, nil, workorder.ErrReturnVisitChannel},

		{"R-W5 leak: no rainy day recorded", flow(leakReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.ChannelPhone, 5, "", nil, afterRain)
			}, nil, workorder.ErrNoRainSinceCompletion},
		{"R-W5 leak: rain on the completion date does not count", flow(leakReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.ChannelPhone, 5, "", []time.Time{rainSameDay}, afterRain)
			}, nil, workorder.ErrNoRainSinceCompletion},
		{"R-W5 leak: a rainy day still to come does not count", flow(leakReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.ChannelPhone, 5, "", []time.Time{rainLater}, afterRain)
			}, nil, workorder.ErrNoRainSinceCompletion},
		{"R-W5 leak: visit after the first rainy day after completion", flow(leakReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.ChannelVisit, 5, "未再渗漏", []time.Time{rainLater, rainSameDay, rainNextDay}, afterRain)
			}, []event.Payload{workorder.ReturnVisited{Channel: workorder.ChannelVisit, Satisfaction: 5, Comment: "未再渗漏",
				AfterRainyDay: "2026-07-03", At: afterRain}}, nil},
		{"R-W5 rain is irrelevant to a repair that is not a leak", flow(unitReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error {
				return w.RecordReturnVisit(workorder.ChannelPhone, 5, "", []time.Time{rainNextDay}, afterRain)
			}, []event.Payload{workorder.ReturnVisited{Channel: workorder.ChannelPhone, Satisfaction: 5, At: afterRain}}, nil},

		{"R-W1 close after confirmation and return visit", flow(unitReg, dispatched, started, completed, confirmed, visited),
			func(w *workorder.WorkOrder) error { return w.Close(now) }, []event.Payload{workorder.Closed{At: now}}, nil},
		{"R-W5 close without return visit is refused", flow(unitReg, dispatched, started, completed, confirmed),
			func(w *workorder.WorkOrder) error { return w.Close(now) }, nil, workorder.ErrReturnVisitMissing},
		{"R-W4 close of an in-home repair without confirmation is refused", flow(unitReg, dispatched, started, completed),
			func(w *workorder.WorkOrder) error { return w.Close(now) }, nil, workorder.ErrOwnerConfirmationMissing},
		{"R-W4 public repair closes without confirmation", flow(publicReg, dispatched, started, completed, visited),
			func(w *workorder.WorkOrder) error { return w.Close(now) }, []event.Payload{workorder.Closed{At: now}}, nil},
		{"acting on a closed work order is refused", flow(publicReg, dispatched, started, completed, visited, closed),
			func(w *workorder.WorkOrder) error { return w.RecordCommunication(workorder.ChannelPhone, "x", now) }, nil, workorder.ErrClosed},
		{"closing twice is refused", flow(publicReg, dispatched, started, completed, visited, closed),
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

func TestDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	all := []event.Payload{unitReg, dispatched, started,
		workorder.CommunicationRecorded{Channel: workorder.ChannelSMS, Note: "n", At: t0},
		completed, confirmed, workorder.ReturnVisited{Channel: workorder.ChannelVisit, Satisfaction: 2, Comment: "c", AfterRainyDay: "2026-07-03", At: t0},
		closed, workorder.SLABreached{Deadline: t0, At: t0}, workorder.ReturnVisitOverdue{Due: t0, At: t0}}
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
