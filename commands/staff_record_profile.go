package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff"
)

// RecordStaffProfile records what the supervisor (the caller) knows of a
// subordinate (R-S7: background, personality, interests, strengths and
// weaknesses). Read back only by the staff member, supervisors, project
// managers and operations (GET /staff/{id}/profile).
type RecordStaffProfile struct {
	StaffID     string `json:"-"`
	Background  string `json:"background"`
	Personality string `json:"personality,omitempty"`
	Interests   string `json:"interests,omitempty"`
	Strengths   string `json:"strengths"`
	Weaknesses  string `json:"weaknesses,omitempty"`
}

type RecordStaffProfileHandler struct{ d handlerDeps }

func NewRecordStaffProfileHandler(store EventStore, clock Clock, ids IDGenerator) RecordStaffProfileHandler {
	return RecordStaffProfileHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordStaffProfileHandler) Handle(ctx context.Context, m Meta, cmd RecordStaffProfile) (Result, error) {
	return updateStaff(ctx, h.d, m, cmd.StaffID, staffOneToOneRoles, func(s *staff.Staff, now time.Time) error {
		return s.RecordProfile(staff.ProfileRecorded{Supervisor: m.Principal.StaffID, Background: cmd.Background,
			Personality: cmd.Personality, Interests: cmd.Interests, Strengths: cmd.Strengths, Weaknesses: cmd.Weaknesses}, now)
	})
}
