package app

import (
	"context"
	"errors"
)

// openElasticsearch connects to Elasticsearch.
func openElasticsearch(ctx context.Context, cfg Config) (SearchStore, error) {
	return nil, errors.New("--elasticsearch: the Elasticsearch adapter is not built into this version yet")
}
