package commands

import (
	"github.com/butler-pm/butler/domain/token"
)

// tokenRevokeRoles may revoke tokens: the project manager, who decides
// who works in the compound.
var tokenRevokeRoles = []string{RoleProjectManager}

// tokenCodes are the stable error codes of refused revocations.
var tokenCodes = map[error]string{
	token.ErrTokenIDMissing: "token_id_missing",
}

// TokenHandlers are the bearer tokens' command handlers.
type TokenHandlers struct {
	Revoke RevokeTokenHandler
}

func newTokenHandlers(d handlerDeps) TokenHandlers {
	return TokenHandlers{Revoke: RevokeTokenHandler{d}}
}
