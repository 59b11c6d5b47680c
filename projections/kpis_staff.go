package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
)

// The staff and quality KPIs (R-S1…R-S4, R-S7…R-S9, R-F5).
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
			Description: "supervisors' patrols with a self-inspection report recorded in the month (R-S4); the weekly measure is supervisor-patrol-weeks; ?butler= names the supervisor",
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
		{
			Name: "untrained-staff-on-duty",
			Description: "staff without a passed onboarding assessment who worked or tried to (R-S2): dispatches to registered, " +
				"not-onboarded staff, and each member's day with write attempts refused because they were unregistered or not onboarded " +
				"(records: the dispatch, or dutyrefusal-<id> for the day); ?butler= names the member",
			Target: "0",
			Index:  StaffAssignmentsIndex, Kind: Count, MonthField: "month", ButlerField: "assignee",
			Where:   map[string][]string{"kind": {"assignment", "attempt"}},
			Measure: Field("untrained"),
		},
		{
			Name:        "relative-recusal-conflicts",
			Description: "work orders and complaints dispatched to a member who declared a relative among the unit's owners (R-S9: 亲属回避); ?butler= names the assignee",
			Target:      "0",
			Index:       StaffAssignmentsIndex, Kind: Count, MonthField: "month", ButlerField: "assignee",
			Where:   map[string][]string{"kind": {"assignment"}},
			Measure: Field("relative_conflict"),
		},
		{
			Name:        "behaviour-check-pass-rate",
			Description: "pre-shift checks and mystery-customer visits passed, of those made in the month (R-S1); ?butler= names the member checked",
			Target:      "100%",
			Index:       StaffAppraisalsIndex, Kind: Rate, MonthField: "month", ButlerField: "staff",
			Where:   map[string][]string{"kind": {"check"}},
			Measure: Field("passed"),
		},
		{
			Name:        "appraisals-on-time",
			Description: "monthly appraisals recorded by the 30th, of the months due (appraised, or recorded overdue for a butler) (R-F5, R-S1)",
			Target:      "100%",
			Index:       StaffAppraisalsIndex, Kind: Rate, MonthField: "month", ButlerField: "staff",
			Where:   map[string][]string{"kind": {"month"}, "appraisal_due": {"true"}},
			Measure: Field("on_time"),
		},
		{
			Name: "weekly-talks",
			Description: "subordinates' ISO weeks with a 10–15 minute talk with their supervisor, of the weeks with a talk or recorded without one " +
				"(R-S7: 每周一次; records: talk:<staff>@<week>, a week counts in the month of its Thursday); ?butler= names the supervisor",
			Target: "100%",
			Index:  StaffWeeksIndex, Kind: Rate, MonthField: "month", ButlerField: "supervisor",
			Where:   map[string][]string{"kind": {"talk"}},
			Measure: Field("held"),
		},
		{
			Name: "supervisor-patrol-weeks",
			Description: "supervisors' ISO weeks with a patrol and self-inspection report, of the weeks with one or recorded without one " +
				"(R-S4: 每周一次; records: patrol:<supervisor>@<week>); ?butler= names the supervisor",
			Target: "100%",
			Index:  StaffWeeksIndex, Kind: Rate, MonthField: "month", ButlerField: "supervisor",
			Where:   map[string][]string{"kind": {"patrol"}},
			Measure: Field("held"),
		},
		{
			Name:        "work-plan-targets-met",
			Description: "targets and subordinates' goals of the month's department work plan whose shared progress reached the figure (R-S8); records are plan#target; ?butler= names a goal's owner",
			Target:      "100%",
			Index:       WorkPlansIndex,
			Custom:      workPlanTargetsMet,
		},
		{
			Name:        "found-property-hand-in-overdue",
			Description: "found items not handed in within 24 hours of their registration (R-S9: 拾遗上交), by month found; ?butler= names the finder",
			Target:      "0",
			Index:       FoundPropertyIndex, Kind: Count, MonthField: "month", ButlerField: "finder",
			Measure: Field("hand_in_overdue"),
		},
	}
}

func workPlanTargetsMet(ctx context.Context, reads KPIReads, f KPIFilter) (KPIResult, error) {
	const name = "work-plan-targets-met"
	res := KPIResult{Name: name, Description: "targets and goals of department work plans met by their shared progress (R-S8)",
		Target: "100%", Filter: f, Records: []string{}, NumeratorRecords: []string{}}
	q := Query{Terms: map[string][]string{"project": {f.Project}}, Size: 1000, Sort: []Sort{{Field: "id"}}}
	if f.Month != "" {
		q.Terms["month"] = []string{f.Month}
	}
	if f.Butler != "" {
		q.Terms["owners"] = []string{f.Butler}
	}
	return partRate(ctx, reads, WorkPlansIndex, q, res, func(id string, d WorkPlan, add func(string, bool)) {
		for _, t := range d.Targets {
			if f.Butler == "" || t.Owner == f.Butler {
				add(id+"#"+t.TargetID, t.Met)
			}
		}
	})
}

// partRate is a rate KPI whose records are parts of documents (a work
// plan's targets, a training plan's sessions): every document of index
// matching q gives its parts through add (record id, and whether it counts
// in the numerator).
func partRate[T any](ctx context.Context, reads KPIReads, index string, q Query, res KPIResult, parts func(id string, d T, add func(record string, ok bool))) (KPIResult, error) {
	add := func(record string, ok bool) {
		res.Records = append(res.Records, record)
		if ok {
			res.NumeratorRecords = append(res.NumeratorRecords, record)
		}
	}
	err := searchEach(ctx, reads, index, q, func(id string, src json.RawMessage) error {
		var d T
		if err := json.Unmarshal(src, &d); err != nil {
			return fmt.Errorf("record %s: %w", id, err)
		}
		parts(id, d, add)
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("kpi %s: %w", res.Name, err)
	}
	slices.Sort(res.Records)
	slices.Sort(res.NumeratorRecords)
	res.Numerator, res.Denominator = float64(len(res.NumeratorRecords)), float64(len(res.Records))
	if res.Denominator > 0 {
		v := res.Numerator / res.Denominator
		res.Value = &v
	}
	return res, nil
}
