package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/domain/localtime"
	"github.com/butler-pm/butler/test/harness"
)

// A deployment that changes --timezone has its read models rebuilt in the
// new zone's days and months: a complaint registered at 01:30 on 1 March
// in Shanghai is March's there and February's in UTC. Not parallel: the
// zone is the process's (parallel tests start once this one has ended and
// set their own).
func TestChangingTheTimeZoneRebuildsTheReadModels(t *testing.T) {
	t.Cleanup(func() { localtime.SetZone(nil) })
	start := time.Date(2026, 3, 1, 1, 30, 0, 0, harness.Shanghai)
	b := harness.Start(t, harness.Options{Start: start})
	tok := b.Token("butler", "b-001", "p1", "d1")
	id := registerComplaint(t, b, tok, "凌晨楼上漏水")
	month := func(b *harness.Butler, want string) func() error {
		return func() error {
			r := b.Do("GET", "/api/v1/complaints/"+id, tok, nil)
			if r.Status != http.StatusOK {
				return fmt.Errorf("GET the complaint: %d %s", r.Status, r.Raw)
			}
			if got, _ := r.JSON["month"].(string); got != want {
				return fmt.Errorf("complaint's month %q, want %q: %s", got, want, r.Raw)
			}
			return nil
		}
	}
	b.Eventually(30*time.Second, month(b, "2026-03"))
	if err := b.App.Close(t.Context()); err != nil {
		t.Fatal(err)
	}

	utc := harness.Start(t, harness.Options{Dir: b.Dir, Start: start, Tune: func(c *app.Config) { c.TimeZone = "UTC" }})
	utc.Eventually(30*time.Second, month(utc, "2026-02"))
}
