package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
)

// Credentials are the console's sign-in commands (commands.CredentialHandlers).
type Credentials interface {
	IssueActivation(ctx context.Context, m commands.Meta, staffID string) (commands.Activation, error)
	Activate(ctx context.Context, cmd commands.Activate) (commands.Activated, error)
	SignIn(ctx context.Context, cmd commands.SignIn) (commands.SignedIn, error)
	SignOut(ctx context.Context, m commands.Meta, tokenID string) error
}

// signInRoutes serves the console's sign-in (docs/console.md):
// POST /api/v1/staff/{id}/activation (project manager, supervisor) hands
// out a one-time activation link; POST /api/v1/auth/activate sets the
// password with it and POST /api/v1/auth/sign-in returns a bearer token,
// both without a token and slowed per address like bad tokens;
// POST /api/v1/auth/sign-out revokes the token it is sent with.
func (s *server) signInRoutes(e *echo.Echo, api *echo.Group, failed *limiters) {
	cr := s.d.Credentials
	if cr == nil {
		return
	}
	api.POST("/staff/:id/activation", func(c echo.Context) error {
		id, err := staffID(c)
		if err != nil {
			return err
		}
		m, err := MetaOf(c)
		if err != nil {
			return err
		}
		a, err := cr.IssueActivation(c.Request().Context(), m, id)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, a)
	})
	slow := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := failed.allow(c, addressOf(c)); err != nil {
				return err
			}
			return next(c)
		}
	}
	e.POST("/api/v1/auth/activate", func(c echo.Context) error {
		var cmd commands.Activate
		if err := bind(c, &cmd); err != nil {
			return err
		}
		a, err := cr.Activate(c.Request().Context(), cmd)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, a)
	}, slow)
	e.POST("/api/v1/auth/sign-in", func(c echo.Context) error {
		var cmd commands.SignIn
		if err := bind(c, &cmd); err != nil {
			return err
		}
		out, err := cr.SignIn(c.Request().Context(), cmd)
		if out.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int((out.RetryAfter+time.Second-1)/time.Second)))
		}
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		return c.JSON(http.StatusOK, out)
	}, slow)
	e.POST("/api/v1/auth/sign-out", func(c echo.Context) error {
		tok, _ := c.Get(tokenKey).(string)
		jti, _, err := s.d.TokenID(strings.TrimSpace(tok))
		if err != nil {
			return apperr.Errorf(apperr.Unauthorized, "invalid_token", "the bearer token is not valid: %v", err)
		}
		m, err := MetaOf(c)
		if err != nil {
			return err
		}
		if err := cr.SignOut(c.Request().Context(), m, jti); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}, authenticate(s.d.Tokens, failed))
}
