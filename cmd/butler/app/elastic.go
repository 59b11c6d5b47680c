package app

import (
	"context"
	"errors"
	"github.com/butler-pm/butler/projections"
)

// openElasticsearch connects to Elasticsearch.
func openElasticsearch(ctx context.Context, cfg Config) (SearchStore, error) {
	return nil, errors.New("--elasticsearch: the Elasticsearch adapter is not built into this version yet")
}

// openLeases returns the projection leases: in-process for the embedded
// index (one process owns the data directory), lock documents in
// Elasticsearch when several servers share it.
func openLeases(ctx context.Context, cfg Config, search SearchStore) (projections.Leases, error) {
	if l, ok := search.(projections.Leases); ok {
		return l, nil
	}
	return projections.NewLocalLeases(nil), nil
}
