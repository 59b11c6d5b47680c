package localtime_test

import (
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/localtime"
)

// 01:30 on 1 November in China, stamped in UTC, is November's.
func TestMonthAndDayAreLocal(t *testing.T) {
	at := time.Date(2026, 10, 31, 17, 30, 0, 0, time.UTC)
	if got := localtime.Month(at); got != "2026-11" {
		t.Fatalf("Month = %s, want 2026-11", got)
	}
	if got := localtime.Day(at); got != "2026-11-01" {
		t.Fatalf("Day = %s, want 2026-11-01", got)
	}
	if got := localtime.Month(at.In(time.FixedZone("X", -5*3600))); got != "2026-11" {
		t.Fatalf("Month of the same instant in another zone = %s", got)
	}
}
