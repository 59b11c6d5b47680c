package commands_test

import (
	"context"
	"testing"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/movein"
	"github.com/butler-pm/butler/domain/renovation"
)

// unitRenovations finds every renovation filed in the test, by unit.
type unitRenovations map[string][]string

func (u unitRenovations) RenovationsOfUnit(_ context.Context, _, unit string) ([]string, error) {
	return u[unit], nil
}

// R-R5: neither a move-in nor a vacant unit is occupied while the unit's
// renovation is open: in progress, waiting for the completion inspection
// (竣工验收), or with its problems not all fixed; once closed, it is.
func TestOccupancyWaitsForTheRenovation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	h := commands.NewHandlers(s, c, nil, testKeys())
	units := unitRenovations{}
	h.UseUnitRenovations(units)
	ok := func(r commands.Result, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	const unit = "3-2-1201"
	// The owner took the keys (R-M1) and the unit is on the vacant register.
	mi := ok(h.MoveIn.Open.Handle(ctx, as(butler), commands.OpenMoveIn{Unit: unit, Owner: "王女士"}))
	ok(h.MoveIn.ReviewDocuments.Handle(ctx, as(butler), commands.ReviewMoveInDocuments{MoveInID: mi, Note: "已核"}))
	ok(h.MoveIn.CollectFees.Handle(ctx, as(butler), commands.CollectMoveInFees{MoveInID: mi, Receipts: []string{"NO.1"}}))
	ok(h.MoveIn.SignAgreements.Handle(ctx, as(butler), commands.SignMoveInAgreements{MoveInID: mi, Agreements: []string{movein.AgreementPreliminaryService}}))
	ok(h.MoveIn.FillForms.Handle(ctx, as(butler), commands.FillMoveInForms{MoveInID: mi, Forms: []string{movein.FormOwnerInformation}, Photos: []string{"ph-1"}}))
	ok(h.MoveIn.InspectUnit.Handle(ctx, as(butler), commands.InspectMoveInUnit{MoveInID: mi}))
	ok(h.MoveIn.HandOverKeys.Handle(ctx, as(butler), commands.HandOverMoveInKeys{MoveInID: mi, Keys: []string{"K-1"}}))
	vu := ok(h.Vacant.Register.Handle(ctx, as(butler), commands.RegisterVacantUnit{Unit: unit}))

	// A renovation filed and approved but not started does not hold occupancy up;
	// this one starts.
	r := ok(h.Renovation.File.Handle(ctx, as(butler), commands.FileRenovation{Unit: unit, Owner: "王女士", Contractor: "美家装饰",
		Description: "厨房改造", Documents: []renovation.Document{{Kind: "application", Ref: "A"}, {Kind: "quality_confirmation", Ref: "Q"},
			{Kind: "agreement", Ref: "G"}, {Kind: "fees", Ref: "F"}, {Kind: "department_review", Ref: "D"}}}))
	units[unit] = []string{r}
	ok(h.Renovation.Approve.Handle(ctx, as(supervisor), commands.ApproveRenovation{RenovationID: r}))
	ok(h.Renovation.CheckSite.Handle(ctx, as(butler), commands.CheckRenovationSite{RenovationID: r, Note: "无异常"}))
	ok(h.Renovation.BriefRules.Handle(ctx, as(butler), commands.BriefRenovationRules{RenovationID: r, Owner: "王女士", Contractor: "美家装饰"}))
	ok(h.Renovation.Start.Handle(ctx, as(butler), commands.StartRenovation{RenovationID: r}))

	refused := func(when string) {
		t.Helper()
		_, err := h.MoveIn.RecordOccupied.Handle(ctx, as(butler), commands.RecordMoveInOccupied{MoveInID: mi})
		wantErr(t, err, apperr.Unprocessable, "unit_under_renovation")
		_, err = h.Vacant.Occupy.Handle(ctx, as(butler), commands.OccupyVacantUnit{UnitID: vu})
		wantErr(t, err, apperr.Unprocessable, "unit_under_renovation")
		if t.Failed() {
			t.Fatalf("occupancy was not refused %s", when)
		}
	}
	refused("during the work")
	ok(h.Renovation.Complete.Handle(ctx, as(butler), commands.CompleteRenovation{RenovationID: r}))
	refused("before the completion inspection")
	ok(h.Renovation.InspectForAcceptance.Handle(ctx, as(engineer), commands.InspectRenovationForAcceptance{RenovationID: r, Findings: []string{"卫生间闭水试验渗漏"}}))
	refused("with a completion-inspection problem unfixed")
	ok(h.Renovation.FixFinding.Handle(ctx, as(engineer), commands.FixRenovationFinding{RenovationID: r, Finding: 0, Note: "重做防水"}))
	refused("before the renovation is closed")
	ok(h.Renovation.Close.Handle(ctx, as(butler), commands.CloseRenovation{RenovationID: r}))
	ok(h.MoveIn.RecordOccupied.Handle(ctx, as(butler), commands.RecordMoveInOccupied{MoveInID: mi}))
	ok(h.Vacant.Occupy.Handle(ctx, as(butler), commands.OccupyVacantUnit{UnitID: vu}))
}
