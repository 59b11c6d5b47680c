package esdbserver

import (
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/butler-pm/butler/domain/event"
)

// EventStoreDB's positions are byte offsets into its transaction log: they
// grow with the size of each record, and a number between two events'
// positions names no event (the server refuses to read from it). The
// backend numbers its events 1, 2, 3…, so on the wire each backend position
// is spread out by recordSpan: a client that does arithmetic on positions
// (p+1) gets the refusal it would get from EventStoreDB, and our tests see
// it.
const recordSpan = 128

// wire is the commit (and prepare) position the client sees for a backend
// position.
func wire(p event.Position) uint64 { return uint64(p) * recordSpan }

// fromWire is the backend position of a position the client sent. Only
// positions this server handed out (and 0) are accepted; the backend's
// positions are dense (the embedded store), so p-1 names the event before.
func fromWire(commit, prepare uint64) (event.Position, error) {
	if commit != prepare || commit%recordSpan != 0 {
		return 0, status.Error(codes.InvalidArgument, fmt.Sprintf("invalid position C:%d/P:%d: no event starts there", commit, prepare))
	}
	return event.Position(commit / recordSpan), nil
}
