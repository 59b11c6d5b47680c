package app

import (
	"context"
	"fmt"

	"github.com/butler-pm/butler/infra/eventstore"
	"github.com/butler-pm/butler/infra/eventstore/esdb"
)

// openESDB connects to EventStoreDB (or KurrentDB).
func openESDB(ctx context.Context, cfg Config) (eventstore.Store, error) {
	s, err := esdb.Open(ctx, cfg.EventStore, esdb.WithLogger(cfg.Logger))
	if err != nil {
		return nil, fmt.Errorf("connecting to EventStoreDB: %w", err)
	}
	return s, nil
}
