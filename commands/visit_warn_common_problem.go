package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/visit"
)

// WarnCommonProblem warns the project manager at once (R-H5).
type WarnCommonProblem struct {
	VisitID string `json:"-"`
	Problem string `json:"problem"`
}

type WarnCommonProblemHandler struct{ d handlerDeps }

func NewWarnCommonProblemHandler(store EventStore, clock Clock, ids IDGenerator) WarnCommonProblemHandler {
	return WarnCommonProblemHandler{newHandlerDeps(store, clock, ids)}
}

func (h WarnCommonProblemHandler) Handle(ctx context.Context, m Meta, cmd WarnCommonProblem) (Result, error) {
	return updateVisit(ctx, h.d, m, cmd.VisitID, func(v *visit.Visit, now time.Time) error {
		return v.WarnCommonProblem(cmd.Problem, now)
	})
}
