package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/household"
	"github.com/butler-pm/butler/projections"
)

var (
	households = collection{
		index:     projections.HouseholdsIndex,
		filters:   []string{"unit", "erased"},
		dateField: "updated_at",
		sorts:     []string{"unit", "updated_at"},
		facets:    []string{"district", "erased"},
	}
	personalDataReads = collection{
		index:     projections.AccessLogIndex,
		filters:   []string{projections.AccessStaffField, "role", "route"},
		dateField: projections.AccessAtField,
		sorts:     []string{projections.AccessAtField},
		facets:    []string{projections.AccessStaffField, "role", "route"},
	}
)

// householdRoutes serves the households, the one home of owners' personal
// data (R-D3), and the access log of who read it.
func (s *server) householdRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/households")
	g.GET("", s.listHouseholds)
	g.GET("/:unit", s.householdDetail)
	g.GET("/:unit/proof", func(c echo.Context) error {
		unit, err := pathUnit(c)
		if err != nil {
			return err
		}
		// The household's events hold its contact sealed: a proof shows
		// ciphertext, never the owner.
		return s.streamProof(c, household.Stream(PrincipalOf(c).Project, unit), "household "+unit)
	})
	g.POST("/:unit/contact", actOn(pathUnit, func(c *commands.RecordHouseholdContact, u string) { c.Unit = u }, h.Household.RecordContact.Handle))
	g.POST("/:unit/erase", actOn(pathUnit, func(c *commands.EraseHousehold, u string) { c.Unit = u }, h.Household.Erase.Handle))
	api.GET("/access-log", s.accessLog)
}

// pathUnit reads a unit code from the path: building-entrance-flat, such
// as 3-2-501 (letters, digits, '-', '.', '_', at most 32).
func pathUnit(c echo.Context) (string, error) {
	u := c.Param("unit")
	ok := u != "" && len(u) <= 32
	for _, r := range u {
		ok = ok && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '.' || r == '_')
	}
	if !ok {
		return "", apperr.Errorf(apperr.BadRequest, "invalid_id", "%q is not a unit code (such as 3-2-501)", u)
	}
	return u, nil
}

// listHouseholds searches owners by name or phone: for the roles that see
// personal data only; every household in the answer is recorded as read.
func (s *server) listHouseholds(c echo.Context) error {
	p := PrincipalOf(c)
	if !p.SeesPersonalData() {
		return apperr.Errorf(apperr.Forbidden, "forbidden_role", "owners are searched by the roles that reach them: %s",
			strings.Join(commands.PersonalDataRoles, ", "))
	}
	if err := refuseExport(c); err != nil {
		return err
	}
	q, err := s.listQuery(c, households)
	if err != nil {
		return err
	}
	res, err := s.d.Reads.Search(c.Request().Context(), households.index, q)
	if errors.Is(err, projections.ErrInvalidCursor) {
		return apperr.Errorf(apperr.BadRequest, "invalid_cursor", "cursor is not one this list handed out")
	}
	if err != nil {
		return err
	}
	countOnly(c, &res)
	out := List{Items: make([]json.RawMessage, 0, len(res.Hits)), Total: res.Total, Cursor: res.Cursor, Facets: res.Facets}
	var read []string
	for _, h := range res.Hits {
		var d projections.Household
		if err := json.Unmarshal(h.Source, &d); err != nil {
			return err
		}
		if !d.Erased {
			read = append(read, d.Unit)
		}
		out.Items = append(out.Items, h.Source)
	}
	if err := s.recordRead(c, read); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// HouseholdView is a household as GET /households/{unit} shows it.
type HouseholdView struct {
	Unit     string `json:"unit"`
	Project  string `json:"project"`
	District string `json:"district"`
	ownerFields
	Revision uint64 `json:"revision"`
}

// householdDetail shows one household to anyone in its scope: unmasked to
// the roles that see personal data (recorded), masked to the others.
func (s *server) householdDetail(c echo.Context) error {
	unit, err := pathUnit(c)
	if err != nil {
		return err
	}
	p := PrincipalOf(c)
	doc, err := s.d.Reads.Get(c.Request().Context(), projections.HouseholdsIndex, household.ID(p.Project, unit))
	if errors.Is(err, projections.ErrNotFound) {
		return apperr.Errorf(apperr.NotFound, "not_found", "no household %s recorded (a contact just recorded becomes readable within a second)", unit)
	}
	if err != nil {
		return err
	}
	var d projections.Household
	if err := json.Unmarshal(doc.Source, &d); err != nil {
		return err
	}
	if !canRead(p, d.Project, d.District) {
		return apperr.Errorf(apperr.NotFound, "not_found", "no household %s", unit)
	}
	f, shown := showOwner(p, d)
	if shown {
		if err := s.recordRead(c, []string{unit}); err != nil {
			return err
		}
	}
	c.Response().Header().Set("ETag", etag(doc.Version))
	return c.JSON(http.StatusOK, HouseholdView{Unit: d.Unit, Project: d.Project, District: d.District, ownerFields: f, Revision: d.Revision})
}

// accessLog answers GET /access-log?household=&staff=&from=&to=: who read
// which owners' personal data, when, through which endpoint (R-D3), for
// auditors and the project manager.
func (s *server) accessLog(c echo.Context) error {
	if !PrincipalOf(c).HasRole(commands.ArchiveAuditRoles...) {
		return apperr.Errorf(apperr.Forbidden, "forbidden_role", "the access log is for auditors and the project manager")
	}
	qp := c.QueryParams()
	unit := qp.Get("household")
	qp.Del("household")
	if err := refuseExport(c); err != nil {
		return err
	}
	q, err := s.listQuery(c, personalDataReads)
	if err != nil {
		return err
	}
	if unit != "" {
		q.Terms[projections.AccessUnitsField] = strings.Split(unit, ",")
	}
	delete(q.Terms, "district") // reads span districts; the project bounds them
	if q.Sort == nil {
		q.Sort = []projections.Sort{{Field: projections.AccessAtField, Desc: true}}
	}
	res, err := s.d.Reads.Search(c.Request().Context(), personalDataReads.index, q)
	if errors.Is(err, projections.ErrInvalidCursor) {
		return apperr.Errorf(apperr.BadRequest, "invalid_cursor", "cursor is not one this list handed out")
	}
	if err != nil {
		return err
	}
	countOnly(c, &res)
	out := List{Items: make([]json.RawMessage, 0, len(res.Hits)), Total: res.Total, Cursor: res.Cursor, Facets: res.Facets}
	for _, h := range res.Hits {
		out.Items = append(out.Items, h.Source)
	}
	return c.JSON(http.StatusOK, out)
}
