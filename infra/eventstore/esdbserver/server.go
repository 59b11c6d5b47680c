// Package esdbserver is an in-process gRPC server that speaks enough of the
// EventStoreDB protocol for the official v4 client, and so our esdb
// adapter, to run against any eventstore.Store: appends with expected
// revisions, reads of streams and $all in both directions, catch-up
// subscriptions to streams and $all with server-side filters, soft deletes
// and tombstones, the stream metadata that bounds reads ($maxAge,
// $maxCount, $tb), and the server-features call. Any content type, data and
// user metadata is stored and read back byte for byte (record.go). It
// exists to test the adapter where no EventStoreDB can be installed; it is
// not a second storage engine (it keeps everything in the backend store).
// test/esdb-conformance/run checks it with the official client's own tests.
//
// What it does not do: TLS, authentication and ACLs, gossip, batch appends,
// persistent subscriptions, projections, link events, scavenging (events
// hidden by metadata or a delete stay in $all).
package esdbserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/serverfeatures"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"

	"github.com/butler-pm/butler/infra/eventstore"
)

// Server serves the EventStoreDB Streams service on top of a backend store.
type Server struct {
	lis     *trackingListener
	grpc    *grpc.Server
	backend eventstore.Store
	served  chan error
	stop    sync.Once
}

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves until
// ctx ends or Stop is called. It does not close the backend.
func Start(ctx context.Context, backend eventstore.Store, addr string) (*Server, error) {
	if backend == nil {
		return nil, errors.New("esdbserver: nil backend")
	}
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("esdbserver: listen on %s: %w", addr, err)
	}
	s := &Server{
		lis: &trackingListener{Listener: l, conns: map[net.Conn]struct{}{}},
		// The client pings every 10 s (keepAliveInterval), idle or not;
		// gRPC's default policy would answer GOAWAY "too_many_pings".
		grpc: grpc.NewServer(grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{
			MinTime: 5 * time.Second, PermitWithoutStream: true,
		})),
		backend: backend,
		served:  make(chan error, 1),
	}
	api.RegisterStreamsServer(s.grpc, &streams{backend: backend})
	serverfeatures.RegisterServerFeaturesServer(s.grpc, features{})
	go func() { s.served <- s.grpc.Serve(s.lis) }()
	context.AfterFunc(ctx, s.Stop)
	return s, nil
}

// Addr is the host:port the server listens on.
func (s *Server) Addr() string { return s.lis.Addr().String() }

// ConnString is the connection string for the v4 client and the adapter.
func (s *Server) ConnString() string { return "esdb://" + s.Addr() + "?tls=false" }

// DropConnections closes every client connection, as a crashed network
// would: running reads and subscriptions fail on the client side. The
// server keeps listening, so clients can reconnect.
func (s *Server) DropConnections() { s.lis.dropAll() }

// Stop closes the listener and every connection and waits for handlers to end.
func (s *Server) Stop() {
	s.stop.Do(func() {
		// Stop (not GracefulStop): live subscriptions would never end.
		s.grpc.Stop()
		<-s.served
	})
}

// trackingListener remembers accepted connections so they can be dropped.
type trackingListener struct {
	net.Listener
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, l: l}
	l.mu.Lock()
	l.conns[tc] = struct{}{}
	l.mu.Unlock()
	return tc, nil
}

func (l *trackingListener) dropAll() {
	l.mu.Lock()
	conns := make([]net.Conn, 0, len(l.conns))
	for c := range l.conns {
		conns = append(conns, c)
	}
	l.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}

type trackedConn struct {
	net.Conn
	l    *trackingListener
	once sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}
