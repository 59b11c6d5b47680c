// Package audit makes Butler's history verifiable: a Merkle tree in the
// form of RFC 9162 (Certificate Transparency 2.0) over every event of the
// global log in commit order, signed checkpoints of its head recorded in
// the log itself, inclusion and consistency proofs, and the verification
// of a whole log or of an exported bundle. docs/audit.md defines the
// formats so that anyone can check them without Butler's code.
package audit

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit/merkle"
)

// canonicalVersion is the first byte of every canonical encoding.
const canonicalVersion = 1

// Canonical is the exact byte string a leaf of the tree hashes: the
// event's envelope and data as stored, in a fixed order, each variable
// field as a 4-byte big-endian length and its UTF-8 bytes:
//
//	0x01 ‖ id ‖ stream ‖ revision (8 bytes) ‖ type ‖ actor.staff_id ‖ actor.role ‖
//	project ‖ district ‖ occurred_at ‖ correlation_id ‖ causation_id ‖ data
//
// occurred_at is written as RFC 3339 in UTC with nanoseconds and no
// trailing zeros (Go's time.RFC3339Nano). The global position and the
// store's recorded time are not part of it: the first is a byte offset on
// EventStoreDB and the second is stamped by the store, so neither survives
// a move between stores; a leaf's place in the tree is its place in the
// log, and a signed checkpoint attests when it was there.
func Canonical(e event.Recorded) []byte {
	occurred := e.Meta.OccurredAt.UTC().Format(time.RFC3339Nano)
	fields := [...]string{e.ID, e.Stream, "", e.Type, e.Meta.Actor.StaffID, e.Meta.Actor.Role, e.Meta.Project,
		e.Meta.District, occurred, e.Meta.CorrelationID, e.Meta.CausationID, string(e.Data)}
	n := 1 + 8
	for _, f := range fields {
		n += 4 + len(f)
	}
	b := make([]byte, 0, n)
	b = append(b, canonicalVersion)
	for i, f := range fields {
		if i == 2 {
			b = binary.BigEndian.AppendUint64(b, e.Revision)
			continue
		}
		b = binary.BigEndian.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	return b
}

// LeafOf is the tree's leaf hash of an event.
func LeafOf(e event.Recorded) merkle.Hash { return merkle.LeafHash(Canonical(e)) }

var errCanonical = errors.New("audit: not a canonical event encoding")

// ParseCanonical reads a canonical encoding back into an event (without
// its position and recorded time, which it does not hold). It is what an
// exported bundle's reader uses to show what a leaf says.
func ParseCanonical(b []byte) (event.Recorded, error) {
	if len(b) == 0 || b[0] != canonicalVersion {
		return event.Recorded{}, fmt.Errorf("%w: unknown version", errCanonical)
	}
	b = b[1:]
	next := func() (string, error) {
		if len(b) < 4 {
			return "", errCanonical
		}
		n := binary.BigEndian.Uint32(b)
		if uint64(n) > uint64(len(b)-4) {
			return "", errCanonical
		}
		s := string(b[4 : 4+n])
		b = b[4+n:]
		return s, nil
	}
	var e event.Recorded
	var occurred, data string
	targets := []*string{&e.ID, &e.Stream, nil, &e.Type, &e.Meta.Actor.StaffID, &e.Meta.Actor.Role, &e.Meta.Project,
		&e.Meta.District, &occurred, &e.Meta.CorrelationID, &e.Meta.CausationID, &data}
	for _, t := range targets {
		if t == nil {
			if len(b) < 8 {
				return event.Recorded{}, errCanonical
			}
			e.Revision = binary.BigEndian.Uint64(b)
			b = b[8:]
			continue
		}
		s, err := next()
		if err != nil {
			return event.Recorded{}, err
		}
		*t = s
	}
	if len(b) != 0 {
		return event.Recorded{}, fmt.Errorf("%w: %d bytes after the data", errCanonical, len(b))
	}
	t, err := time.Parse(time.RFC3339Nano, occurred)
	if err != nil {
		return event.Recorded{}, fmt.Errorf("%w: occurred_at %q", errCanonical, occurred)
	}
	e.Meta.OccurredAt = t
	if data != "" {
		e.Data = []byte(data)
	}
	return e, nil
}
