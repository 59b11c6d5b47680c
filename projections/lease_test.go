package projections_test

import (
	"testing"

	"github.com/butler-pm/butler/projections"
	"github.com/butler-pm/butler/projections/leasetest"
)

func TestLocalLeases(t *testing.T) {
	t.Parallel()
	shared := projections.NewLocalLeases(nil)
	leasetest.Run(t, func(*testing.T) projections.Leases { return shared })
}
