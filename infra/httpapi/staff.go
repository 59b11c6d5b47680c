package httpapi

import (
	"regexp"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/projections"
)

var staffMembers = collection{
	index:        projections.StaffIndex,
	streamPrefix: staff.StreamPrefix,
	filters:      []string{"role", "butler", "trained", "onboarded", "one_to_one_months", "one_to_one_weeks", "talk_missed_weeks", "supervisor", "profiled", "appraised_months", "appraisal_overdue_months"},
	dateField:    "registered_at",
	sorts:        []string{"registered_at", "updated_at", "behaviour_failed"},
	facets:       []string{"role", "district"},
	id:           staffID,
}

// staffRoutes serves the staff register and its training, assessment,
// behaviour, one-to-one and sanction records (R-S1…R-S5).
func (s *server) staffRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/staff")
	g.POST("", func(c echo.Context) error {
		var cmd commands.RegisterStaff
		if err := bind(c, &cmd); err != nil {
			return err
		}
		m, err := MetaOf(c)
		if err != nil {
			return err
		}
		r, err := h.Staff.Register.Handle(c.Request().Context(), m, cmd)
		if err != nil {
			return err
		}
		return accepted(c, 201, "/api/v1/staff/"+r.ID, r)
	})
	g.GET("", s.list(staffMembers))
	g.GET("/:id", s.detail(staffMembers))
	g.GET("/:id/history", s.staffHistory)
	g.GET("/:id/proof", s.staffProof)
	g.POST("/:id/training", staffAct(func(c *commands.AttendTraining, id string) { c.StaffID = id }, h.Staff.AttendTraining.Handle))
	g.POST("/:id/assessments", staffAct(func(c *commands.AssessStaff, id string) { c.StaffID = id }, h.Staff.Assess.Handle))
	g.POST("/:id/behaviour-checks", staffAct(func(c *commands.CheckBehaviour, id string) { c.StaffID = id }, h.Staff.CheckBehaviour.Handle))
	g.POST("/:id/one-to-ones", staffAct(func(c *commands.HoldOneToOne, id string) { c.StaffID = id }, h.Staff.HoldOneToOne.Handle))
	g.POST("/:id/sanctions", staffAct(func(c *commands.PublishSanction, id string) { c.StaffID = id }, h.Staff.PublishSanction.Handle))
	s.staffDutyRoutes(api, g)
	s.qualityRoutes(api)
	s.integrityRoutes(api)
	s.trainingPlanRoutes(api)
}

// Staff records are keyed by the staff id tokens carry ("b-001"), not by
// a UUID, so their paths take a staff id.
var staffIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func staffID(c echo.Context) (string, error) {
	id := c.Param("id")
	if !staffIDPattern.MatchString(id) {
		return "", apperr.Errorf(apperr.BadRequest, "invalid_id", "%q is not a staff id (letters, digits, . _ -)", id)
	}
	return id, nil
}

// staffHistory is history for a staff-id path. The stream holds what the
// supervisor knows of the member (R-S7), so it is read by the member and
// the readers of profiles only.
func (s *server) staffHistory(c echo.Context) error {
	id, err := staffID(c)
	if err != nil {
		return err
	}
	if err := personnelReader(c, id); err != nil {
		return err
	}
	return s.streamHistory(c, staff.StreamPrefix+id, "staff record "+id)
}

// staffProof is proof for a staff-id path.
func (s *server) staffProof(c echo.Context) error {
	id, err := staffID(c)
	if err != nil {
		return err
	}
	return s.streamProof(c, staff.StreamPrefix+id, "staff record "+id)
}

// staffAct is act for a staff-id path.
func staffAct[C any](setID func(*C, string), handle handleFunc[C]) echo.HandlerFunc {
	return actOn(staffID, setID, handle)
}
