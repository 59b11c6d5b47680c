package app

import (
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/projections"
)

func TestTimeZoneDefaultsToShanghaiAndRefusesUnknownNames(t *testing.T) {
	t.Parallel()
	var c Config
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.zone == nil || c.zone.String() != "Asia/Shanghai" {
		t.Fatalf("default zone = %v, want Asia/Shanghai", c.zone)
	}
	bad := Config{TimeZone: "Asia/Beijing"}
	err := bad.Validate()
	if err == nil || !strings.Contains(err.Error(), `--timezone "Asia/Beijing"`) {
		t.Fatalf("an unknown zone gave %v, want an error naming --timezone", err)
	}
	utc := Config{TimeZone: "UTC"}
	if err := utc.Validate(); err != nil || utc.zone.String() != "UTC" {
		t.Fatalf("UTC: %v, %v", utc.zone, err)
	}
}

// A KPI as of a moment folds its read model again: each KPI must name a
// read model the program runs.
func TestEveryKPIReadsARunningReadModel(t *testing.T) {
	t.Parallel()
	running := map[string]bool{}
	for _, p := range Projections(nil) {
		running[p.Name()] = true
	}
	for _, k := range projections.KPIs() {
		if !running[k.Index] {
			t.Errorf("KPI %s reads %q, which is no read model of Projections(nil)", k.Name, k.Index)
		}
	}
}

func TestTheWallClockReadsTheProjectsZone(t *testing.T) {
	var c Config
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	now := c.Clock.Now()
	if _, off := now.Zone(); off != 8*3600 || now.Location().String() != "Asia/Shanghai" {
		t.Fatalf("the default clock reads %s (%s), want Shanghai time", now, now.Location())
	}
	// 01:30 on 1 November in Shanghai is November's, not October's (UTC).
	at := time.Date(2026, 10, 31, 17, 30, 0, 0, time.UTC).In(now.Location())
	if at.Format("2006-01") != "2026-11" {
		t.Fatalf("month %s", at.Format("2006-01"))
	}
}
