package projections

import (
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff"
)

// StaffProfilesIndex holds what supervisors know of each subordinate
// (R-S7). It is kept apart from the staff register because it is read by
// fewer roles (the member, supervisors, project managers, operations).
const StaffProfilesIndex = "staff_profiles"

// StaffProfile is a member's latest profile, with who recorded it.
type StaffProfile struct {
	ID          string    `json:"id"`
	Project     string    `json:"project"`
	District    string    `json:"district"`
	Name        string    `json:"name"`
	Role        string    `json:"role"`
	Recorded    bool      `json:"recorded"`
	Supervisor  string    `json:"supervisor,omitempty"`
	Background  string    `json:"background,omitempty"`
	Personality string    `json:"personality,omitempty"`
	Interests   string    `json:"interests,omitempty"`
	Strengths   string    `json:"strengths,omitempty"`
	Weaknesses  string    `json:"weaknesses,omitempty"`
	RecordedAt  time.Time `json:"recorded_at,omitzero"`
	Stamped
}

// StaffProfiles projects staff streams' registrations and profiles.
var StaffProfiles = StreamModel[StaffProfile]{Index: StaffProfilesIndex, Prefix: staff.StreamPrefix, Decode: staff.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "role": Keyword, "supervisor": Keyword,
		"recorded": Bool, "updated_at": Date,
	},
	Fold: func(d *StaffProfile, id string, p event.Payload, _ event.Recorded) {
		switch p := p.(type) {
		case staff.Registered:
			*d = StaffProfile{ID: id, Project: p.Project, District: p.District, Name: p.Name, Role: p.Role}
			d.UpdatedAt = p.At
		case staff.ProfileRecorded:
			d.Recorded, d.Supervisor, d.Background, d.Personality = true, p.Supervisor, p.Background, p.Personality
			d.Interests, d.Strengths, d.Weaknesses, d.RecordedAt = p.Interests, p.Strengths, p.Weaknesses, p.At
		}
	},
}
