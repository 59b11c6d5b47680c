package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

// R-V1…R-V4 over HTTP, with a simulated month: at month end the policy
// records exactly the missing services of each vacant unit, once.
func TestVacantUnitMonth(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{}) // 2026-03-02 09:00 Shanghai
	butler := b.Token("butler", "b-001", "p1", "d1")
	cleaner := b.Token("cleaner", "c-001", "p1", "d1")
	analyst := b.Token("analyst", "a-001", "p1", "")

	unit := func(name string) string {
		return b.Must(http.StatusCreated, "POST", "/api/v1/vacant-units", butler, map[string]any{"unit": name}).JSON["id"].(string)
	}
	full, partial, none, sold := unit("1-101"), unit("1-102"), unit("1-103"), unit("1-104")
	for _, s := range []string{"inspection", "ventilation"} {
		b.Must(http.StatusOK, "POST", "/api/v1/vacant-units/"+full+"/services", butler, map[string]any{"service": s})
	}
	b.Must(http.StatusOK, "POST", "/api/v1/vacant-units/"+full+"/services", cleaner, map[string]any{"service": "cleaning"})
	b.Must(http.StatusOK, "POST", "/api/v1/vacant-units/"+partial+"/services", butler, map[string]any{"service": "inspection", "notes": "正常"})
	harness.Problem(t, b.Do("POST", "/api/v1/vacant-units/"+partial+"/services", butler, map[string]any{"service": "painting"}), 422, "unknown_service")
	b.Must(http.StatusOK, "POST", "/api/v1/vacant-units/"+partial+"/weather-services", butler, map[string]any{"weather": "strong_wind", "notes": "关闭门窗"})

	// R-V3: a finding is followed with the contractor to the end.
	b.Must(http.StatusOK, "POST", "/api/v1/vacant-units/"+sold+"/findings", butler, map[string]any{"description": "客厅墙面渗水"})
	harness.Problem(t, b.Do("POST", "/api/v1/vacant-units/"+sold+"/findings/close", butler, map[string]any{"finding": 0, "result": "已修"}), 422, "contractor_not_contacted")
	harness.Problem(t, b.Do("POST", "/api/v1/vacant-units/"+sold+"/occupy", butler, nil), 422, "findings_open")
	b.Must(http.StatusOK, "POST", "/api/v1/vacant-units/"+sold+"/findings/contact", butler, map[string]any{"finding": 0, "contractor": "开发商工程部"})
	b.Must(http.StatusOK, "POST", "/api/v1/vacant-units/"+sold+"/findings/close", butler, map[string]any{"finding": 0, "result": "已重做防水"})
	b.Must(http.StatusOK, "POST", "/api/v1/vacant-units/"+sold+"/occupy", butler, nil)

	// R-V4: a patrol finding opens a public-area work order.
	pa := b.Must(http.StatusCreated, "POST", "/api/v1/patrols", butler, map[string]any{"areas": []string{"地库", "2号楼大堂"}, "findings": []string{"地库B区照明灯不亮"}}).JSON["id"].(string)
	wo := b.Must(http.StatusCreated, "POST", "/api/v1/patrols/"+pa+"/work-orders", butler, map[string]any{"finding": 0, "warranty": "out", "place": "地库B区"}).JSON["id"].(string)
	b.WaitFor("/api/v1/work-orders/"+wo, butler, func(m map[string]any) error {
		if m["area"] != "public" || m["description"] != "地库B区照明灯不亮" {
			return fmt.Errorf("work order = %v", m)
		}
		return nil
	})
	harness.Problem(t, b.Do("POST", "/api/v1/patrols/"+pa+"/work-orders", butler, map[string]any{"finding": 0, "warranty": "out"}), 422, "finding_already_reported")

	// Nothing is missed before the month ends.
	b.WaitFor("/api/v1/vacant-units/"+none, butler, func(m map[string]any) error { return nil })
	time.Sleep(150 * time.Millisecond) // a few policy ticks
	if missed := b.Must(http.StatusOK, "GET", "/api/v1/vacant-units?missed_months=2026-03", butler, nil).JSON["total"]; missed != float64(0) {
		t.Fatalf("misses recorded before month end: %v", missed)
	}

	b.Clock.Set(time.Date(2026, 4, 1, 0, 10, 0, 0, harness.Shanghai))
	b.WaitFor("/api/v1/kpis/vacant-unit-compliance?month=2026-03", analyst, func(m map[string]any) error {
		if m["denominator"] != float64(3) || m["numerator"] != float64(1) {
			return fmt.Errorf("kpi = %v", m)
		}
		return nil
	})
	time.Sleep(150 * time.Millisecond) // further ticks must record nothing more
	want := map[string][]string{partial: {"ventilation", "cleaning"}, none: {"inspection", "ventilation", "cleaning"}, full: nil, sold: nil}
	for id, missing := range want {
		h := b.Must(http.StatusOK, "GET", "/api/v1/vacant-units/"+id+"/history", analyst, nil)
		var got [][]string
		for _, e := range h.JSON["events"].([]any) {
			ev := e.(map[string]any)
			if ev["type"] == "vacant.month_missed.v1" {
				raw, _ := json.Marshal(ev["data"])
				var d struct {
					Month   string   `json:"month"`
					Missing []string `json:"missing"`
				}
				_ = json.Unmarshal(raw, &d)
				if d.Month != "2026-03" {
					t.Fatalf("missed month %q", d.Month)
				}
				got = append(got, d.Missing)
			}
		}
		if missing == nil && got != nil || missing != nil && (len(got) != 1 || !reflect.DeepEqual(got[0], missing)) {
			t.Fatalf("unit %s: misses %v, want once %v", id, got, missing)
		}
	}
	b.WaitFor("/api/v1/kpis/patrol-days?month=2026-03", analyst, func(m map[string]any) error {
		if m["value"] != float64(1) {
			return fmt.Errorf("patrol-days = %v", m)
		}
		return nil
	})
}

// R-V2 over HTTP: special weather makes every vacant unit's extra service
// due; one done in time counts, one not done is recorded missed.
func TestSpecialWeatherVacantService(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{}) // 2026-03-02 09:00 Shanghai
	butler := b.Token("butler", "b-001", "p1", "d1")
	supervisor := b.Token("supervisor", "s-001", "p1", "")
	unit := func(name string) string {
		return b.Must(http.StatusCreated, "POST", "/api/v1/vacant-units", butler, map[string]any{"unit": name}).JSON["id"].(string)
	}
	served, neglected := unit("1-101"), unit("1-102")
	harness.Problem(t, b.Do("POST", "/api/v1/special-weather", butler, map[string]any{"date": "2026-03-02", "kind": "drizzle"}), 422, "unknown_weather")
	b.Must(http.StatusCreated, "POST", "/api/v1/special-weather", butler, map[string]any{"date": "2026-03-02", "kind": "typhoon"})
	for _, id := range []string{served, neglected} {
		b.WaitFor("/api/v1/vacant-units/"+id, butler, func(m map[string]any) error {
			if m["weather_open"] != true {
				return fmt.Errorf("weather_open = %v", m["weather_open"])
			}
			return nil
		})
	}
	b.Must(http.StatusOK, "POST", "/api/v1/vacant-units/"+served+"/weather-services", butler, map[string]any{"weather": "typhoon", "notes": "门窗加固"})
	b.Clock.Advance(2 * 24 * time.Hour) // 4 March 09:00: past the end of 3 March
	b.WaitFor("/api/v1/kpis/special-weather-vacant-service?month=2026-03", supervisor, func(m map[string]any) error {
		if m["value"] != 0.5 || m["denominator"] != 2.0 {
			return fmt.Errorf("kpi = %v (%v/%v)", m["value"], m["numerator"], m["denominator"])
		}
		return nil
	})
}
