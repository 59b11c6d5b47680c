package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit/merkle"
)

// BundleFormat names the format of an exported bundle.
const BundleFormat = "butler-audit-bundle.v1"

// Bundle is evidence to take away: the events of a period, each with its
// inclusion proof in one signed checkpoint, and the key that signed it.
// It is checked with no server and no data directory (VerifyBundle,
// `butler audit verify --bundle`).
type Bundle struct {
	Format     string        `json:"format"`
	Created    time.Time     `json:"created"`
	Project    string        `json:"project,omitempty"`
	From       time.Time     `json:"from"`
	To         time.Time     `json:"to"`
	PublicKey  PublicKey     `json:"public_key"`
	Checkpoint Checkpoint    `json:"checkpoint"`
	Events     []BundleEvent `json:"events"`
	// Pending counts the period's events recorded after the checkpoint:
	// a later export covers them.
	Pending int `json:"pending"`
	// LeftOut counts the period's events of records the exporter may not
	// read (integrity reports, over HTTP).
	LeftOut int `json:"left_out,omitempty"`
}

// BundleEvent is one event with its proof. Leaf (the canonical bytes) is
// what is proven; Event shows the same for people and is checked against it.
type BundleEvent struct {
	LeafIndex  uint64         `json:"leaf_index"`
	Position   event.Position `json:"position"`
	RecordedAt time.Time      `json:"recorded_at"`
	Leaf       []byte         `json:"leaf"`
	AuditPath  []string       `json:"audit_path"`
	Event      ShownEvent     `json:"event"`
}

// ShownEvent is an event as a bundle shows it.
type ShownEvent struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	Stream        string          `json:"stream"`
	Revision      uint64          `json:"revision"`
	Actor         event.Actor     `json:"actor"`
	Project       string          `json:"project"`
	District      string          `json:"district"`
	OccurredAt    time.Time       `json:"occurred_at"`
	CorrelationID string          `json:"correlation_id,omitempty"`
	CausationID   string          `json:"causation_id,omitempty"`
	Data          json.RawMessage `json:"data"`
}

// Show is how an event appears in a bundle.
func Show(e event.Recorded) ShownEvent {
	return ShownEvent{ID: e.ID, Type: e.Type, Stream: e.Stream, Revision: e.Revision, Actor: e.Meta.Actor, Project: e.Meta.Project,
		District: e.Meta.District, OccurredAt: e.Meta.OccurredAt, CorrelationID: e.Meta.CorrelationID,
		CausationID: e.Meta.CausationID, Data: e.Data}
}

// ExportFilter chooses a bundle's events: recorded in [From, To) (To
// excluded), of Project when it is set.
type ExportFilter struct {
	From, To time.Time
	Project  string
	// LeaveOut names stream prefixes whose events the bundle does not
	// carry (records the exporter may not read); they are counted in
	// Bundle.LeftOut.
	LeaveOut []string
}

func (f ExportFilter) match(e event.Recorded) bool {
	return !e.RecordedAt.Before(f.From) && e.RecordedAt.Before(f.To) && e.Meta.Project != "" &&
		(f.Project == "" || e.Meta.Project == f.Project)
}

func (f ExportFilter) leftOut(e event.Recorded) bool {
	for _, p := range f.LeaveOut {
		if strings.HasPrefix(e.Stream, p) {
			return true
		}
	}
	return false
}

// ErrBusy is returned when another export is running.
var ErrBusy = errors.New("audit: another export is running; try again when it ends")

// Export writes the bundle of the events f chooses against the latest
// checkpoint, reading them from the event store and proving them with the
// log's tree. It reads the log from its start: about as long as a
// verification.
func (l *Log) Export(ctx context.Context, f ExportFilter, w io.Writer) error {
	if !l.exporting.TryLock() {
		return ErrBusy
	}
	defer l.exporting.Unlock()
	c, ok := l.Latest()
	if !ok {
		return ErrNotCheckpointed
	}
	pub, _ := l.PublicKey()
	b := Bundle{Format: BundleFormat, Created: l.opt.Clock().UTC(), Project: f.Project, From: f.From, To: f.To, PublicKey: pub,
		Checkpoint: c, Events: []BundleEvent{}}
	err := event.ScanAll(ctx, l.store, 0, verifyPage, func(page []event.Recorded) error {
		for _, e := range page {
			if !f.match(e) {
				continue
			}
			if f.leftOut(e) {
				b.LeftOut++
				continue
			}
			in, err := l.Prove(e, c.TreeSize)
			if errors.Is(err, ErrNotCheckpointed) || errors.Is(err, ErrNotInTree) {
				b.Pending++
				continue
			}
			if err != nil {
				return err
			}
			b.Events = append(b.Events, BundleEvent{LeafIndex: in.LeafIndex, Position: e.Position, RecordedAt: e.RecordedAt,
				Leaf: in.Leaf, AuditPath: in.AuditPath, Event: Show(e)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(b)
}

// BundleReport is the outcome of VerifyBundle.
type BundleReport struct {
	Events   int
	Problems []string
}

// VerifyBundle checks a bundle offline: the checkpoint's signature (with
// pinned, when given, else the bundle's own key, whose id must match),
// each event's canonical bytes against what it shows, and each inclusion
// proof against the checkpoint's tree head.
func VerifyBundle(b Bundle, pinned Keys) BundleReport {
	var rep BundleReport
	fail := func(format string, args ...any) { rep.Problems = append(rep.Problems, fmt.Sprintf(format, args...)) }
	if b.Format != BundleFormat {
		fail("format %q is not %s", b.Format, BundleFormat)
		return rep
	}
	keys := pinned
	if len(keys) == 0 {
		k, err := b.PublicKey.Key()
		if err != nil {
			fail("%v", err)
			return rep
		}
		keys = NewKeys(k)
	}
	if err := keys.Verify(b.Checkpoint); err != nil {
		fail("checkpoint of %d events: %v", b.Checkpoint.TreeSize, err)
		return rep
	}
	root, _ := b.Checkpoint.Root()
	for _, be := range b.Events {
		rep.Events++
		e, err := ParseCanonical(be.Leaf)
		if err != nil {
			fail("leaf %d: %v", be.LeafIndex, err)
			continue
		}
		shown := be.Event
		if e.ID != shown.ID || e.Stream != shown.Stream || e.Revision != shown.Revision || e.Type != shown.Type ||
			e.Meta.Actor != shown.Actor || e.Meta.Project != shown.Project || e.Meta.District != shown.District ||
			!e.Meta.OccurredAt.Equal(shown.OccurredAt) || !sameJSON(e.Data, shown.Data) {
			fail("leaf %d: the event shown (%s) is not the event proven (%s)", be.LeafIndex, shown.ID, e.ID)
			continue
		}
		path := make([]merkle.Hash, len(be.AuditPath))
		for i, s := range be.AuditPath {
			if path[i], err = decodeHash(s); err != nil {
				break
			}
		}
		if err == nil {
			err = merkle.VerifyInclusion(merkle.LeafHash(be.Leaf), be.LeafIndex, b.Checkpoint.TreeSize, path, root)
		}
		if err != nil {
			fail("event %s (leaf %d): %v", e.ID, be.LeafIndex, err)
		}
	}
	return rep
}

// sameJSON compares two JSON values by meaning (a bundle's shown data is
// re-encoded; the proven bytes are in the leaf).
func sameJSON(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}
