package projections_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/projections"
)

// emitAs is emit for tests that name the actor's parts one by one.
func (r *rig) emitAs(stream, staff, role, district string, at time.Time, p event.Payload) {
	r.t.Helper()
	r.emit(stream, actor{id: staff, role: role, district: district}, at, p)
}

// wantKPI checks a KPI's value, numerator, denominator and records.
func wantKPI(t *testing.T, res projections.KPIResult, value, num, den float64, records ...string) {
	t.Helper()
	if res.Value == nil || *res.Value != value || res.Numerator != num || res.Denominator != den {
		v := -1.0
		if res.Value != nil {
			v = *res.Value
		}
		t.Fatalf("%s = %v (%v/%v), want %v (%v/%v)", res.Name, v, res.Numerator, res.Denominator, value, num, den)
	}
	if records != nil && fmt.Sprint(res.Records) != fmt.Sprint(records) {
		t.Fatalf("%s records = %v, want %v", res.Name, res.Records, records)
	}
}
