package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/movein"
)

// ReceiptBills finds, among a unit's bills, the bill each receipt paid
// (R-M3: move-in fees are in the fee ledger). The server's is the fee-bills
// read model (cmd/butler/app): a payment recorded in its last second may
// not be found yet, and the move-in's fees are then refused until it is.
type ReceiptBills interface {
	BillsOfReceipts(ctx context.Context, project, unit string, receipts []string) (map[string]string, error)
}

// UseReceiptBills makes the move-in's fee step link each receipt to its
// bill, refusing receipts no bill of the unit has (R-M3).
func (h *Handlers) UseReceiptBills(r ReceiptBills) {
	h.MoveIn.CollectFees.bills = r
}

// FileMoveInDocuments is the R-M3 policy command: the move-in's documents
// (agreements, forms, photos) not yet filed go into the owner's archive
// ArchiveID (the archive of the move-in's unit, which is checked), then the
// move-in records the filing. The actor is the system. As with key loan
// forms, the archive is written first: a run whose move-in record failed is
// completed by the next, which finds the documents in the catalogue.
type FileMoveInDocuments struct {
	MoveInID  string `json:"move_in_id"`
	ArchiveID string `json:"archive_id"`
}

type FileMoveInDocumentsHandler struct{ d handlerDeps }

func (h FileMoveInDocumentsHandler) Handle(ctx context.Context, m Meta, cmd FileMoveInDocuments) (PolicyResult, error) {
	if bad := missing("move_in_id", cmd.MoveInID, "archive_id", cmd.ArchiveID); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	moveIns := systemStream[*movein.MoveIn]{id: cmd.MoveInID, name: movein.Stream(cmd.MoveInID), decode: movein.Decode,
		rebuild: movein.FromHistory, codes: moveInCodes}
	mi, rev, judged, err := loadAsSystem(ctx, h.d, moveIns)
	if err != nil {
		return PolicyResult{}, err
	}
	if m.CausationID == "" {
		m = m.causedBy(judged)
	}
	pending := mi.PendingDocuments()
	if len(pending) == 0 {
		return PolicyResult{Result: Result{ID: cmd.MoveInID, Revision: rev}}, nil
	}
	changed := false
	filed, err := recordAsSystem(ctx, h.d, m, systemStream[*archive.Archive]{id: cmd.ArchiveID, name: archive.Stream(cmd.ArchiveID),
		decode: archive.Decode, rebuild: archive.FromHistory, codes: archiveCodes},
		func(a *archive.Archive, now time.Time) (bool, error) {
			if a.Project() != mi.Project() || a.Household() != mi.Unit() {
				return false, apperr.Errorf(apperr.NotFound, "not_found", "no archive %s of the move-in's unit", cmd.ArchiveID)
			}
			for _, doc := range pending {
				if err := a.AddDocument(doc, movein.ArchiveDocumentKind, now); err != nil && !errors.Is(err, archive.ErrDuplicateDocument) {
					return false, err
				}
			}
			changed = len(a.Changes()) > 0
			return changed, nil
		})
	if err != nil {
		return PolicyResult{}, err
	}
	if changed && !filed.Recorded {
		return PolicyResult{Result: Result{ID: cmd.MoveInID, Revision: rev}}, nil
	}
	return recordAsSystem(ctx, h.d, m, moveIns, func(mi *movein.MoveIn, now time.Time) (bool, error) {
		var docs []string
		for _, d := range mi.PendingDocuments() {
			if slices.Contains(pending, d) {
				docs = append(docs, d)
			}
		}
		if len(docs) == 0 {
			return false, nil
		}
		return true, mi.RecordDocumentsFiled(cmd.ArchiveID, docs, now)
	})
}

// FileMoveInDocuments runs the R-M3 filing rule on one move-in and the
// archive of its unit; it reports whether documents were filed now.
func (h *Handlers) FileMoveInDocuments(ctx context.Context, moveInID, archiveID string) (bool, error) {
	r, err := h.MoveIn.FileDocuments.Handle(ctx, Meta{}, FileMoveInDocuments{MoveInID: moveInID, ArchiveID: archiveID})
	return r.Recorded, err
}

// linkReceipts is the move-in fee step with each receipt's bill (R-M3).
func linkReceipts(ctx context.Context, bills ReceiptBills, mi *movein.MoveIn, receipts []string, now time.Time) error {
	found, err := bills.BillsOfReceipts(ctx, mi.Project(), mi.Unit(), receipts)
	if err != nil {
		return fmt.Errorf("finding the bills of the receipts: %w", err)
	}
	links := make([]movein.ReceiptBill, 0, len(found))
	for r, b := range found {
		links = append(links, movein.ReceiptBill{ReceiptNo: r, BillID: b})
	}
	return mi.CollectFeesBilled(receipts, links, now)
}
