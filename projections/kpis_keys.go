package projections

// The key KPIs (R-K2, R-K3, R-K4). A key-register day exists once the
// custodian reconciled it or the policy recorded it missed, so the
// compliance rate counts both.
func keyKPIs() []KPI {
	return []KPI{
		{
			Name:        "key-reconciliation-compliance",
			Description: "days on which the custodian reconciled the keys against the ledger, of days reconciled or missed (R-K3)",
			Target:      "100%",
			Index:       KeyDaysIndex, Kind: Rate, MonthField: "month", ButlerField: "custodian",
			Where:   map[string][]string{"settled": {"true"}},
			Measure: Field("reconciled"),
		},
		{
			Name:        "key-reconciliation-discrepancies",
			Description: "days whose key count differed from the ledger (R-K3)",
			Target:      "0",
			Index:       KeyDaysIndex, Kind: Count, MonthField: "month", ButlerField: "custodian",
			Measure: Field("discrepancy"),
		},
		{
			Name:        "keys-on-loan-past-due",
			Description: "keys out on loan past their due time (R-K2)",
			Target:      "0",
			Index:       KeysIndex, Kind: Count, ButlerField: "custodian",
			Where:   map[string][]string{"on_loan": {"true"}},
			Measure: Field("loan_overdue"),
		},
		{
			Name:        "keys-lost",
			Description: "keys whose loss the project manager approved, by month of approval (R-K4)",
			Target:      "0",
			Index:       KeysIndex, Kind: Count, MonthField: "lost_month", ButlerField: "custodian",
			Measure: Field("lost"),
		},
	}
}
