package embedded

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Key layout (one pebble keyspace, first byte = table):
//
//	0x01 | be64(position)                      -> record (the $all log)
//	0x02 | uvarint(len) | stream | be64(rev)   -> be64(position) (stream index)
//	0x03 | "last"                               -> be64(last position)
//
// Big-endian numbers keep keys in numeric order; the length prefix keeps one
// stream's keys contiguous whatever bytes its name contains.
const (
	tableAll    = 0x01
	tableStream = 0x02
	tableMeta   = 0x03
)

var keyLast = []byte{tableMeta, 'l', 'a', 's', 't'}

func allKey(p event.Position) []byte {
	k := make([]byte, 9)
	k[0] = tableAll
	binary.BigEndian.PutUint64(k[1:], uint64(p))
	return k
}

func streamPrefix(stream string) []byte {
	k := make([]byte, 0, 1+binary.MaxVarintLen64+len(stream)+8)
	k = append(k, tableStream)
	k = binary.AppendUvarint(k, uint64(len(stream)))
	return append(k, stream...)
}

func streamKey(prefix []byte, rev uint64) []byte {
	k := make([]byte, len(prefix), len(prefix)+8)
	copy(k, prefix)
	return binary.BigEndian.AppendUint64(k, rev)
}

const recordVersion = 1

// encodeBody encodes the caller-supplied part of a record. It runs in the
// caller's goroutine so that the single writer only stitches bytes together.
func encodeBody(e event.Event) ([]byte, error) {
	occurred, err := e.Meta.OccurredAt.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("event %s: occurred time: %w", e.ID, err)
	}
	n := len(e.ID) + len(e.Type) + len(e.Data) + len(e.Meta.Actor.StaffID) + len(e.Meta.Actor.Role) +
		len(e.Meta.Project) + len(e.Meta.District) + len(e.Meta.CorrelationID) + len(e.Meta.CausationID) +
		len(occurred) + 10*binary.MaxVarintLen64
	b := make([]byte, 0, n)
	for _, s := range []string{e.ID, e.Type, string(e.Data), e.Meta.Actor.StaffID, e.Meta.Actor.Role,
		e.Meta.Project, e.Meta.District, e.Meta.CorrelationID, e.Meta.CausationID, string(occurred)} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b, nil
}

// appendRecord appends a full record value: version, stream, revision,
// recorded time, then the pre-encoded body.
func appendRecord(dst []byte, stream string, rev uint64, recorded int64, body []byte) []byte {
	dst = append(dst, recordVersion)
	dst = binary.AppendUvarint(dst, uint64(len(stream)))
	dst = append(dst, stream...)
	dst = binary.AppendUvarint(dst, rev)
	dst = binary.AppendVarint(dst, recorded)
	return append(dst, body...)
}

var errCorrupt = errors.New("corrupt record")

type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errCorrupt
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errCorrupt
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)) {
		r.err = errCorrupt
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) str() string { return string(r.bytes()) }

// decodeRecord decodes a stored value. It copies everything it keeps, since
// pebble's value buffers are reused.
func decodeRecord(pos event.Position, v []byte) (event.Recorded, error) {
	if len(v) == 0 || v[0] != recordVersion {
		return event.Recorded{}, fmt.Errorf("%w at position %d: unknown version", errCorrupt, pos)
	}
	r := reader{b: v[1:]}
	var rec event.Recorded
	rec.Position = pos
	rec.Stream = r.str()
	rec.Revision = r.uvarint()
	rec.RecordedAt = time.Unix(0, r.varint()).UTC()
	rec.ID = r.str()
	rec.Type = r.str()
	if data := r.bytes(); len(data) > 0 {
		rec.Data = append([]byte(nil), data...)
	}
	rec.Meta.Actor.StaffID = r.str()
	rec.Meta.Actor.Role = r.str()
	rec.Meta.Project = r.str()
	rec.Meta.District = r.str()
	rec.Meta.CorrelationID = r.str()
	rec.Meta.CausationID = r.str()
	occurred := r.bytes()
	if r.err != nil {
		return event.Recorded{}, fmt.Errorf("%w at position %d", r.err, pos)
	}
	if err := rec.Meta.OccurredAt.UnmarshalBinary(occurred); err != nil {
		return event.Recorded{}, fmt.Errorf("%w at position %d: occurred time: %w", errCorrupt, pos, err)
	}
	return rec, nil
}
