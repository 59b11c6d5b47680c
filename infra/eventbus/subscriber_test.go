package eventbus_test

import (
	"context"
	"path/filepath"
	"testing"

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
