package eventbus_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventbus"
	"github.com/butler-pm/butler/infra/eventbus/eventbustest"
	"github.com/butler-pm/butler/infra/eventstore"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/eventstore/esdb"
	"github.com/butler-pm/butler/infra/eventstore/esdbserver"
)

func TestSubscriberOnTheEmbeddedStore(t *testing.T) {
	t.Parallel()
	eventbustest.Run(t, func(t *testing.T) eventstore.Store {
		s, err := embedded.Open(filepath.Join(t.TempDir(), "events"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestSubscriberOnEventStoreDB(t *testing.T) {
	t.Parallel()
	eventbustest.Run(t, func(t *testing.T) eventstore.Store {
		backend, err := embedded.Open(filepath.Join(t.TempDir(), "events"))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		srv, err := esdbserver.Start(ctx, backend, "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		s, err := esdb.Open(ctx, srv.ConnString())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_ = s.Close()
			srv.Stop()
			cancel()
			_ = backend.Close()
		})
		return s
	})
}

// hubbed is a store whose $all subscriptions go through a Hub, as the
// program runs them.
type hubbed struct {
	eventstore.Store
	hub *eventbus.Hub
}

func (h hubbed) SubscribeAll(ctx context.Context, after event.Position) (eventstore.Subscription, error) {
	return h.hub.SubscribeAll(ctx, after)
}

func TestSubscriberThroughTheHub(t *testing.T) {
	t.Parallel()
	eventbustest.Run(t, func(t *testing.T) eventstore.Store {
		s, err := embedded.Open(filepath.Join(t.TempDir(), "events"))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		// A tiny memory makes subscribers fall behind it and read from the store.
		hub, err := eventbus.NewHub(ctx, s, 8, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cancel()
			_ = s.Close()
		})
		return hubbed{Store: s, hub: hub}
	})
}
