package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/token"
)

// RevokeToken revokes a bearer token by its id (the jti the token
// carries). Every server refuses the token within a second.
type RevokeToken struct {
	TokenID string `json:"jti"`
	Reason  string `json:"reason"`
}

type RevokeTokenHandler struct{ d handlerDeps }

func NewRevokeTokenHandler(store EventStore, clock Clock, ids IDGenerator) RevokeTokenHandler {
	return RevokeTokenHandler{newHandlerDeps(store, clock, ids)}
}

func (h RevokeTokenHandler) Handle(ctx context.Context, m Meta, cmd RevokeToken) (Result, error) {
	if err := requireRole(m.Principal, tokenRevokeRoles...); err != nil {
		return Result{}, err
	}
	return h.handle(ctx, m, cmd)
}

// handle records the revocation for a caller already allowed to: the
// project manager, or anyone signing out their own token.
func (h RevokeTokenHandler) handle(ctx context.Context, m Meta, cmd RevokeToken) (Result, error) {
	if m.Principal.Project == "" {
		return Result{}, forbiddenScope()
	}
	now := h.d.clock.Now()
	r, err := token.Revoke(cmd.TokenID, cmd.Reason, now)
	if err != nil {
		return Result{}, domainError(err, tokenCodes)
	}
	// Revocations never conflict: any revision will do.
	rev, err := h.d.appendChanges(ctx, token.Stream, event.Any(), m.Principal.Actor(), m.Principal.Project, "", m.chain(), now, []event.Payload{r})
	if err != nil {
		return Result{}, err
	}
	return Result{ID: r.TokenID, Revision: rev}, nil
}
