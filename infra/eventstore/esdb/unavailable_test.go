package esdb_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/eventstore/esdb"
	"github.com/butler-pm/butler/infra/eventstore/esdbserver"
)

// TestUnreachableServerIsUnavailable: with the server gone, an append
// fails with event.ErrUnavailable (outcome unknown), not a conflict or an
// anonymous error, so the API can answer 503 and say what to do.
func TestUnreachableServerIsUnavailable(t *testing.T) {
	t.Parallel()
	backend, err := embedded.Open(filepath.Join(t.TempDir(), "events"))
	if err != nil {
		t.Fatal(err)
	}
	defer backend.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := esdbserver.Start(ctx, backend, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s, err := esdb.Open(ctx, srv.ConnString(), esdb.WithReconnectBackoff(10*time.Millisecond, 50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv.Stop()
	e := event.Event{ID: uuid.NewString(), Type: "test.happened.v1", Data: json.RawMessage(`{}`), Meta: event.Metadata{OccurredAt: time.Now()}}
	actx, acancel := context.WithTimeout(ctx, 30*time.Second)
	defer acancel()
	_, err = s.Append(actx, "unavailable-1", event.Any(), e)
	if !errors.Is(err, event.ErrUnavailable) {
		t.Fatalf("append to a stopped server: %v, want event.ErrUnavailable", err)
	}
}
