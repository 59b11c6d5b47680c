package policy_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/movein"
	"github.com/butler-pm/butler/projections"
)

// readsBills is the server's ReceiptBills: the fee-bills read model.
type readsBills struct{ r *rig }

func (b readsBills) BillsOfReceipts(ctx context.Context, project, unit string, receipts []string) (map[string]string, error) {
	return projections.BillsOfReceipts(ctx, b.r.reads, project, unit, receipts)
}

// R-M3: move-in fee receipts are payments on the unit's bills, linked; the
// owner information form, the preliminary agreement and the photos are
// filed into the owner's archive once the unit has one, once.
func TestMoveInDocumentsFiled(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.h.UseReceiptBills(readsBills{r})
	const rule = "R-M3 move-in documents filed"
	const unit = "5-1-302" // the unit r.issuedBill bills
	mi := r.ok(r.h.MoveIn.Open.Handle(r.ctx, as(butler), commands.OpenMoveIn{Unit: unit, Owner: "王女士"}))
	bill := r.issuedBill()
	r.ok(r.h.Fee.RecordPayment.Handle(r.ctx, as(butler), commands.RecordFeePayment{BillID: bill, AmountFen: 36250, ReceiptNo: "RZ-001"}))
	r.sync()
	if _, err := r.h.MoveIn.CollectFees.Handle(r.ctx, as(butler), commands.CollectMoveInFees{MoveInID: mi, Receipts: []string{"RZ-999"}}); err == nil {
		t.Fatal("a receipt no bill of the unit has was accepted")
	}
	r.ok(r.h.MoveIn.CollectFees.Handle(r.ctx, as(butler), commands.CollectMoveInFees{MoveInID: mi, Receipts: []string{"RZ-001"}}))
	recs := r.stream(movein.Stream(mi))
	var linked movein.FeeReceiptsLinked
	if last := recs[len(recs)-1]; last.Type != movein.TypeFeeReceiptsLinked || json.Unmarshal(last.Data, &linked) != nil ||
		len(linked.Links) != 1 || linked.Links[0] != (movein.ReceiptBill{ReceiptNo: "RZ-001", BillID: bill}) {
		t.Fatalf("the receipt is not linked to its bill: %s", last.Type)
	}
	r.ok(r.h.MoveIn.SignAgreements.Handle(r.ctx, as(butler), commands.SignMoveInAgreements{MoveInID: mi, Agreements: []string{movein.AgreementPreliminaryService}}))
	r.ok(r.h.MoveIn.FillForms.Handle(r.ctx, as(butler), commands.FillMoveInForms{MoveInID: mi, Forms: []string{movein.FormOwnerInformation}, Photos: []string{"ph-1"}}))
	r.tick(rule, 0) // the unit has no archive yet: the documents wait
	own := r.ok(r.h.Archive.Open.Handle(r.ctx, as(archivist), commands.OpenArchive{Household: unit, Owner: "王女士", District: "d1"}))
	before := len(r.stream(archive.Stream(own)))
	r.tick(rule, 1) // the archive's three entries, then the move-in's record
	r.tick(rule, 0)
	added := 0
	for _, e := range r.stream(archive.Stream(own))[before:] {
		if e.Type == archive.TypeDocumentAdded {
			added++
		}
	}
	if added != 3 || r.last(movein.Stream(mi)) != movein.TypeDocumentsFiled {
		t.Fatalf("archive got %d documents, the move-in's last event is %s", added, r.last(movein.Stream(mi)))
	}
}
