package elasticstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/butler-pm/butler/projections"
)

var _ projections.Leases = (*Store)(nil)

// leaseIndex holds one lock document per projection. Elasticsearch's
// optimistic concurrency (if_seq_no / if_primary_term, and _create for
// the first holder) makes taking a lease a compare-and-swap: of several
// servers racing, exactly one wins.
func (s *Store) leaseIndex() string { return s.prefix + "leases" }

type leaseDoc struct {
	Holder string `json:"holder"`
	// ExpiresAt is in the holder's clock (Unix ms): servers sharing a
	// cluster are expected to keep their clocks within a second or so,
	// well inside the lease's length.
	ExpiresAt int64 `json:"expires_at"`
}

type leaseHit struct {
	Found       bool     `json:"found"`
	SeqNo       int64    `json:"_seq_no"`
	PrimaryTerm int64    `json:"_primary_term"`
	Source      leaseDoc `json:"_source"`
}

func (s *Store) ensureLeaseIndex(ctx context.Context) error {
	body, _ := json.Marshal(map[string]any{
		"settings": map[string]any{"number_of_shards": 1, "number_of_replicas": s.replicas},
		"mappings": map[string]any{"dynamic": false, "properties": map[string]any{
			"holder": map[string]any{"type": "keyword"}, "expires_at": map[string]any{"type": "long"}}},
	})
	_, _, err := s.do(ctx, http.MethodPut, "/"+s.leaseIndex(), body, "")
	if errors.Is(err, errExists) {
		// Another server (or acquirer) is creating it: its primary shard may
		// not be active yet, and a write would fail.
		return s.waitLeaseIndex(ctx)
	}
	return err
}

// waitLeaseIndex waits until the lease index's primary shard is active
// (yellow), up to a third of the shortest lease a server renews: a holder
// blocked here longer could not stop its projection before another server
// may take the lease over. Not active by then is an error; the caller
// tries again at its next renewal.
func (s *Store) waitLeaseIndex(ctx context.Context) error {
	_, _, err := s.do(ctx, http.MethodGet, "/_cluster/health/"+s.leaseIndex()+"?wait_for_status=yellow&timeout=2s", nil, "")
	return err
}

func (s *Store) getLease(ctx context.Context, name string) (leaseHit, error) {
	var h leaseHit
	path := "/" + s.leaseIndex() + "/_doc/" + url.PathEscape(name)
	status, raw, err := s.do(ctx, http.MethodGet, path, nil, "")
	if status == http.StatusServiceUnavailable {
		// The index was just created by another acquirer and its primary
		// shard is not active yet (no_shard_available_action_exception):
		// read again every 50 ms until it is, within the same 2 s bound as
		// waitLeaseIndex (the cluster's health can say active a moment
		// before a read finds the shard: CI saw reads fail right after it).
		deadline := time.Now().Add(2 * time.Second)
		for {
			status, raw, err = s.do(ctx, http.MethodGet, path, nil, "")
			if status != http.StatusServiceUnavailable || time.Now().After(deadline) {
				break
			}
			select {
			case <-ctx.Done():
				return h, ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	if errors.Is(err, projections.ErrNotFound) {
		// A missing document or a missing index: nobody holds it.
		return leaseHit{}, nil
	}
	if err != nil {
		return h, err
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return h, fmt.Errorf("elasticstore: lease %s: %w", name, err)
	}
	return h, nil
}

// Acquire takes or renews the lease on name for holder until ttl from now.
func (s *Store) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	cur, err := s.getLease(ctx, name)
	if err != nil {
		return false, err
	}
	now := time.Now()
	body, _ := json.Marshal(leaseDoc{Holder: holder, ExpiresAt: now.Add(ttl).UnixMilli()})
	path := "/" + s.leaseIndex() + "/_create/" + url.PathEscape(name) + "?refresh=false"
	if cur.Found {
		if cur.Source.Holder != holder && now.UnixMilli() < cur.Source.ExpiresAt {
			return false, nil
		}
		path = fmt.Sprintf("/%s/_doc/%s?if_seq_no=%d&if_primary_term=%d", s.leaseIndex(), url.PathEscape(name), cur.SeqNo, cur.PrimaryTerm)
	} else if err := s.ensureLeaseIndex(ctx); err != nil {
		return false, err
	}
	status, _, err := s.do(ctx, http.MethodPut, path, body, "")
	if status == http.StatusConflict {
		return false, nil // another server won the race
	}
	if err != nil {
		return false, err
	}
	return true, nil
}

// Release gives the lease up if holder has it.
func (s *Store) Release(ctx context.Context, name, holder string) error {
	cur, err := s.getLease(ctx, name)
	if err != nil || !cur.Found || cur.Source.Holder != holder {
		return err
	}
	path := fmt.Sprintf("/%s/_doc/%s?if_seq_no=%d&if_primary_term=%d", s.leaseIndex(), url.PathEscape(name), cur.SeqNo, cur.PrimaryTerm)
	status, _, err := s.do(ctx, http.MethodDelete, path, nil, "")
	if status == http.StatusConflict {
		return nil // renewed or taken over meanwhile: no longer ours to release
	}
	return err
}
