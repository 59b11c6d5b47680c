package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/integrity"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/projections"
)

// Auditor is the verifiable log (infra/audit.Log) as the API uses it.
type Auditor interface {
	PublicKey() (audit.PublicKey, bool)
	Latest() (audit.Checkpoint, bool)
	Prove(e event.Recorded, size uint64) (audit.Inclusion, error)
	ProveRecord(events []event.Recorded) (audit.RecordProof, error)
	Consistency(first, second uint64) (audit.Consistency, error)
	Export(ctx context.Context, f audit.ExportFilter, w io.Writer) error
}

// auditRoles read the audit endpoints.
var auditRoles = []string{commands.RoleAuditor, commands.RoleQuality, commands.RoleProjectManager}

func requireAuditor(c echo.Context) error {
	if !PrincipalOf(c).HasRole(auditRoles...) {
		return apperr.Errorf(apperr.Forbidden, "forbidden_role", "the audit endpoints are for auditors, quality and the project manager")
	}
	return nil
}

// auditRoutes serves /api/v1/audit: the key, checkpoints, proofs and the
// exported bundle (docs/audit.md).
func (s *server) auditRoutes(api *echo.Group) {
	g := api.Group("/audit", func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := requireAuditor(c); err != nil {
				return err
			}
			return next(c)
		}
	})
	g.GET("/key", func(c echo.Context) error {
		k, ok := s.d.Audit.PublicKey()
		if !ok {
			return apperr.Errorf(apperr.NotFound, "no_audit_key", "this server does not sign checkpoints")
		}
		return c.JSON(http.StatusOK, k)
	})
	g.GET("/checkpoint", func(c echo.Context) error {
		cp, ok := s.d.Audit.Latest()
		if !ok {
			return notYetCheckpointed(c, "no checkpoint has been signed yet")
		}
		return c.JSON(http.StatusOK, cp)
	})
	g.GET("/proof", s.eventProof)
	g.GET("/consistency", s.consistency)
	g.GET("/export", s.auditExport)
}

func notYetCheckpointed(c echo.Context, what string) error {
	c.Response().Header().Set("Retry-After", "60")
	return apperr.Errorf(apperr.Conflict, "not_yet_checkpointed",
		"%s: the server signs a checkpoint every minute while events are recorded; try again shortly", what)
}

// auditError turns the log's errors into answers.
func auditError(c echo.Context, err error, what string) error {
	switch {
	case errors.Is(err, audit.ErrNotCheckpointed), errors.Is(err, audit.ErrNotInTree):
		return notYetCheckpointed(c, what+" is recorded but no signed checkpoint covers it yet")
	case errors.Is(err, audit.ErrNoCheckpoint):
		return apperr.Errorf(apperr.NotFound, "no_checkpoint", "no signed checkpoint of that tree size (GET /api/v1/audit/checkpoint gives the latest)")
	case errors.Is(err, audit.ErrBusy):
		c.Response().Header().Set("Retry-After", "30")
		return apperr.Errorf(apperr.TooManyRequests, "export_busy", "%v", err)
	}
	return err
}

func uintParam(c echo.Context, name string, bad map[string]string) uint64 {
	v := c.QueryParam(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseUint(v, 10, 63)
	if err != nil {
		bad[name] = "a whole number of events"
	}
	return n
}

func onlyParams(c echo.Context, bad map[string]string, allowed ...string) {
	for key := range c.QueryParams() {
		ok := false
		for _, a := range allowed {
			ok = ok || key == a
		}
		if !ok {
			bad[key] = fmt.Sprintf("unknown query parameter (%v)", allowed)
		}
	}
}

func invalidQuery(bad map[string]string) error {
	return &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_query", Message: "some query parameters are invalid", Fields: bad}
}

// eventProof answers GET /audit/proof?event=ID[&tree_size=N].
func (s *server) eventProof(c echo.Context) error {
	bad := map[string]string{}
	onlyParams(c, bad, "event", "tree_size")
	id := c.QueryParam("event")
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		bad["event"] = "an event id (a UUID)"
	}
	size := uintParam(c, "tree_size", bad)
	if len(bad) > 0 {
		return invalidQuery(bad)
	}
	e, err := s.eventByID(c, id)
	if err != nil {
		return err
	}
	in, err := s.d.Audit.Prove(e, size)
	if err != nil {
		return auditError(c, err, "event "+id)
	}
	return c.JSON(http.StatusOK, in)
}

// eventByID finds an event through the audit-events read model and reads
// it from the event store; events of other projects, or of a district the
// caller does not cover, are "no event".
func (s *server) eventByID(c echo.Context, id string) (event.Recorded, error) {
	absent := apperr.Errorf(apperr.NotFound, "not_found", "no event %s (an event just recorded becomes findable within a second)", id)
	doc, err := s.d.Reads.Get(c.Request().Context(), projections.AuditEventsIndex, id)
	if err != nil {
		return event.Recorded{}, absent
	}
	var where struct {
		Stream   string `json:"stream"`
		Revision uint64 `json:"revision"`
		Project  string `json:"project"`
		District string `json:"district"`
	}
	if err := json.Unmarshal(doc.Source, &where); err != nil {
		return event.Recorded{}, err
	}
	if !canRead(PrincipalOf(c), where.Project, where.District) || strings.HasPrefix(where.Stream, integrity.StreamPrefix) {
		// Integrity reports are read by operations only (R-S6).
		return event.Recorded{}, absent
	}
	got, err := s.d.Events.ReadStream(c.Request().Context(), where.Stream, where.Revision, event.Forward, 1)
	if err != nil || len(got) == 0 || got[0].ID != id {
		return event.Recorded{}, absent
	}
	return got[0], nil
}

// consistency answers GET /audit/consistency?first=M[&second=N].
func (s *server) consistency(c echo.Context) error {
	bad := map[string]string{}
	onlyParams(c, bad, "first", "second")
	if c.QueryParam("first") == "" {
		bad["first"] = "required: the tree size of the checkpoint you hold"
	}
	first, second := uintParam(c, "first", bad), uintParam(c, "second", bad)
	if len(bad) > 0 {
		return invalidQuery(bad)
	}
	if second == 0 {
		latest, ok := s.d.Audit.Latest()
		if !ok {
			return notYetCheckpointed(c, "no checkpoint has been signed yet")
		}
		second = latest.TreeSize
	}
	if first > second {
		return invalidQuery(map[string]string{"first": "not larger than second"})
	}
	p, err := s.d.Audit.Consistency(first, second)
	if err != nil {
		return auditError(c, err, "")
	}
	return c.JSON(http.StatusOK, p)
}

// exportWriteTimeout bounds sending one audit bundle.
const exportWriteTimeout = 10 * time.Minute

// auditExport answers GET /audit/export?from=&to=: the bundle of the
// token's project's events recorded in the period.
func (s *server) auditExport(c echo.Context) error {
	bad := map[string]string{}
	onlyParams(c, bad, "from", "to")
	// Integrity reports are read by operations only (R-S6): their events
	// are left out of a bundle the audit roles take away.
	f := audit.ExportFilter{Project: PrincipalOf(c).Project, To: time.Now().Add(time.Second),
		LeaveOut: []string{integrity.StreamPrefix}}
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		v := c.QueryParam(p.name)
		if v == "" {
			continue
		}
		t, err := timeParam(p.name, v, s.d.Zone)
		if err != nil {
			bad[p.name] = err.Error()
		}
		*p.t = t
	}
	if c.QueryParam("from") == "" {
		bad["from"] = "required: the start of the period"
	}
	if len(bad) == 0 && f.To.Before(f.From) {
		bad["to"] = "not before from"
	}
	if len(bad) > 0 {
		return invalidQuery(bad)
	}
	if !PrincipalOf(c).ProjectWide() {
		return apperr.Errorf(apperr.Forbidden, "forbidden_scope", "a bundle covers the whole project: ask with a project-wide token")
	}
	// A bundle may take longer to send than an ordinary answer may
	// (--write-timeout).
	_ = http.NewResponseController(c.Response().Writer).SetWriteDeadline(time.Now().Add(exportWriteTimeout))
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := s.d.Audit.Export(c.Request().Context(), f, pw)
		pw.CloseWithError(err)
		done <- err
	}()
	// The first byte tells whether the export started; errors before it
	// are answered as errors.
	first := make([]byte, 1)
	if _, err := io.ReadFull(pr, first); err != nil {
		pr.Close()
		return auditError(c, <-done, "the period")
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="butler-audit-%s-%s.json"`, f.Project, f.From.Format("20060102")))
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	c.Response().WriteHeader(http.StatusOK)
	_, _ = c.Response().Write(first)
	_, err := io.Copy(c.Response(), pr)
	pr.Close()
	<-done
	return err
}

// proof answers GET /<records>/{id}/proof for a collection's record.
func (s *server) proof(col collection) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c)
		if err != nil {
			return err
		}
		return s.streamProof(c, col.streamPrefix+id, col.index+" record "+id)
	}
}

// streamProof proves every event of one stream against the latest
// checkpoint, scoped like the record's history.
func (s *server) streamProof(c echo.Context, stream, what string) error {
	if err := requireAuditor(c); err != nil {
		return err
	}
	all, err := s.readStream(c, stream, what)
	if err != nil {
		return err
	}
	p, err := s.d.Audit.ProveRecord(all)
	if err != nil {
		return auditError(c, err, what)
	}
	return c.JSON(http.StatusOK, p)
}
