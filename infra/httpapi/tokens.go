package httpapi

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
)

// revokeBody is POST /tokens/revoke's body: the token's id (jti), or the
// token itself, whose id is read from it.
type revokeBody struct {
	TokenID string `json:"jti"`
	Token   string `json:"token"`
	Reason  string `json:"reason"`
}

// tokenRoutes serves POST /api/v1/tokens/revoke (project managers): the
// revocation is an event, applied by every server within a second.
func (s *server) tokenRoutes(api *echo.Group) {
	api.POST("/tokens/revoke", func(c echo.Context) error {
		var b revokeBody
		if err := bind(c, &b); err != nil {
			return err
		}
		m, err := MetaOf(c)
		if err != nil {
			return err
		}
		if !m.Principal.HasRole(commands.RoleProjectManager) {
			return apperr.Errorf(apperr.Forbidden, "forbidden_role", "tokens are revoked by the project manager")
		}
		cmd := commands.RevokeToken{TokenID: strings.TrimSpace(b.TokenID), Reason: b.Reason}
		if tok := strings.TrimSpace(b.Token); tok != "" {
			if cmd.TokenID != "" {
				return apperr.Invalid(map[string]string{"token": "send jti or token, not both"})
			}
			jti, p, err := s.d.TokenID(tok)
			if err != nil {
				return apperr.Invalid(map[string]string{"token": "not a token signed by this deployment: " + err.Error()})
			}
			if p.Project != m.Principal.Project {
				return apperr.Errorf(apperr.Forbidden, "forbidden_scope", "the token belongs to another project")
			}
			cmd.TokenID = jti
		}
		if cmd.TokenID == "" {
			return apperr.Invalid(map[string]string{"jti": "required: the token's id (or send the token itself as token)"})
		}
		r, err := s.d.Revoke(c.Request().Context(), m, cmd)
		if err != nil {
			return err
		}
		return accepted(c, 200, "", r)
	})
}
