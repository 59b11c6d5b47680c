package projections

import (
	"slices"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff"
)

// StaffIndex is the staff register read model's name.
const StaffIndex = "staff"

// Field names of the staff register, for the time rules.
const (
	StaffFieldRole      = "role"
	StaffFieldOnboarded = "onboarded"
)

// StaffMember is the staff read model: one document per staff member with
// training, assessments, behaviour checks, weekly talks and the weeks
// without one, appraisals, declared relatives and the published rewards
// and penalties (R-S1…R-S9, R-F5). What the supervisor knows of the
// member (R-S7) is not here but in StaffProfiles, read by fewer roles.
type StaffMember struct {
	ID       string `json:"id"`
	Project  string `json:"project"`
	District string `json:"district"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	// Butler repeats the id so that ?butler= finds a butler's own record.
	Butler          string           `json:"butler"`
	Trained         bool             `json:"trained"`
	Onboarded       bool             `json:"onboarded"`
	Trainings       []StaffTraining  `json:"trainings"`
	Assessments     []staff.Assessed `json:"assessments"`
	BehaviourChecks []StaffCheck     `json:"behaviour_checks"`
	BehaviourFailed int              `json:"behaviour_failed"`
	OneToOnes       []StaffOneToOne  `json:"one_to_ones"`
	OneToOneMonths  []string         `json:"one_to_one_months"`
	OneToOneWeeks   []string         `json:"one_to_one_weeks"`
	// TalkMissedWeeks are the ended weeks a time rule found without a talk
	// (R-S7); PatrolMissedWeeks a supervisor's weeks without a patrol (R-S4).
	TalkMissedWeeks   []string `json:"talk_missed_weeks"`
	PatrolMissedWeeks []string `json:"patrol_missed_weeks"`
	// Supervisor is who last recorded the member's profile (R-S7).
	Supervisor      string          `json:"supervisor,omitempty"`
	Profiled        bool            `json:"profiled"`
	AppraisedMonths []string        `json:"appraised_months"`
	OverdueMonths   []string        `json:"appraisal_overdue_months"`
	Relatives       []StaffRelative `json:"relatives"`
	Sanctions       []StaffSanction `json:"sanctions"`
	RegisteredAt    time.Time       `json:"registered_at"`
	Stamped
}

// StaffTraining is one session attended.
type StaffTraining struct {
	Session string    `json:"session"`
	Topic   string    `json:"topic"`
	At      time.Time `json:"at"`
}

// StaffCheck is one behaviour-norm check.
type StaffCheck struct {
	Method string    `json:"method"`
	Passed bool      `json:"passed"`
	Notes  string    `json:"notes,omitempty"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// StaffOneToOne is one supervisor talk (R-S7; monthly one-to-ones before).
type StaffOneToOne struct {
	Supervisor string    `json:"supervisor"`
	Minutes    int       `json:"minutes"`
	Method     string    `json:"method"`
	Notes      string    `json:"notes"`
	Week       string    `json:"week"`
	Month      string    `json:"month"`
	At         time.Time `json:"at"`
}

// StaffRelative is a relative the member declared among a unit's owners
// (R-S9): the unit and the relation, no names.
type StaffRelative struct {
	Unit     string    `json:"unit"`
	Relation string    `json:"relation"`
	At       time.Time `json:"at"`
}

// StaffSanction is a published reward or penalty.
type StaffSanction struct {
	Kind   string    `json:"kind"`
	Reason string    `json:"reason"`
	Amount int       `json:"amount,omitempty"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// Staff projects staff streams.
var Staff = StreamModel[StaffMember]{Index: StaffIndex, Prefix: staff.StreamPrefix, Decode: staff.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "role": Keyword, "butler": Keyword, "one_to_one_months": Keyword,
		"one_to_one_weeks": Keyword, "talk_missed_weeks": Keyword, "patrol_missed_weeks": Keyword, "supervisor": Keyword,
		"appraised_months": Keyword, "appraisal_overdue_months": Keyword, "profiled": Bool,
		"name":          Text,
		"registered_at": Date, "updated_at": Date,
		"behaviour_failed": Number,
		"trained":          Bool, "onboarded": Bool,
	},
	Fold: foldStaff,
}

func foldStaff(d *StaffMember, id string, p event.Payload, e event.Recorded) {
	by := e.Meta.Actor.StaffID
	switch p := p.(type) {
	case staff.Registered:
		*d = StaffMember{ID: id, Project: p.Project, District: p.District, Name: p.Name, Role: p.Role, Butler: id,
			Trainings: []StaffTraining{}, Assessments: []staff.Assessed{}, BehaviourChecks: []StaffCheck{},
			OneToOnes: []StaffOneToOne{}, OneToOneMonths: []string{}, OneToOneWeeks: []string{}, Sanctions: []StaffSanction{},
			TalkMissedWeeks: []string{}, PatrolMissedWeeks: []string{}, AppraisedMonths: []string{}, OverdueMonths: []string{},
			Relatives:    []StaffRelative{},
			RegisteredAt: p.At, Stamped: Stamped{UpdatedAt: p.At}}
	case staff.TrainingAttended:
		d.Trained = true
		d.Trainings = append(d.Trainings, StaffTraining{Session: p.Session, Topic: p.Topic, At: p.At})
	case staff.Assessed:
		d.Assessments = append(d.Assessments, p)
		if p.Onboarding && p.Passed {
			d.Onboarded = true
		}
	case staff.BehaviourChecked:
		d.BehaviourChecks = append(d.BehaviourChecks, StaffCheck{Method: p.Method, Passed: p.Passed, Notes: p.Notes, By: by, At: p.At})
		if !p.Passed {
			d.BehaviourFailed++
		}
	case staff.OneToOneHeld:
		d.OneToOnes = append(d.OneToOnes, StaffOneToOne{Supervisor: p.Supervisor, Minutes: p.Minutes, Method: p.Method, Notes: p.Notes,
			Week: p.Week, Month: p.Month, At: p.At})
		if !slices.Contains(d.OneToOneMonths, p.Month) {
			d.OneToOneMonths = append(d.OneToOneMonths, p.Month)
		}
		d.OneToOneWeeks = append(d.OneToOneWeeks, p.Week)
	case staff.TalkMissed:
		d.TalkMissedWeeks = append(d.TalkMissedWeeks, p.Week)
	case staff.PatrolWeekMissed:
		d.PatrolMissedWeeks = append(d.PatrolMissedWeeks, p.Week)
	case staff.ProfileRecorded:
		d.Supervisor, d.Profiled = p.Supervisor, true
	case staff.RelativeDeclared:
		d.Relatives = append(d.Relatives, StaffRelative{Unit: p.Unit, Relation: p.Relation, At: p.At})
	case staff.Appraised:
		d.AppraisedMonths = append(d.AppraisedMonths, p.Month)
	case staff.AppraisalOverdue:
		d.OverdueMonths = append(d.OverdueMonths, p.Month)
	case staff.SanctionPublished:
		d.Sanctions = append(d.Sanctions, StaffSanction{Kind: p.Kind, Reason: p.Reason, Amount: p.Amount, By: by, At: p.At})
	}
}
