package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/renovation"
)

// FileRenovationDocument adds a filing document (R-R1): kind is application, quality_confirmation, agreement, fees or department_review; ref is its reference.
type FileRenovationDocument struct {
	RenovationID string `json:"-"`
	Kind         string `json:"kind"`
	Ref          string `json:"ref"`
}

type FileRenovationDocumentHandler struct{ d handlerDeps }

func NewFileRenovationDocumentHandler(store EventStore, clock Clock, ids IDGenerator) FileRenovationDocumentHandler {
	return FileRenovationDocumentHandler{newHandlerDeps(store, clock, ids)}
}

func (h FileRenovationDocumentHandler) Handle(ctx context.Context, m Meta, cmd FileRenovationDocument) (Result, error) {
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationButlerRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.FileDocument(renovation.Document{Kind: renovation.DocumentKind(cmd.Kind), Ref: cmd.Ref}, now)
	})
}
