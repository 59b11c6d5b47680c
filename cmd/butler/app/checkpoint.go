package app

import "github.com/butler-pm/butler/domain/event"

// MinCheckpoint is the lowest checkpoint over every read model: every event
// at or below it is in all read models (the benchmark's "searchable").
func (a *App) MinCheckpoint() event.Position {
	var lo event.Position
	for i, r := range a.runners {
		if cp := r.Status().Checkpoint; i == 0 || cp < lo {
			lo = cp
		}
	}
	return lo
}
