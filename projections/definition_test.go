package projections_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the zone database in the test binary: no host database needed

	"github.com/butler-pm/butler/domain/localtime"
	"github.com/butler-pm/butler/projections"
)

// The days and months a read model derives depend on the projects' time
// zone: a deployment whose zone changes gets other definitions, so its
// read models are rebuilt; the default zone's definitions are the ones
// recorded before the zone was part of them. Not parallel: the zone is the
// process's.
func TestDefinitionsChangeWithTheTimeZone(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { localtime.SetZone(nil) })
	localtime.SetZone(nil)
	byDefault := projections.Definition(projections.Complaints)
	localtime.SetZone(shanghai) // as the server loads it from --timezone
	if got := projections.Definition(projections.Complaints); got != byDefault {
		t.Errorf("Asia/Shanghai loaded by name: %q, want the default's %q", got, byDefault)
	}
	localtime.SetZone(time.UTC)
	utc := projections.Definition(projections.Complaints)
	if utc == byDefault {
		t.Errorf("UTC and Asia/Shanghai give one definition %q: a zone change would not rebuild", utc)
	}
	localtime.SetZone(nil)
	if again := projections.Definition(projections.Complaints); again != byDefault {
		t.Errorf("back in the default zone: %q, want %q", again, byDefault)
	}
}
