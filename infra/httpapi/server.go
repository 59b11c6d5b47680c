// Package httpapi is Butler's HTTP API (Echo v4) under /api/v1: commands
// go to the command handlers, reads come from the read models, histories
// come from the event store itself. Errors are application/problem+json.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/projections"
)

// MaxBody is the largest request body accepted.
const MaxBody = "64K"

// Verifier turns a bearer token into a principal.
type Verifier interface {
	Verify(token string) (commands.Principal, error)
}

// EventReader reads the event store: histories and a record as of a
// moment from its stream, other as_of folds from the global log.
type EventReader interface {
	ReadStream(ctx context.Context, stream string, from uint64, dir event.Direction, max int) ([]event.Recorded, error)
	ReadAll(ctx context.Context, from event.Position, dir event.Direction, max int) ([]event.Recorded, error)
}

// Scratch is an empty search store in memory, for one computation.
type Scratch interface {
	projections.SearchStore
	Close() error
}

// ReadModels is what the API reads from the search store.
type ReadModels interface {
	Get(ctx context.Context, index, id string) (projections.Document, error)
	Search(ctx context.Context, index string, q projections.Query) (projections.Result, error)
}

// Deps are the API's collaborators.
type Deps struct {
	Tokens   Verifier
	Events   EventReader
	Reads    ReadModels
	Commands *commands.Handlers
	// Synonyms gives a project's search synonyms (nil: none).
	Synonyms func(project string) map[string][]string
	// Audit is the verifiable log: checkpoints and proofs.
	Audit Auditor
	// Projections are the read models; ?as_of= folds them again, in
	// memory, from the events recorded until then.
	Projections []projections.Projection
	// Keys opens households' sealed contacts, for answers as of a moment.
	Keys projections.Opener
	// Scratch opens an empty in-memory search store, where a KPI as of a
	// moment is computed over its read model folded again.
	Scratch func() Scratch
	// Zone is the project's time zone: a date alone in as_of, from or to is
	// a day there.
	Zone *time.Location
	// LogFolds bounds the folds of the whole log (KPIs as of a moment, and
	// records of read models fed by several streams) running at once;
	// another one waits a moment, then gets 503 (default 2).
	LogFolds int
	// Limits bound searches and request rates (zero: the defaults).
	Limits Limits
	// OnDuty, when set, decides whether a caller may write (R-S2: only
	// registered, onboarded staff); reads do not ask it.
	OnDuty func(ctx context.Context, p commands.Principal) error
	// TokenID reads a token's id (jti) and principal, checking its
	// signature only: a revocation may name a token by itself.
	TokenID func(token string) (string, commands.Principal, error)
	// Revoke records a token's revocation (POST /tokens/revoke).
	Revoke func(ctx context.Context, m commands.Meta, cmd commands.RevokeToken) (commands.Result, error)
	// Credentials sign staff in to the console (nil: no sign-in routes).
	Credentials Credentials
	// Console is the web console's handler, served at / (nil: none).
	Console http.Handler
	// Ready reports nil when the read models are caught up.
	Ready  func(ctx context.Context) error
	Logger *slog.Logger
	// Routes adds further routes (admin endpoints, modules wired elsewhere).
	Routes []func(api *echo.Group)
	// Now is the program's clock (nil: the wall clock): what is overdue
	// is measured against it.
	Now func() time.Time
}

// New builds the HTTP handler.
func New(d Deps) http.Handler {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = errorHandler(d.Logger)
	d.Limits = d.Limits.withDefaults()
	e.Use(middleware.RequestID())
	e.Use(accessLog(d.Logger))
	e.Use(middleware.Recover())
	e.Use(methodNotAllowed(e))
	e.Use(limitAddress(newLimiters("address", d.Limits.AddressRate)))
	e.Use(checkCorrelationID)
	e.Use(middleware.BodyLimit(MaxBody))

	e.GET("/healthz", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	})
	e.GET("/readyz", func(c echo.Context) error {
		if err := d.Ready(c.Request().Context()); err != nil {
			return apperr.Errorf(apperr.Unavailable, "not_ready", "%v", err)
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	})

	failed := newLimiters("address without a valid token", FailedSignInRate)
	if d.Limits.AddressRate < 0 {
		failed = nil
	}
	api := e.Group("/api/v1", authenticate(d.Tokens, failed), limitToken(newLimiters("token", d.Limits.TokenRate)), onDuty(d.OnDuty))
	if d.LogFolds <= 0 {
		d.LogFolds = 2
	}
	if d.Zone == nil {
		d.Zone = time.UTC // the composition root passes --timezone
	}
	s := &server{d: d, models: map[string]projections.Projection{}, folds: make(chan struct{}, d.LogFolds), foldWait: foldWait,
		limits: d.Limits, searches: make(chan struct{}, d.Limits.Searches)}
	for _, p := range d.Projections {
		s.models[p.Name()] = p
	}
	s.districtRoutes(api)
	s.complaintRoutes(api)
	s.warningRoutes(api)
	s.workOrderRoutes(api)
	s.keyRoutes(api)
	s.feeRoutes(api)
	s.renovationRoutes(api)
	s.moveInRoutes(api)
	s.staffRoutes(api)
	s.commandCentreRoutes(api)
	s.visitRoutes(api)
	s.unitRegisterRoutes(api)
	s.vacantRoutes(api)
	s.activityRoutes(api)
	s.archiveRoutes(api)
	s.householdRoutes(api)
	s.kpiRoutes(api)
	s.trendRoutes(api)
	s.overdueRoutes(api)
	openAPIRoute(e)
	s.auditRoutes(api)
	s.auditEventRoutes(api)
	s.tokenRoutes(api)
	s.signInRoutes(e, api, failed)
	s.consoleRoutes(e)
	for _, r := range d.Routes {
		r(api)
	}
	return e
}

type server struct {
	d Deps
	// models are the read models by name.
	models map[string]projections.Projection
	// folds holds a token per fold of the whole log running (LogFolds);
	// another waits foldWait for one to end.
	folds    chan struct{}
	foldWait time.Duration
	limits   Limits
	// searches holds a token per list search running (Limits.Searches).
	searches chan struct{}
}

const (
	principalKey = "butler.principal"
	tokenKey     = "butler.token"
)

// bearer reads the token of an Authorization header; the scheme's name is
// case-insensitive (RFC 9110 11.1).
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// authenticate requires a valid bearer token and stores its principal;
// failed counts each address's requests without a valid token, and past
// its rate they are 429.
func authenticate(v Verifier, failed *limiters) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			token, ok := bearer(c.Request().Header.Get(echo.HeaderAuthorization))
			if !ok {
				if err := failed.allow(c, addressOf(c)); err != nil {
					return err
				}
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="butler"`)
				return apperr.Errorf(apperr.Unauthorized, "unauthorized", "send a bearer token: Authorization: Bearer <token> (butler token issue)")
			}
			p, err := v.Verify(token)
			if err != nil {
				if err := failed.allow(c, addressOf(c)); err != nil {
					return err
				}
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="butler", error="invalid_token"`)
				return apperr.Errorf(apperr.Unauthorized, "invalid_token", "the bearer token is not valid: %v", err)
			}
			c.Set(principalKey, p)
			c.Set(tokenKey, token)
			return next(c)
		}
	}
}

// onDuty lets a caller write (any method but GET and HEAD) only when
// check accepts them (R-S2).
func onDuty(check func(ctx context.Context, p commands.Principal) error) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			// A path that matched no route is answered 404 or 405 first.
			routed := !strings.HasSuffix(c.Path(), "/*")
			if check != nil && routed && c.Request().Method != http.MethodGet && c.Request().Method != http.MethodHead {
				ctx := commands.WithAttempt(c.Request().Context(), c.Request().Method+" "+c.Path())
				if err := check(ctx, PrincipalOf(c)); err != nil {
					return err
				}
			}
			return next(c)
		}
	}
}

// PrincipalOf returns the authenticated caller.
func PrincipalOf(c echo.Context) commands.Principal {
	p, _ := c.Get(principalKey).(commands.Principal)
	return p
}

// MetaOf builds a command's metadata from the request.
func MetaOf(c echo.Context) (commands.Meta, error) {
	im, err := ifMatch(c)
	if err != nil {
		return commands.Meta{}, err
	}
	corr := c.Request().Header.Get("X-Correlation-ID")
	if corr == "" {
		corr = c.Response().Header().Get(echo.HeaderXRequestID)
	}
	return commands.Meta{Principal: PrincipalOf(c), CorrelationID: corr, IfMatch: im}, nil
}

// Accepted is the answer to a command.
type Accepted struct {
	ID       string `json:"id"`
	Revision uint64 `json:"revision"`
}

func accepted(c echo.Context, status int, location string, r commands.Result) error {
	c.Response().Header().Set("ETag", etag(r.Revision))
	if location != "" && status == http.StatusCreated {
		c.Response().Header().Set(echo.HeaderLocation, location)
	}
	return c.JSON(status, Accepted{ID: r.ID, Revision: r.Revision})
}
