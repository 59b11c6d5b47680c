package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
)

// The fee KPIs (R-F1…R-F5). Collection against plan is money, not a count
// of records, so it is a Custom KPI: numerator = fen collected, denominator
// = fen planned, records = the plans and bills behind both.
func feeKPIs() []KPI {
	arrears := func(name, bucket, what string) KPI {
		return KPI{
			Name: name, Description: "unpaid bills " + what + " past due (R-F3), by bill period",
			Index: FeeBillsIndex, Kind: Count, MonthField: "period",
			Where:   map[string][]string{"in_arrears": {"true"}},
			Measure: fieldEquals("arrears_bucket", bucket),
		}
	}
	return []KPI{
		{
			Name:        "fee-collection-rate",
			Description: "money collected on each butler's bills in the month (by payment date) against the month's plan, in fen (R-F1, R-F5)",
			Target:      "100%",
			Index:       FeeCollectionIndex,
			Custom:      collectionRate,
		},
		{
			Name:        "fee-arrears-ageing",
			Description: "unpaid bills past due (R-F3); the buckets are fee-arrears-0-30, -31-90, -91-180 and -over-180",
			Index:       FeeBillsIndex, Kind: Count, MonthField: "period",
			Where:   map[string][]string{"status": {"unpaid", "part_paid"}},
			Measure: Field("in_arrears"),
		},
		arrears("fee-arrears-0-30", "0-30", "0 to 30 days"),
		arrears("fee-arrears-31-90", "31-90", "31 to 90 days"),
		arrears("fee-arrears-91-180", "91-180", "91 to 180 days"),
		arrears("fee-arrears-over-180", "over-180", "more than 180 days"),
		{
			Name:        "ledger-mismatches-open",
			Description: "weekly reconciliations whose customer-service and cashier ledgers differ and are not yet explained (R-F4)",
			Target:      "0",
			Index:       FeeReconciliationsIndex, Kind: Count, MonthField: "month", ButlerField: "reconciled_by",
			Where:   map[string][]string{"mismatch": {"true"}},
			Measure: Field("open"),
		},
		{
			Name:        "fee-collection-debriefs",
			Description: "days in the month with the collection team's debrief (R-F6: daily); records are the debrief days",
			Target:      "every working day",
			Index:       FeeDebriefsIndex, Kind: Count, MonthField: "month", ButlerField: "attendees",
			Measure: func(json.RawMessage) (float64, bool, error) { return 0, true, nil },
		},
		{
			Name:        "fee-fast-route-resolved-on-time",
			Description: "collection obstacles put on the fast route (直通车) in the month and resolved within 3 days, of those raised (R-F6); butler= is who raised it",
			Target:      "100%",
			Index:       FeeFastRoutesIndex, Kind: Rate, MonthField: "month", ButlerField: "raised_by",
			Measure: Field("resolved_on_time"),
		},
		{
			Name:        "fee-influential-arrears-guided",
			Description: "bills of influential owners in arrears with at least one guidance (疏导) recorded, of those flagged (R-F6), by bill period",
			Target:      "100%",
			Index:       FeeBillsIndex, Kind: Rate, MonthField: "period",
			Where:   map[string][]string{"influential": {"true"}},
			Measure: Field("guided"),
		},
		{
			Name:        "fee-ledger-weeks-unreconciled",
			Description: "weeks that ended without a reconciliation of the customer-service and cashier ledgers (R-F4: weekly), by the month of the week's Monday; records are the cashier-ledger weeks",
			Target:      "0",
			Index:       FeeCashierWeeksIndex, Kind: Count, MonthField: "month",
			Measure: Field("unreconciled"),
		},
	}
}

// fieldEquals is a Count measure: the keyword field has the value.
func fieldEquals(name, value string) func(json.RawMessage) (float64, bool, error) {
	return func(src json.RawMessage) (float64, bool, error) {
		var m map[string]any
		if err := json.Unmarshal(src, &m); err != nil {
			return 0, false, err
		}
		v, _ := m[name].(string)
		return 0, v == value, nil
	}
}

func collectionRate(ctx context.Context, reads KPIReads, f KPIFilter) (KPIResult, error) {
	const name = "fee-collection-rate"
	res := KPIResult{Name: name, Description: "fen collected / fen planned, per butler and month (R-F1, R-F5)", Target: "100%",
		Filter: f, Records: []string{}, NumeratorRecords: []string{}}
	q := Query{Terms: map[string][]string{"project": {f.Project}, "kind": {"butler-month"}}, Size: 1000, Sort: []Sort{{Field: "id"}}}
	if f.District != "" {
		q.Terms["district"] = []string{f.District}
	}
	if f.Butler != "" {
		q.Terms["butler"] = []string{f.Butler}
	}
	if f.Month != "" {
		q.Terms["month"] = []string{f.Month}
	}
	records, collected := map[string]bool{}, map[string]bool{}
	for {
		page, err := reads.Search(ctx, FeeCollectionIndex, q)
		if err != nil {
			return res, fmt.Errorf("kpi %s: %w", name, err)
		}
		for _, h := range page.Hits {
			var d FeeCollection
			if err := json.Unmarshal(h.Source, &d); err != nil {
				return res, fmt.Errorf("kpi %s: record %s: %w", name, h.ID, err)
			}
			res.Numerator += float64(d.CollectedFen)
			res.Denominator += float64(d.TargetFen)
			if d.PlanID != "" {
				records[d.PlanID] = true
			}
			for _, b := range d.Bills {
				records[b], collected[b] = true, true
			}
		}
		if len(page.Hits) < q.Size {
			break
		}
		q.After = page.Cursor
	}
	for id := range records {
		res.Records = append(res.Records, id)
	}
	for id := range collected {
		res.NumeratorRecords = append(res.NumeratorRecords, id)
	}
	slices.Sort(res.Records)
	slices.Sort(res.NumeratorRecords)
	if res.Denominator > 0 {
		v := res.Numerator / res.Denominator
		res.Value = &v
	}
	return res, nil
}
