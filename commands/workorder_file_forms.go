package commands

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/workorder"
)

// FileWorkOrderForms is the R-W8 policy command: a closed in-home repair's
// repair slip, dispatch slip and service record (报修单、派工单、服务记录表)
// are entered in the catalogue of ArchiveID, the owner's archive of the
// repair's unit, then the work order records the filing. The actor is the
// system.
//
// The two streams are written one after the other, as R-K5's loan forms
// are: if the work order's record fails after the archive's, the next run
// finds the forms in the catalogue and records only the work order's side.
type FileWorkOrderForms struct {
	WorkOrderID string `json:"work_order_id"`
	ArchiveID   string `json:"archive_id"`
}

type FileWorkOrderFormsHandler struct{ d handlerDeps }

func NewFileWorkOrderFormsHandler(store EventStore, clock Clock, ids IDGenerator) FileWorkOrderFormsHandler {
	return FileWorkOrderFormsHandler{newHandlerDeps(store, clock, ids)}
}

func (h FileWorkOrderFormsHandler) Handle(ctx context.Context, m Meta, cmd FileWorkOrderForms) (PolicyResult, error) {
	if bad := missing("work_order_id", cmd.WorkOrderID, "archive_id", cmd.ArchiveID); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	orders := systemStream[*workorder.WorkOrder]{id: cmd.WorkOrderID, name: workorder.Stream(cmd.WorkOrderID),
		decode: workorder.Decode, rebuild: workorder.FromHistory, codes: workOrderCodes}
	w, rev, judged, err := loadAsSystem(ctx, h.d, orders)
	if err != nil {
		return PolicyResult{}, err
	}
	if !w.FormsDue() {
		return PolicyResult{Result: Result{ID: cmd.WorkOrderID, Revision: rev}}, nil
	}
	// Both records' events are caused by the work order's latest event.
	if m.CausationID == "" {
		m = m.causedBy(judged)
	}
	forms := workorder.Forms(cmd.WorkOrderID)
	changed := false
	filed, err := recordAsSystem(ctx, h.d, m, systemStream[*archive.Archive]{id: cmd.ArchiveID, name: archive.Stream(cmd.ArchiveID),
		decode: archive.Decode, rebuild: archive.FromHistory, codes: archiveCodes},
		func(a *archive.Archive, now time.Time) (bool, error) {
			if a.Project() != w.Project() {
				return false, apperr.Errorf(apperr.NotFound, "not_found", "no archive %s in the work order's project", cmd.ArchiveID)
			}
			if strings.TrimSpace(a.Household()) != strings.TrimSpace(w.Unit()) {
				return false, domainError(archive.ErrWrongHousehold, archiveCodes)
			}
			for _, f := range forms {
				// Already in the catalogue: filed by an earlier run whose work-order record did not land.
				if err := a.AddDocument(f.Document, f.Kind, now); err != nil && !errors.Is(err, archive.ErrDuplicateDocument) {
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
		// The archive moved under us: nothing is filed now, the next run files again.
		return PolicyResult{Result: Result{ID: cmd.WorkOrderID, Revision: rev}}, nil
	}
	docs := make([]string, len(forms))
	for i, f := range forms {
		docs[i] = f.Document
	}
	return recordAsSystem(ctx, h.d, m, orders, func(w *workorder.WorkOrder, now time.Time) (bool, error) {
		if !w.FormsDue() {
			return false, nil
		}
		return true, w.RecordFormsFiled(cmd.ArchiveID, docs, now)
	})
}
