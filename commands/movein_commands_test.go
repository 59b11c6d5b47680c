package commands_test

import (
	"context"
	"testing"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/movein"
)

func TestMoveInFlowAndRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	open := commands.NewOpenMoveInHandler(s, c, nil, testKeys())
	review := commands.NewReviewMoveInDocumentsHandler(s, c, nil)
	fees := commands.NewCollectMoveInFeesHandler(s, c, nil)
	sign := commands.NewSignMoveInAgreementsHandler(s, c, nil)
	forms := commands.NewFillMoveInFormsHandler(s, c, nil)
	inspect := commands.NewInspectMoveInUnitHandler(s, c, nil)
	keys := commands.NewHandOverMoveInKeysHandler(s, c, nil)
	handOver := commands.NewHandMoveInDefectToDeveloperHandler(s, c, nil)
	resolve := commands.NewResolveMoveInDefectHandler(s, c, nil)
	ok := func(_ commands.Result, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := open.Handle(ctx, as(engineer), commands.OpenMoveIn{Unit: "3-2-1201", Owner: "王女士", Butler: "b1", District: "d1"})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	res, err := open.Handle(ctx, as(butler), commands.OpenMoveIn{Unit: "3-2-1201", Owner: "王女士"})
	if err != nil {
		t.Fatal(err)
	}
	id := res.ID
	ok(review.Handle(ctx, as(butler), commands.ReviewMoveInDocuments{MoveInID: id, Note: "身份证、购房合同已核"}))
	_, err = keys.Handle(ctx, as(butler), commands.HandOverMoveInKeys{MoveInID: id, Keys: []string{"K-1"}})
	wantErr(t, err, apperr.Unprocessable, "steps_incomplete")
	_, err = fees.Handle(ctx, as(butlerD2), commands.CollectMoveInFees{MoveInID: id, Receipts: []string{"NO.1"}})
	wantErr(t, err, apperr.Forbidden, "forbidden_scope")
	ok(fees.Handle(ctx, as(cashier), commands.CollectMoveInFees{MoveInID: id, Receipts: []string{"NO.1"}}))
	ok(sign.Handle(ctx, as(butler), commands.SignMoveInAgreements{MoveInID: id, Agreements: []string{movein.AgreementPreliminaryService}}))
	ok(forms.Handle(ctx, as(butler), commands.FillMoveInForms{MoveInID: id, Forms: []string{movein.FormOwnerInformation}, Photos: []string{"ph-1"}}))
	ok(inspect.Handle(ctx, as(butler), commands.InspectMoveInUnit{MoveInID: id, Defects: []string{"客厅墙面空鼓"}}))
	ok(keys.Handle(ctx, as(butler), commands.HandOverMoveInKeys{MoveInID: id, Keys: []string{"K-1", "K-2"}}))
	_, err = resolve.Handle(ctx, as(engineer), commands.ResolveMoveInDefect{MoveInID: id, DefectID: "d1"})
	wantErr(t, err, apperr.Unprocessable, "defect_not_handed_over")
	ok(handOver.Handle(ctx, as(butler), commands.HandMoveInDefectToDeveloper{MoveInID: id, DefectID: "d1", DeveloperRef: "FC-88"}))
	ok(resolve.Handle(ctx, as(engineer), commands.ResolveMoveInDefect{MoveInID: id, DefectID: "d1", Note: "已修复"}))
	if n := len(s.streams[movein.Stream(id)]); n != 9 {
		t.Fatalf("%d events", n)
	}
}
