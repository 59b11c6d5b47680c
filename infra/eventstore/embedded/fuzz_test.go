package embedded

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzDecodeRecord: any stored bytes decode to a record or to a corrupt
// record error; never a panic. A record that decodes encodes back to the
// same bytes (nothing is lost or invented on the way). Seeds:
// testdata/fuzz/FuzzDecodeRecord/.
func FuzzDecodeRecord(f *testing.F) {
	f.Fuzz(func(t *testing.T, v []byte) {
		rec, err := decodeRecord(7, v)
		if err != nil {
			if !errors.Is(err, errCorrupt) {
				t.Fatalf("decode error is not a corrupt record: %v", err)
			}
			return
		}
		body, err := encodeBody(rec.Event)
		if err != nil {
			t.Fatalf("a decoded record does not encode: %v", err)
		}
		again := appendRecord(nil, rec.Stream, rec.Revision, rec.RecordedAt.UnixNano(), body)
		back, err := decodeRecord(7, again)
		if err != nil || back.Stream != rec.Stream || back.ID != rec.ID || back.Type != rec.Type || !bytes.Equal(back.Data, rec.Data) ||
			back.Revision != rec.Revision || !back.RecordedAt.Equal(rec.RecordedAt) || !back.Meta.OccurredAt.Equal(rec.Meta.OccurredAt) {
			t.Fatalf("round trip changed the record: %+v, %v", back, err)
		}
		back.Meta.OccurredAt = rec.Meta.OccurredAt // compared above; a zone is a pointer
		if back.Meta != rec.Meta {
			t.Fatalf("round trip changed the record: %+v, %v", back, err)
		}
	})
}
