package projections

import "encoding/json"

// The staff and quality KPIs (R-S2, R-S3, R-S4).
func staffKPIs() []KPI {
	return []KPI{
		{
			Name:        "untrained-staff-assigned",
			Description: "dispatches of work orders and complaints to registered staff who had not passed the onboarding assessment (R-S2)",
			Target:      "0",
			Index:       StaffAssignmentsIndex, Kind: Count, MonthField: "month", ButlerField: "assignee",
			Where:   map[string][]string{"kind": {"assignment"}},
			Measure: Field("untrained"),
		},
		{
			Name:        "spot-check-coverage",
			Description: "work orders registered in the month that a supervisor spot-checked against the paper record (R-W6: at least 20%)",
			Target:      "≥20%",
			Index:       QualityIndex, Kind: Rate, MonthField: "month",
			Where:   map[string][]string{"kind": {"work_order"}},
			Measure: Field("spot_checked"),
		},
		{
			Name:        "spot-checks-uncorrected",
			Description: "spot checks that found a mismatch with no corrective action recorded yet (R-S4)",
			Target:      "0",
			Index:       QualityIndex, Kind: Count, MonthField: "month",
			Where: map[string][]string{"kind": {"check"}, "matches": {"false"}},
			Measure: func(src json.RawMessage) (float64, bool, error) {
				_, corrected, err := Field("corrected")(src)
				return 0, !corrected, err
			},
		},
		{
			Name:        "supervisor-weekly-patrols",
			Description: "supervisors' patrols with a self-inspection report (R-S4: weekly); ?butler= names the supervisor",
			Target:      "≥1 a week",
			Index:       QualityIndex, Kind: Count, MonthField: "month",
			Where:   map[string][]string{"kind": {"patrol"}},
			Measure: always,
		},
		{
			Name:        "training-plan-completion",
			Description: "planned training sessions held, of the sessions planned (by planned date) in approved training plans; records are plan#session (R-S3)",
			Target:      "100%",
			Index:       TrainingPlansIndex,
			Custom:      trainingPlanCompletion,
		},
	}
}
