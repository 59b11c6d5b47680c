package e2e

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

// The two time-to-close KPIs are the mean hours from registration to
// closing over the month's closed records, and name them.
func TestTimeToCloseKPIs(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	engineer := b.Token("engineer", "e-001", "p1", "")
	analyst := b.Token("analyst", "an-001", "p1", "")

	// A complaint closed 30 hours after it was registered.
	c := "/api/v1/complaints/" + registerComplaint(t, b, butler, "楼上卫生间漏水")
	b.Must(200, "POST", c+"/dispatch", butler, map[string]any{"assignee": "e-001"})
	b.Clock.Advance(24 * time.Hour)
	b.Must(200, "POST", c+"/resolve", butler, map[string]any{"resolution": "修补防水层", "valid": true, "validity_reason": "渗水属实"})
	b.Must(200, "POST", c+"/return-visit", butler, map[string]any{"channel": "phone", "satisfaction": 5, "comment": "满意"})
	b.Clock.Advance(6 * time.Hour)
	b.Must(200, "POST", c+"/close", butler, map[string]any{})
	registerComplaint(t, b, butler, "另一处漏水，未关闭") // open: not counted

	// A work order closed 10 hours after it was registered.
	w := "/api/v1/work-orders/" + registerWorkOrder(t, b, butler, nil)
	b.Must(200, "POST", w+"/dispatch", butler, map[string]any{"assignee": "e-001"})
	b.Must(200, "POST", w+"/start", engineer, map[string]any{})
	b.Clock.Advance(4 * time.Hour)
	b.Must(200, "POST", w+"/complete", engineer, map[string]any{"result": "更换水龙头阀芯"})
	b.Must(200, "POST", w+"/confirm", engineer, map[string]any{"signed_by": "业主王先生"})
	b.Clock.Advance(6 * time.Hour)
	b.Must(200, "POST", w+"/return-visit", butler, map[string]any{"channel": "phone", "satisfaction": 4, "comment": "及时"})
	b.Must(200, "POST", w+"/close", butler, map[string]any{})

	for _, k := range []struct {
		name  string
		hours float64
	}{{"complaint-time-to-close", 30}, {"work-order-time-to-close", 10}} {
		b.WaitFor("/api/v1/kpis/"+k.name+"?month=2026-03", analyst, func(m map[string]any) error {
			v, _ := m["value"].(float64)
			ids, _ := m["records"].([]any)
			if math.Abs(v-k.hours) > 0.01 || len(ids) != 1 {
				return fmt.Errorf("%s = %v over %v, want %v hours over one record", k.name, m["value"], m["records"], k.hours)
			}
			return nil
		})
	}
}
