package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

// R-A1…R-A4 over HTTP, with the clock moved through the approval window.
func TestActivityJourney(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{}) // 2026-03-02
	butler := b.Token("butler", "b-001", "p1", "d1")
	ops := b.Token("operations", "op-001", "p1", "")
	quality := b.Token("quality", "q-001", "p1", "")
	sup := b.Token("supervisor", "s-001", "p1", "")
	analyst := b.Token("analyst", "a-001", "p1", "")

	harness.Problem(t, b.Do("POST", "/api/v1/activity-plans/survey", sup, map[string]any{"year": 2027, "responses": 50, "findings": "x"}), 422, "survey_not_december")

	proposal := func(title, date string, large bool) string {
		return b.Must(http.StatusCreated, "POST", "/api/v1/activities", butler, map[string]any{"title": title, "date": date,
			"organisation": "客服部牵头，秩序部配合", "content": "亲子游戏、手工", "publicity": "公告栏、业主微信群", "budget_fen": 350000,
			"risks": "儿童走失、踩踏：划定区域，专人看护", "large": large}).JSON["id"].(string)
	}
	harness.Problem(t, b.Do("POST", "/api/v1/activities", butler, map[string]any{"title": "x", "date": "2026-03-25"}), 400, "invalid_input")
	late := proposal("植树节", "2026-03-25", false)
	big := proposal("邻里节", "2026-04-18", true)
	b.Must(http.StatusOK, "POST", "/api/v1/activities/"+late+"/approve", ops, nil)
	harness.Problem(t, b.Do("POST", "/api/v1/activities/"+late+"/approve", butler, nil), 403, "forbidden_role")
	b.Must(http.StatusOK, "POST", "/api/v1/activities/"+big+"/approve", ops, nil)
	b.Must(http.StatusOK, "POST", "/api/v1/activities/"+big+"/approve", quality, nil)

	b.Clock.Set(time.Date(2026, 3, 12, 9, 0, 0, 0, harness.Shanghai)) // 13 days before the 25th
	harness.Problem(t, b.Do("POST", "/api/v1/activities/"+late+"/approve", quality, nil), 422, "approval_too_late")
	harness.Problem(t, b.Do("POST", "/api/v1/activities/"+big+"/hold", butler, map[string]any{"participants": 200}), 422, "activity_not_yet")

	b.Clock.Set(time.Date(2026, 4, 18, 17, 0, 0, 0, harness.Shanghai))
	b.Must(http.StatusOK, "POST", "/api/v1/activities/"+big+"/hold", butler, map[string]any{"participants": 200})
	b.Must(http.StatusOK, "POST", "/api/v1/activities/"+big+"/survey", butler, map[string]any{"responses": 40, "satisfied": 37})
	harness.Problem(t, b.Do("POST", "/api/v1/activities/"+big+"/summarise", butler, map[string]any{"summary": "圆满"}), 422, "survey_coverage")
	b.Must(http.StatusOK, "POST", "/api/v1/activities/"+big+"/survey", butler, map[string]any{"responses": 10, "satisfied": 10})
	b.Must(http.StatusOK, "POST", "/api/v1/activities/"+big+"/summarise", butler, map[string]any{"summary": "参与 200 人，满意率 94%"})

	for _, c := range []struct {
		path  string
		value float64
		denom float64
	}{
		{"/api/v1/kpis/activity-approval-lead-time?month=2026-03", 0, 1},
		{"/api/v1/kpis/activity-approval-lead-time?month=2026-04", 1, 1},
		{"/api/v1/kpis/activity-survey-coverage?month=2026-04", 1, 1},
	} {
		b.WaitFor(c.path, analyst, func(m map[string]any) error {
			if m["value"] != c.value || m["denominator"] != c.denom {
				return fmt.Errorf("%s = %v", c.path, m)
			}
			return nil
		})
	}
	b.WaitFor("/api/v1/activities/"+big, butler, func(m map[string]any) error {
		if m["status"] != "summarised" || m["retain_until"] == nil {
			return fmt.Errorf("activity = %v", m)
		}
		return nil
	})

	// R-A1: the December survey, the plan, operations' approval.
	b.Clock.Set(time.Date(2026, 12, 8, 10, 0, 0, 0, harness.Shanghai))
	b.Must(http.StatusCreated, "POST", "/api/v1/activity-plans/survey", sup, map[string]any{"year": 2027, "responses": 132, "findings": "希望增加亲子和老年活动"})
	b.Must(http.StatusCreated, "POST", "/api/v1/activity-plans/draft", sup, map[string]any{"year": 2027, "activities": []string{"春节联欢", "端午包粽子", "中秋游园"}})
	harness.Problem(t, b.Do("POST", "/api/v1/activity-plans/approve", quality, map[string]any{"year": 2027}), 403, "forbidden_role")
	b.Must(http.StatusCreated, "POST", "/api/v1/activity-plans/approve", ops, map[string]any{"year": 2027})
	b.WaitFor("/api/v1/activity-plans?year=2027", ops, func(m map[string]any) error {
		items, _ := m["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["status"] != "approved" {
			return fmt.Errorf("plans = %v", m)
		}
		return nil
	})
}
