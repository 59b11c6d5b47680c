package elasticstore

import (
	"testing"

	"github.com/butler-pm/butler/projections"
	"github.com/butler-pm/butler/projections/leasetest"
)

func TestLeaseContract(t *testing.T) {
	t.Parallel()
	leasetest.Run(t, func(t *testing.T) projections.Leases { return openReal(t) })
}
