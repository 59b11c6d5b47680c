package projections_test

import (
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/commandcentre"
	cc "github.com/butler-pm/butler/domain/commandcentre"
	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/key"
	"github.com/butler-pm/butler/domain/movein"
	"github.com/butler-pm/butler/domain/renovation"
	"github.com/butler-pm/butler/domain/workorder"
	"github.com/butler-pm/butler/projections"
)

// Months are the project's (Asia/Shanghai), not the zone an event time was
// stamped in: a record made at 01:30 on 1 November in China, stamped
// 17:30 UTC on 31 October, is November's in every read model that keeps a
// month (one case per kind of record).
func TestMonthsAreTheProjectsLocalTime(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Complaints, projections.WorkOrders, projections.Renovations, projections.MoveIns,
		projections.Keys, projections.Shifts)
	at := time.Date(2026, 10, 31, 17, 30, 0, 0, time.UTC)
	r.emit(complaint.Stream("c1"), b1, at, complaint.Registered{ComplaintID: "c1", Project: "p1", District: "d1", At: at})
	r.emit(workorder.Stream("w1"), b1, at, workorder.Registered{WorkOrderID: "w1", Project: "p1", District: "d1", Description: "x", Area: "public", Warranty: "in", At: at})
	r.emit(renovation.Stream("r1"), b1, at, renovation.FiledV2{RenovationID: "r1", Project: "p1", District: "d1", Unit: "3-2-1201", Contractor: "c", Butler: "b-1", Description: "x", At: at})
	r.emit(movein.Stream("m1"), b1, at, movein.Opened{MoveInID: "m1", Project: "p1", District: "d1", Unit: "3-2-1201", Butler: "b-1", At: at})
	r.emitAs(key.Stream("k1"), "c1", "custodian", "d1", at, key.Registered{KeyID: "k1", Project: "p1", District: "d1", Unit: "3-2-1201", Tag: "K-1", Custodian: "c1", At: at})
	r.emit(commandcentre.ShiftStream("n1"), actor{"o-1", "operator", ""}, at, cc.ShiftOpened{ShiftID: "n1", Project: "p1", Operator: "o-1", Night: true, At: at})
	for _, c := range []struct{ index, id string }{
		{projections.ComplaintsIndex, "c1"}, {projections.WorkOrdersIndex, "w1"}, {projections.RenovationsIndex, "r1"},
		{projections.MoveInsIndex, "m1"}, {projections.KeysIndex, "k1"}, {projections.ShiftsIndex, "n1"},
	} {
		var d struct {
			Month string `json:"month"`
		}
		r.doc(c.index, c.id, &d)
		if d.Month != "2026-11" {
			t.Errorf("%s/%s month = %q, want 2026-11 (01:30 on 1 November in China)", c.index, c.id, d.Month)
		}
	}
}
