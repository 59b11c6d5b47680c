package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/projections"
)

var (
	archives = collection{
		index: projections.ArchivesIndex, streamPrefix: archive.StreamPrefix,
		filters: []string{"status", "household", "borrower", "accountable", "last_check_matches"}, dateField: "opened_at",
		sorts: []string{"opened_at", "last_check_at", "checks"}, facets: []string{"status"},
	}
	archiveAccess = collection{
		index: projections.ArchiveAccessIndex, filters: []string{"archive_id", "household", "reader", "role", "what", "month"},
		dateField: "at", sorts: []string{"at"}, facets: []string{"reader", "role", "what"},
	}
)

// archiveRoutes serves owner archives (R-D1…R-D3). Lists carry no
// personal data; the detail and the history of an archive carry it, so
// each of those reads is recorded first (GET /archives/access-log).
func (s *server) archiveRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/archives")
	g.POST("", create("/api/v1/archives", h.Archive.Open.Handle))
	g.GET("", s.list(archives))
	g.GET("/access-log", func(c echo.Context) error {
		if !PrincipalOf(c).HasRole(commands.ArchiveAuditRoles...) {
			return apperr.Errorf(apperr.Forbidden, "forbidden_role", "the access log is for auditors and the project manager")
		}
		return s.list(archiveAccess)(c)
	})
	g.GET("/:id", s.archiveDetail)
	g.GET("/:id/history", func(c echo.Context) error {
		if _, err := s.readArchive(c, "history"); err != nil {
			return err
		}
		return s.history(archives)(c)
	})
	g.GET("/:id/proof", func(c echo.Context) error {
		if err := requireAuditor(c); err != nil {
			return err
		}
		if _, err := s.readArchive(c, "proof"); err != nil {
			return err
		}
		return s.proof(archives)(c)
	})
	g.POST("/:id/add-document", act(func(c *commands.AddArchiveDocument, id string) { c.ArchiveID = id }, h.Archive.AddDocument.Handle))
	g.POST("/:id/request-loan", act(func(c *commands.RequestArchiveLoan, id string) { c.ArchiveID = id }, h.Archive.RequestLoan.Handle))
	g.POST("/:id/sign-loan", act(func(c *commands.SignArchiveLoan, id string) { c.ArchiveID = id }, h.Archive.SignLoan.Handle))
	g.POST("/:id/return", act(func(c *commands.ReturnArchive, id string) { c.ArchiveID = id }, h.Archive.Return.Handle))
	g.POST("/:id/check", act(func(c *commands.CheckArchive, id string) { c.ArchiveID = id }, h.Archive.Check.Handle))
	g.POST("/:id/lost", act(func(c *commands.ReportArchiveLost, id string) { c.ArchiveID = id }, h.Archive.ReportLost.Handle))
}

// readArchive records the read (R-D3) and returns the personal data.
func (s *server) readArchive(c echo.Context, what string) (commands.ArchivePersonalData, error) {
	id, err := pathID(c)
	if err != nil {
		return commands.ArchivePersonalData{}, err
	}
	m, err := MetaOf(c)
	if err != nil {
		return commands.ArchivePersonalData{}, err
	}
	return s.d.Commands.Archive.Read.Handle(c.Request().Context(), m, commands.ReadArchive{ArchiveID: id, What: what, Route: c.Path(), Zone: s.d.Zone})
}

// ArchiveDetail is the archive's record with the owner's personal data.
type ArchiveDetail struct {
	Record json.RawMessage              `json:"record"`
	Owner  commands.ArchivePersonalData `json:"owner"`
}

// archiveDetail answers the archive with its owner's personal data, the
// read recorded first (R-D3); with ?as_of= the record as it stood then
// (the personal data is the opening's and never changes).
func (s *server) archiveDetail(c echo.Context) error {
	var at time.Time
	if c.QueryParam("as_of") != "" {
		var err error
		if at, err = s.asOfParam(c); err != nil {
			return err
		}
	}
	personal, err := s.readArchive(c, "detail")
	if err != nil {
		return err
	}
	out := ArchiveDetail{Owner: personal, Record: json.RawMessage("null")}
	if !at.IsZero() {
		doc, err := s.recordAsOf(c, archives, personal.ArchiveID, at)
		if err != nil {
			return err
		}
		out.Record = doc.Source
		c.Response().Header().Set("ETag", etag(doc.Version))
		return c.JSON(http.StatusOK, out)
	}
	doc, err := s.d.Reads.Get(c.Request().Context(), projections.ArchivesIndex, personal.ArchiveID)
	switch {
	case errors.Is(err, projections.ErrNotFound):
		// Just opened: the record follows within a second.
	case err != nil:
		return err
	default:
		out.Record = doc.Source
		c.Response().Header().Set("ETag", etag(doc.Version))
	}
	return c.JSON(http.StatusOK, out)
}
