package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/projections"
)

// appraisalReaderRoles read any member's appraisals and profile; a member
// reads their own (R-S1, R-S7: personnel matters, not the whole staff's).
var appraisalReaderRoles = []string{commands.RoleSupervisor, commands.RoleProjectManager, commands.RoleOperations,
	commands.RoleQuality, commands.RoleAuditor}

// staffDutyRoutes serves the appraisal months, profiles, relatives and
// the published behaviour results (R-S1, R-S7, R-S9, R-F5), the work plans
// (R-S8) and the found-property register (R-S9).
func (s *server) staffDutyRoutes(api *echo.Group, g *echo.Group) {
	h := s.d.Commands
	g.POST("/:id/appraisals", s.appraiseStaff)
	g.GET("/:id/appraisals", s.staffAppraisals)
	g.GET("/:id/appraisals/:month", s.staffAppraisal)
	g.POST("/:id/profile", staffAct(func(c *commands.RecordStaffProfile, id string) { c.StaffID = id }, h.Staff.RecordProfile.Handle))
	g.GET("/:id/profile", s.staffProfile)
	g.POST("/:id/relatives", staffAct(func(c *commands.DeclareRelative, id string) { c.StaffID = id }, h.Staff.DeclareRelative.Handle))
	api.GET("/behaviour-results", s.behaviourResults)
	s.workPlanRoutes(api)
	s.foundPropertyRoutes(api)
}

// personnelReader checks that the caller may read id's appraisals and
// profile: the member themselves, or a reader role of the same project.
func personnelReader(c echo.Context, id string) error {
	p := PrincipalOf(c)
	if p.StaffID == id || p.HasRole(appraisalReaderRoles...) {
		return nil
	}
	return apperr.Errorf(apperr.Forbidden, "forbidden_role", "a member's appraisals and profile are read by the member, supervisors, project managers, operations, quality and auditors")
}

// staffAppraisals answers GET /staff/{id}/appraisals: the member's months.
func (s *server) staffAppraisals(c echo.Context) error {
	id, err := staffID(c)
	if err != nil {
		return err
	}
	if err := personnelReader(c, id); err != nil {
		return err
	}
	res, err := s.d.Reads.Search(c.Request().Context(), projections.StaffAppraisalsIndex, projections.Query{
		Terms: map[string][]string{projections.AppraisalFieldProject: {PrincipalOf(c).Project},
			projections.AppraisalFieldKind: {"month"}, projections.AppraisalFieldStaff: {id}},
		Sort: []projections.Sort{{Field: projections.AppraisalFieldMonth, Desc: true}}, Size: 120})
	if err != nil {
		return err
	}
	out := List{Items: make([]json.RawMessage, 0, len(res.Hits)), Total: res.Total}
	for _, hit := range res.Hits {
		out.Items = append(out.Items, hit.Source)
	}
	return c.JSON(http.StatusOK, out)
}

// FeeCollectionFigure is a butler's collection against plan in a month,
// joined into their appraisal month (R-F5).
type FeeCollectionFigure struct {
	PlanID       string   `json:"plan_id,omitempty"`
	TargetFen    int64    `json:"target_fen"`
	CollectedFen int64    `json:"collected_fen"`
	Rate         *float64 `json:"rate"`
}

// AppraisalMonth is one member's month as their appraisal reads it.
type AppraisalMonth struct {
	projections.StaffAppraisal
	FeeCollection *FeeCollectionFigure `json:"fee_collection"`
}

// staffAppraisal answers GET /staff/{id}/appraisals/{month}: the month's
// behaviour checks, talks, trainings, sanctions and appraisal, and for a
// butler the month's collection against plan (R-F5).
func (s *server) staffAppraisal(c echo.Context) error {
	id, err := staffID(c)
	if err != nil {
		return err
	}
	month := c.Param("month")
	if !monthPattern.MatchString(month) {
		return apperr.Errorf(apperr.BadRequest, "invalid_month", "%q is not a month (YYYY-MM)", month)
	}
	if err := personnelReader(c, id); err != nil {
		return err
	}
	out, found, err := s.appraisalMonth(c, id, month)
	if err != nil {
		return err
	}
	if !found {
		return apperr.Errorf(apperr.NotFound, "not_found", "no staff member %s (a member just registered becomes readable within a second)", id)
	}
	return c.JSON(http.StatusOK, out)
}

// appraisalMonth reads a member's month from the appraisal read model
// (an empty month when nothing is recorded in it yet) with the butler's
// collection against plan; found is false when the member is unknown to
// the read model, or of another project.
func (s *server) appraisalMonth(c echo.Context, id, month string) (out AppraisalMonth, found bool, err error) {
	ctx, p := c.Request().Context(), PrincipalOf(c)
	doc, err := s.d.Reads.Get(ctx, projections.StaffAppraisalsIndex, id+"@"+month)
	switch {
	case errors.Is(err, projections.ErrNotFound):
		member, err := s.d.Reads.Get(ctx, projections.StaffAppraisalsIndex, "staff:"+id)
		if errors.Is(err, projections.ErrNotFound) {
			return out, false, nil
		}
		if err != nil {
			return out, false, err
		}
		if err := json.Unmarshal(member.Source, &out.StaffAppraisal); err != nil {
			return out, false, err
		}
		out.ID, out.Kind, out.Month = id+"@"+month, "month", month
	case err != nil:
		return out, false, err
	default:
		if err := json.Unmarshal(doc.Source, &out.StaffAppraisal); err != nil {
			return out, false, err
		}
	}
	if out.Project != p.Project {
		return out, false, nil
	}
	fee, err := s.d.Reads.Get(ctx, projections.FeeCollectionIndex, projections.FeeCollectionID(p.Project, month, id))
	if err != nil && !errors.Is(err, projections.ErrNotFound) {
		return out, false, err
	}
	if err == nil {
		var f projections.FeeCollection
		if err := json.Unmarshal(fee.Source, &f); err != nil {
			return out, false, err
		}
		out.FeeCollection = &FeeCollectionFigure{PlanID: f.PlanID, TargetFen: f.TargetFen, CollectedFen: f.CollectedFen}
		if f.TargetFen > 0 {
			r := float64(f.CollectedFen) / float64(f.TargetFen)
			out.FeeCollection.Rate = &r
		}
	}
	return out, true, nil
}

// appraiseStaff answers POST /staff/{id}/appraisals: the appraisal is
// recorded with the month's figures as the read models show them (R-F5:
// collection against plan feeds the appraisal), never figures a client
// typed in.
func (s *server) appraiseStaff(c echo.Context) error {
	id, err := staffID(c)
	if err != nil {
		return err
	}
	var cmd commands.AppraiseStaff
	if err := bind(c, &cmd); err != nil {
		return err
	}
	cmd.StaffID = id
	if monthPattern.MatchString(cmd.Month) {
		out, found, err := s.appraisalMonth(c, id, cmd.Month)
		if err != nil {
			return err
		}
		if found {
			cmd.Basis = &staff.AppraisalBasis{Checks: out.Checks, ChecksPassed: out.ChecksPassed}
			if out.FeeCollection != nil {
				cmd.Basis.TargetFen, cmd.Basis.CollectedFen = out.FeeCollection.TargetFen, out.FeeCollection.CollectedFen
			}
		}
	}
	m, err := MetaOf(c)
	if err != nil {
		return err
	}
	r, err := s.d.Commands.Staff.Appraise.Handle(c.Request().Context(), m, cmd)
	if err != nil {
		return err
	}
	return accepted(c, http.StatusOK, "", r)
}

// staffProfile answers GET /staff/{id}/profile (R-S7).
func (s *server) staffProfile(c echo.Context) error {
	id, err := staffID(c)
	if err != nil {
		return err
	}
	if err := personnelReader(c, id); err != nil {
		return err
	}
	doc, err := s.d.Reads.Get(c.Request().Context(), projections.StaffProfilesIndex, id)
	if errors.Is(err, projections.ErrNotFound) {
		return apperr.Errorf(apperr.NotFound, "not_found", "no staff member %s", id)
	}
	if err != nil {
		return err
	}
	var sc scoped
	if err := json.Unmarshal(doc.Source, &sc); err != nil {
		return err
	}
	if sc.Project != PrincipalOf(c).Project {
		return apperr.Errorf(apperr.NotFound, "not_found", "no staff member %s", id)
	}
	c.Response().Header().Set("ETag", etag(doc.Version))
	return c.JSONBlob(http.StatusOK, doc.Source)
}

// BehaviourResult is one member's published behaviour results of a month
// (R-S1: 处理结果是否向全员公示): counts only, no notes (what a checker
// wrote may name an owner).
type BehaviourResult struct {
	Staff        string   `json:"staff"`
	Name         string   `json:"name"`
	Role         string   `json:"role"`
	District     string   `json:"district"`
	Month        string   `json:"month"`
	Checks       int      `json:"checks"`
	ChecksPassed int      `json:"checks_passed"`
	ChecksFailed int      `json:"checks_failed"`
	PassRate     *float64 `json:"pass_rate"`
}

// behaviourResults answers GET /behaviour-results?month=YYYY-MM: every
// checked member's results of the month, published to all the project's
// staff (any role; every district).
func (s *server) behaviourResults(c echo.Context) error {
	month := c.QueryParam("month")
	for k := range c.QueryParams() {
		if k != "month" && k != "district" {
			return apperr.Invalid(map[string]string{k: "unknown query parameter"})
		}
	}
	if !monthPattern.MatchString(month) {
		return apperr.Invalid(map[string]string{"month": "required: a month YYYY-MM"})
	}
	q := projections.Query{Terms: map[string][]string{projections.AppraisalFieldProject: {PrincipalOf(c).Project},
		projections.AppraisalFieldKind: {"month"}, projections.AppraisalFieldMonth: {month}},
		Sort: []projections.Sort{{Field: "id"}}, Size: 1000}
	if d := c.QueryParam("district"); d != "" {
		q.Terms["district"] = []string{d}
	}
	items := []BehaviourResult{}
	for {
		res, err := s.d.Reads.Search(c.Request().Context(), projections.StaffAppraisalsIndex, q)
		if err != nil {
			return err
		}
		for _, hit := range res.Hits {
			var m projections.StaffAppraisal
			if err := json.Unmarshal(hit.Source, &m); err != nil {
				return err
			}
			if m.Checks == 0 {
				continue
			}
			items = append(items, BehaviourResult{Staff: m.Staff, Name: m.Name, Role: m.Role, District: m.District, Month: m.Month,
				Checks: m.Checks, ChecksPassed: m.ChecksPassed, ChecksFailed: m.ChecksFailed, PassRate: m.PassRate})
		}
		if len(res.Hits) < q.Size {
			break
		}
		q.After = res.Cursor
	}
	return c.JSON(http.StatusOK, map[string]any{"month": month, "items": items, "total": len(items)})
}
