package app

import (
	"context"
	"fmt"

	elasticstore "github.com/butler-pm/butler/infra/search/elastic"
	"github.com/butler-pm/butler/projections"
)

// openElasticsearch connects to Elasticsearch 8.
func openElasticsearch(ctx context.Context, cfg Config) (SearchStore, error) {
	s, err := elasticstore.Open(ctx, cfg.Elasticsearch, elasticstore.WithPrefix(cfg.IndexPrefix), elasticstore.WithReplicas(cfg.Replicas))
	if err != nil {
		return nil, fmt.Errorf("connecting to Elasticsearch: %w", err)
	}
	return s, nil
}

// openLeases returns the projection leases: lock documents in
// Elasticsearch when several servers share it, in-process leases for the
// embedded index (one process owns the data directory).
func openLeases(_ context.Context, _ Config, search SearchStore) (projections.Leases, error) {
	if l, ok := search.(projections.Leases); ok {
		return l, nil
	}
	return projections.NewLocalLeases(nil), nil
}
