package debrief_test

import (
	"errors"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/fee/debrief"
)

// R-F6: the collection team's debrief, once a day, with attendees,
// obstacles discussed and decisions.
func TestDebrief(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) // 18:00 in China
	d, err := debrief.Open("p1", "2026-03-02")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Hold(nil, nil, "x", now); !errors.Is(err, debrief.ErrDebriefIncomplete) {
		t.Fatalf("no attendees: %v", err)
	}
	if err := d.Hold([]string{"b-1"}, []debrief.Obstacle{{Unit: "1-101"}}, "x", now); !errors.Is(err, debrief.ErrDebriefIncomplete) {
		t.Fatalf("obstacle not described: %v", err)
	}
	if err := d.Hold([]string{"b-1"}, nil, "x", now.AddDate(0, 0, 1)); !errors.Is(err, debrief.ErrDayInvalid) {
		t.Fatalf("another day: %v", err)
	}
	obs := []debrief.Obstacle{{Unit: "1-101", Description: "业主称漏水未修，拒缴"}}
	if err := d.Hold([]string{"b-1", "b-2"}, obs, "漏水走直通车，工程部三日内修复", now); err != nil {
		t.Fatal(err)
	}
	if err := d.Hold([]string{"b-1"}, nil, "again", now); !errors.Is(err, debrief.ErrAlreadyHeld) {
		t.Fatalf("twice: %v", err)
	}
	held := d.Changes()[0].(debrief.Held)
	if held.Day != "2026-03-02" || len(held.Obstacles) != 1 || len(held.Attendees) != 2 {
		t.Fatalf("held = %+v", held)
	}
}
