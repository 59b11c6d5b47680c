package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff/integrity"
)

// HandleIntegrityReport records operations' outcome.
type HandleIntegrityReport struct {
	ReportID string `json:"-"`
	Outcome  string `json:"outcome"`
}

type HandleIntegrityReportHandler struct{ d handlerDeps }

func NewHandleIntegrityReportHandler(store EventStore, clock Clock, ids IDGenerator) HandleIntegrityReportHandler {
	return HandleIntegrityReportHandler{newHandlerDeps(store, clock, ids)}
}

func (h HandleIntegrityReportHandler) Handle(ctx context.Context, m Meta, cmd HandleIntegrityReport) (Result, error) {
	if bad := missing("report_id", cmd.ReportID); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, h.d, m, cmd.ReportID, integrity.Stream(cmd.ReportID), IntegrityReaderRoles, integrity.Decode, integrity.FromHistory, integrityCodes,
		func(r *integrity.Report, now time.Time) error { return r.Handle(cmd.Outcome, now) })
}
