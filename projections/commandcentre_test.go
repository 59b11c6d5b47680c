package projections_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/commandcentre"
	cc "github.com/butler-pm/butler/domain/commandcentre"
	"github.com/butler-pm/butler/projections"
)

// R-N1 measured: a night message counts as unhandled until it is handled
// or handed over; day-shift messages never count.
func TestNightMessagesUnhandledKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.CCMessages{}, projections.Shifts)
	op := actor{"o-1", "operator", ""}
	at := time.Date(2026, 3, 2, 23, 0, 0, 0, time.UTC)
	r.emit(commandcentre.ShiftStream("n1"), op, at, cc.ShiftOpened{ShiftID: "n1", Project: "p1", Operator: "o-1", Night: true, At: at})
	r.emit(commandcentre.ShiftStream("n1"), op, at, cc.MessageLogged{Message: cc.Message{ID: "m1", From: "a", Content: "漏水", ReceivedAt: at}, At: at})
	r.emit(commandcentre.ShiftStream("n1"), op, at, cc.MessageLogged{Message: cc.Message{ID: "m2", From: "b", Content: "噪音", ReceivedAt: at}, At: at})
	r.emit(commandcentre.ShiftStream("n1"), op, at, cc.MessageLogged{Message: cc.Message{ID: "m3", From: "c", Content: "停车", ReceivedAt: at}, At: at})
	r.emit(commandcentre.ShiftStream("n1"), op, at, cc.MessageHandled{MessageID: "m2", Result: "已劝导", At: at})
	r.emit(commandcentre.ShiftStream("d1"), op, at, cc.ShiftOpened{ShiftID: "d1", Project: "p1", Operator: "o-2", At: at})
	r.emit(commandcentre.ShiftStream("d1"), op, at, cc.MessageLogged{Message: cc.Message{ID: "m9", From: "d", Content: "白天", ReceivedAt: at}, At: at})

	res := r.kpi("night-messages-unhandled", projections.KPIFilter{Month: "2026-03"})
	if value(res) != 2 || !reflect.DeepEqual(res.NumeratorRecords, []string{"m1", "m3"}) || res.Denominator != 3 {
		t.Fatalf("before hand-over: %+v", res)
	}
	r.emit(commandcentre.ShiftStream("n1"), op, at, cc.ShiftHandedOver{To: "o-2", MessageIDs: []string{"m1", "m3"}, At: at})
	r.emit(commandcentre.ShiftStream("d2"), op, at, cc.ShiftOpened{ShiftID: "d2", Project: "p1", Operator: "o-2", Previous: "n1",
		Carried: []cc.Message{{ID: "m1", FromShift: "n1"}, {ID: "m3", FromShift: "n1"}}, At: at})
	if res := r.kpi("night-messages-unhandled", projections.KPIFilter{Month: "2026-03"}); value(res) != 0 {
		t.Fatalf("after hand-over: %+v", res)
	}
	var m projections.CCMessage
	r.doc(projections.CCMessagesIndex, "m1", &m)
	if !m.HandedOver || m.CurrentShift != "d2" || m.Shift != "n1" || !m.Night {
		t.Fatalf("m1 = %+v", m)
	}
	var s projections.Shift
	r.doc(projections.ShiftsIndex, "d2", &s)
	if !reflect.DeepEqual(s.OpenMessages, []string{"m1", "m3"}) {
		t.Fatalf("day shift = %+v", s)
	}
}

// R-N2, R-N3 measured per month.
func TestDrillAndHandoverCheckKPIs(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.CCRecords{})
	op := actor{"s-1", "supervisor", ""}
	mar := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	apr := mar.AddDate(0, 1, 0)
	r.emit(commandcentre.LogStream("p1"), op, mar, cc.DrillHeld{Type: "fire", Participants: 10, Month: "2026-03", At: mar})
	r.emit(commandcentre.LogStream("p1"), op, mar, cc.HandoverChecked{ShiftID: "n1", Passed: true, Month: "2026-03", At: mar})
	r.emit(commandcentre.LogStream("p1"), op, apr, cc.HandoverChecked{ShiftID: "n2", Passed: true, Month: "2026-04", At: apr})
	r.emit(commandcentre.LogStream("p1"), op, apr, cc.HandoverChecked{ShiftID: "n3", Passed: false, Month: "2026-04", At: apr})
	if v := value(r.kpi("drills-per-month", projections.KPIFilter{Month: "2026-03"})); v != 1 {
		t.Fatalf("march drills = %v", v)
	}
	if v := value(r.kpi("drills-per-month", projections.KPIFilter{Month: "2026-04"})); v != 0 {
		t.Fatalf("april drills = %v", v)
	}
	if res := r.kpi("handover-checks-per-month", projections.KPIFilter{Month: "2026-04"}); value(res) != 2 ||
		!reflect.DeepEqual(res.Records, []string{"commandcentre-p1@2", "commandcentre-p1@3"}) {
		t.Fatalf("april checks = %+v", res)
	}
}
