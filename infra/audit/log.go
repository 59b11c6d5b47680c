package audit

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit/merkle"
	"github.com/butler-pm/butler/infra/eventstore"
)

// Store is what the log needs from the event store: $all to follow, and
// appends for the checkpoints it signs.
type Store interface {
	ReadAll(ctx context.Context, from event.Position, dir event.Direction, max int) ([]event.Recorded, error)
	SubscribeAll(ctx context.Context, after event.Position) (eventstore.Subscription, error)
	ReadStream(ctx context.Context, stream string, from uint64, dir event.Direction, max int) ([]event.Recorded, error)
	Append(ctx context.Context, stream string, expected event.ExpectedRevision, events ...event.Event) (event.AppendResult, error)
}

// Options configure a Log.
type Options struct {
	// Dir keeps the derived tree (leaf hashes and positions) between runs;
	// "" keeps it in memory only, rebuilt from $all at each start.
	Dir string
	// Signer signs checkpoints; nil: this log only follows and proves.
	Signer *Signer
	// Keys are the keys checkpoints found in the log are checked with
	// (the signer's is added).
	Keys Keys
	// Interval: a log that grew is signed at least this often (default 1 min).
	Interval time.Duration
	// Every: a checkpoint is signed as soon as this many events were
	// recorded since the last one (default 10,000).
	Every  uint64
	Clock  func() time.Time
	Logger *slog.Logger
}

// Log follows the global log, keeps its Merkle tree, records signed
// checkpoints of it and answers proofs. Its tree is derived data: lost or
// damaged, it is rebuilt from $all; the checkpoints live in the event
// store itself (stream audit-checkpoints).
type Log struct {
	store Store
	opt   Options

	mu        sync.RWMutex
	tree      merkle.Tree
	positions []event.Position
	// checkpoints are the verified checkpoints seen in the log, by tree size.
	checkpoints []Checkpoint
	// cpRevision is the checkpoint stream's last revision (cpExists false: none yet).
	cpRevision uint64
	cpExists   bool
	// grownTo is the tree size after the last event that is not a checkpoint.
	grownTo uint64
	// signedTo is the size of the last checkpoint this log recorded (it
	// joins checkpoints once the tree reaches it).
	signedTo uint64
	// signing serialises SignNow.
	signing sync.Mutex

	exporting sync.Mutex

	file    *os.File
	w       *bufio.Writer
	sign    chan struct{}
	changed chan struct{} // closed and replaced when the tree grows
}

// leafRecordSize is one record of the leaves file: position (8 bytes) and
// leaf hash (32 bytes).
const leafRecordSize = 8 + 32

// Open loads the derived tree kept in opt.Dir, checking its last leaf
// against the store; a tree that does not match is dropped and rebuilt.
func Open(ctx context.Context, store Store, opt Options) (*Log, error) {
	if opt.Interval <= 0 {
		opt.Interval = time.Minute
	}
	if opt.Every == 0 {
		opt.Every = 10_000
	}
	if opt.Clock == nil {
		opt.Clock = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Keys == nil {
		opt.Keys = Keys{}
	}
	if opt.Signer != nil {
		k, _ := opt.Signer.Public().Key()
		opt.Keys[opt.Signer.Public().KeyID] = k
	}
	l := &Log{store: store, opt: opt, sign: make(chan struct{}, 1), changed: make(chan struct{})}
	if opt.Dir == "" {
		return l, nil
	}
	if err := l.openDerived(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

// openDerived loads the derived tree and the checkpoints it covers, which
// are read from their stream since the tree will not see them again.
func (l *Log) openDerived(ctx context.Context) error {
	opt := l.opt
	if err := os.MkdirAll(opt.Dir, 0o700); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(opt.Dir, "leaves"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	l.file = f
	if err := l.load(ctx); err != nil {
		f.Close()
		return err
	}
	size := l.tree.Size()
	if size == 0 {
		return nil
	}
	l.grownTo = size
	cps, err := event.ReadStreamWhole(ctx, l.store, CheckpointStream, 1000)
	if errors.Is(err, event.ErrStreamNotFound) {
		return nil
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("audit: reading the checkpoints: %w", err)
	}
	last := l.positions[size-1]
	for _, e := range cps {
		if e.Position > last {
			break
		}
		l.addCheckpoint(e)
		if e.Position == last {
			// The tree ends with a checkpoint: nothing new to sign yet.
			l.grownTo = l.latestSize()
		}
	}
	return nil
}

// load reads the leaves file, keeping whole records only, and keeps it if
// its last leaf is still the store's event at that place.
func (l *Log) load(ctx context.Context) error {
	b, err := io.ReadAll(l.file)
	if err != nil {
		return fmt.Errorf("audit: reading the derived tree: %w", err)
	}
	leaves := parseLeaves(b)
	n := len(leaves)
	// Room for the log to grow by a quarter before the slices double.
	room := uint64(n) + uint64(n)/4 + 1024
	l.tree.Reserve(room)
	l.positions = make([]event.Position, 0, room)
	for _, d := range leaves {
		l.positions = append(l.positions, d.pos)
		l.tree.Append(d.leaf)
	}
	ok, err := l.lastLeafMatches(ctx)
	if err != nil {
		return err
	}
	if !ok {
		l.opt.Logger.Warn("audit: the derived tree does not match the event store (restored or changed); rebuilding it from $all",
			"leaves", n)
		l.positions, l.tree = nil, merkle.Tree{}
		n = 0
	}
	if err := l.file.Truncate(int64(n * leafRecordSize)); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if _, err := l.file.Seek(int64(n*leafRecordSize), io.SeekStart); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	l.w = bufio.NewWriterSize(l.file, 64<<10)
	return nil
}

func (l *Log) lastLeafMatches(ctx context.Context) (bool, error) {
	n := len(l.positions)
	if n == 0 {
		return true, nil
	}
	var from event.Position
	if n > 1 {
		from = l.positions[n-2]
	}
	got, err := l.store.ReadAll(ctx, from, event.Forward, 1)
	if err != nil {
		return false, fmt.Errorf("audit: checking the derived tree: %w", err)
	}
	return len(got) == 1 && got[0].Position == l.positions[n-1] && LeafOf(got[0]) == l.tree.Leaf(uint64(n-1)), nil
}

// Close flushes the derived tree.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file == nil {
		return nil
	}
	err := errors.Join(l.w.Flush(), l.file.Close())
	l.file = nil
	return err
}

// Run follows $all until ctx ends, and signs checkpoints when a signer is set.
func (l *Log) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	if l.opt.Signer != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.signLoop(ctx)
		}()
	}
	err := l.follow(ctx)
	wg.Wait()
	return err
}

func (l *Log) follow(ctx context.Context) error {
	l.mu.RLock()
	var after event.Position
	if n := len(l.positions); n > 0 {
		after = l.positions[n-1]
	}
	l.mu.RUnlock()
	sub, err := l.store.SubscribeAll(ctx, after)
	if err != nil {
		return fmt.Errorf("audit: following $all: %w", err)
	}
	defer sub.Close()
	flush := time.NewTicker(time.Second)
	defer flush.Stop()
	for {
		e, err := sub.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("audit: following $all: %w", err)
		}
		l.add(e)
		select {
		case <-flush.C:
			l.flush()
		default:
		}
	}
}

func (l *Log) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w != nil {
		if err := l.w.Flush(); err != nil {
			l.opt.Logger.Warn("audit: saving the derived tree", "err", err)
		}
	}
}

// add appends one event of $all to the tree.
func (l *Log) add(e event.Recorded) {
	leaf := LeafOf(e)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tree.Append(leaf)
	l.positions = append(l.positions, e.Position)
	size := l.tree.Size()
	if l.w != nil {
		var rec [leafRecordSize]byte
		binary.BigEndian.PutUint64(rec[:], uint64(e.Position))
		copy(rec[8:], leaf[:])
		_, _ = l.w.Write(rec[:])
	}
	close(l.changed)
	l.changed = make(chan struct{})
	if e.Stream != CheckpointStream {
		l.grownTo = size
		if l.grownTo-max(l.latestSize(), l.signedTo) >= l.opt.Every {
			select {
			case l.sign <- struct{}{}:
			default:
			}
		}
		return
	}
	l.addCheckpoint(e)
}

// addCheckpoint takes in a checkpoint event the tree holds.
func (l *Log) addCheckpoint(e event.Recorded) {
	if !l.cpExists || e.Revision > l.cpRevision {
		l.cpRevision, l.cpExists = e.Revision, true
	}
	c, err := decodeCheckpoint(e.Data)
	if err == nil {
		err = l.check(c)
	}
	if err != nil {
		l.opt.Logger.Error("audit: a checkpoint in the log does not verify", "event", e.ID, "position", e.Position, "err", err)
		return
	}
	i := sort.Search(len(l.checkpoints), func(i int) bool { return l.checkpoints[i].TreeSize >= c.TreeSize })
	if i < len(l.checkpoints) && l.checkpoints[i].TreeSize == c.TreeSize {
		return // the same head signed twice (two servers): the first is kept
	}
	l.checkpoints = append(l.checkpoints, Checkpoint{})
	copy(l.checkpoints[i+1:], l.checkpoints[i:])
	l.checkpoints[i] = c
}

// check verifies a checkpoint's signature and that it signs this tree.
func (l *Log) check(c Checkpoint) error {
	if err := l.opt.Keys.Verify(c); err != nil {
		return err
	}
	root, err := l.tree.Root(c.TreeSize)
	if err != nil {
		return err
	}
	if want, _ := c.Root(); want != root {
		return fmt.Errorf("tree head at size %d is %x here, the checkpoint says %s", c.TreeSize, root, c.RootHash)
	}
	return nil
}

func (l *Log) latestSize() uint64 {
	if n := len(l.checkpoints); n > 0 {
		return l.checkpoints[n-1].TreeSize
	}
	return 0
}

func (l *Log) signLoop(ctx context.Context) {
	t := time.NewTicker(l.opt.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-l.sign:
		}
		if _, err := l.SignNow(ctx); err != nil && ctx.Err() == nil {
			l.opt.Logger.Warn("audit: signing a checkpoint", "err", err)
		}
	}
}

// SignNow signs and records a checkpoint of the tree as it stands (a
// prefix of the log while the tree follows it) if events other than
// checkpoints were added since the last one, and reports whether it did.
// Another server recording one first is not an error.
func (l *Log) SignNow(ctx context.Context) (bool, error) {
	if l.opt.Signer == nil {
		return false, errors.New("audit: this log has no signing key")
	}
	l.signing.Lock()
	defer l.signing.Unlock()
	l.mu.RLock()
	size, grown := l.tree.Size(), l.grownTo > max(l.latestSize(), l.signedTo)
	root, _ := l.tree.Root(size)
	expected := event.NoStream()
	if l.cpExists {
		expected = event.Exact(l.cpRevision)
	}
	l.mu.RUnlock()
	if !grown {
		return false, nil
	}
	now := l.opt.Clock()
	c := l.opt.Signer.Sign(size, root, now)
	data, err := json.Marshal(c)
	if err != nil {
		return false, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return false, err
	}
	res, err := l.store.Append(ctx, CheckpointStream, expected, event.Event{ID: id.String(), Type: CheckpointType, Data: data,
		Meta: event.Metadata{Actor: event.System, OccurredAt: now.UTC()}})
	if errors.Is(err, event.ErrConflict) {
		return false, nil // another server signed: the next round decides again
	}
	if err != nil {
		return false, err
	}
	l.mu.Lock()
	l.signedTo = max(l.signedTo, size)
	if !l.cpExists || res.NextRevision > l.cpRevision {
		l.cpRevision, l.cpExists = res.NextRevision, true
	}
	l.mu.Unlock()
	return true, nil
}

// WaitFor blocks until the tree holds the event at position p (or a later
// one), or ctx ends.
func (l *Log) WaitFor(ctx context.Context, p event.Position) error {
	for {
		l.mu.RLock()
		n := len(l.positions)
		done := n > 0 && l.positions[n-1] >= p
		ch := l.changed
		l.mu.RUnlock()
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

// Size is the number of events in the tree.
func (l *Log) Size() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.tree.Size()
}

// PublicKey describes the signing key (zero without a signer).
func (l *Log) PublicKey() (PublicKey, bool) {
	if l.opt.Signer == nil {
		return PublicKey{}, false
	}
	return l.opt.Signer.Public(), true
}

// Latest is the newest verified checkpoint.
func (l *Log) Latest() (Checkpoint, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if n := len(l.checkpoints); n > 0 {
		return l.checkpoints[n-1], true
	}
	return Checkpoint{}, false
}

// CheckpointAt is the verified checkpoint of tree size size.
func (l *Log) CheckpointAt(size uint64) (Checkpoint, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	i := sort.Search(len(l.checkpoints), func(i int) bool { return l.checkpoints[i].TreeSize >= size })
	if i < len(l.checkpoints) && l.checkpoints[i].TreeSize == size {
		return l.checkpoints[i], true
	}
	return Checkpoint{}, false
}

// Checkpoints lists the verified checkpoints, oldest first.
func (l *Log) Checkpoints() []Checkpoint {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return append([]Checkpoint(nil), l.checkpoints...)
}

// Inclusion is an event's inclusion proof in a signed tree head.
type Inclusion struct {
	LeafIndex uint64 `json:"leaf_index"`
	TreeSize  uint64 `json:"tree_size"`
	// AuditPath is PATH(leaf_index, tree), hex, leaf side first.
	AuditPath []string `json:"audit_path"`
	// Leaf is the event's canonical bytes, base64.
	Leaf       []byte     `json:"leaf"`
	Checkpoint Checkpoint `json:"checkpoint"`
}

// Errors of proofs.
var (
	// ErrNotInTree: the tree has no event at that position (yet).
	ErrNotInTree = errors.New("audit: the event is not in the tree yet")
	// ErrNotCheckpointed: no signed checkpoint covers the event yet.
	ErrNotCheckpointed = errors.New("audit: no signed checkpoint covers the event yet")
	// ErrNoCheckpoint: no signed checkpoint of that tree size.
	ErrNoCheckpoint = errors.New("audit: no signed checkpoint of that tree size")
	// ErrLeafMismatch: the event read now is not the one the tree holds.
	ErrLeafMismatch = errors.New("audit: the event does not match the leaf recorded for it")
)

// Prove proves e in the checkpoint of tree size size (0: the latest).
func (l *Log) Prove(e event.Recorded, size uint64) (Inclusion, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.prove(e, size)
}

func (l *Log) prove(e event.Recorded, size uint64) (Inclusion, error) {
	i := sort.Search(len(l.positions), func(i int) bool { return l.positions[i] >= e.Position })
	if i == len(l.positions) || l.positions[i] != e.Position {
		return Inclusion{}, ErrNotInTree
	}
	idx := uint64(i)
	leaf := Canonical(e)
	if merkle.LeafHash(leaf) != l.tree.Leaf(idx) {
		return Inclusion{}, fmt.Errorf("%w: event %s at position %d", ErrLeafMismatch, e.ID, e.Position)
	}
	var c Checkpoint
	if size == 0 {
		if len(l.checkpoints) == 0 || l.checkpoints[len(l.checkpoints)-1].TreeSize <= idx {
			return Inclusion{}, ErrNotCheckpointed
		}
		c = l.checkpoints[len(l.checkpoints)-1]
	} else {
		j := sort.Search(len(l.checkpoints), func(j int) bool { return l.checkpoints[j].TreeSize >= size })
		if j == len(l.checkpoints) || l.checkpoints[j].TreeSize != size {
			return Inclusion{}, ErrNoCheckpoint
		}
		if size <= idx {
			return Inclusion{}, ErrNotCheckpointed
		}
		c = l.checkpoints[j]
	}
	path, err := l.tree.InclusionProof(idx, c.TreeSize)
	if err != nil {
		return Inclusion{}, err
	}
	return Inclusion{LeafIndex: idx, TreeSize: c.TreeSize, AuditPath: hexes(path), Leaf: leaf, Checkpoint: c}, nil
}

// RecordProof proves a record's events against one checkpoint, the latest.
type RecordProof struct {
	Checkpoint Checkpoint         `json:"checkpoint"`
	Events     []RecordProofEvent `json:"events"`
	// Pending are the record's events recorded after that checkpoint: the
	// next checkpoint covers them.
	Pending []string `json:"pending"`
}

// RecordProofEvent is one event of a record with its inclusion proof.
type RecordProofEvent struct {
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Revision  uint64   `json:"revision"`
	LeafIndex uint64   `json:"leaf_index"`
	AuditPath []string `json:"audit_path"`
	Leaf      []byte   `json:"leaf"`
}

// ProveRecord proves every event of a record (its stream, oldest first).
func (l *Log) ProveRecord(events []event.Recorded) (RecordProof, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if len(l.checkpoints) == 0 {
		return RecordProof{}, ErrNotCheckpointed
	}
	c := l.checkpoints[len(l.checkpoints)-1]
	out := RecordProof{Checkpoint: c, Events: []RecordProofEvent{}, Pending: []string{}}
	for _, e := range events {
		in, err := l.prove(e, c.TreeSize)
		if errors.Is(err, ErrNotCheckpointed) || errors.Is(err, ErrNotInTree) {
			out.Pending = append(out.Pending, e.ID)
			continue
		}
		if err != nil {
			return RecordProof{}, err
		}
		out.Events = append(out.Events, RecordProofEvent{ID: e.ID, Type: e.Type, Revision: e.Revision, LeafIndex: in.LeafIndex,
			AuditPath: in.AuditPath, Leaf: in.Leaf})
	}
	if len(out.Events) == 0 {
		return RecordProof{}, ErrNotCheckpointed
	}
	return out, nil
}

// Consistency proves that the checkpoint of size second extends the one
// of size first; both must be signed checkpoints, first may be 0.
type Consistency struct {
	First  Checkpoint `json:"first"`
	Second Checkpoint `json:"second"`
	Proof  []string   `json:"consistency_path"`
}

// Consistency answers a consistency proof between two signed checkpoints.
func (l *Log) Consistency(first, second uint64) (Consistency, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	find := func(size uint64) (Checkpoint, bool) {
		i := sort.Search(len(l.checkpoints), func(i int) bool { return l.checkpoints[i].TreeSize >= size })
		if i < len(l.checkpoints) && l.checkpoints[i].TreeSize == size {
			return l.checkpoints[i], true
		}
		return Checkpoint{}, false
	}
	a, ok1 := find(first)
	b, ok2 := find(second)
	if !ok1 || !ok2 {
		return Consistency{}, ErrNoCheckpoint
	}
	proof, err := l.tree.ConsistencyProof(first, second)
	if err != nil {
		return Consistency{}, err
	}
	return Consistency{First: a, Second: b, Proof: hexes(proof)}, nil
}

func hexes(hs []merkle.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = fmt.Sprintf("%x", h[:])
	}
	return out
}

// CatchUp reads $all from where the tree ends to the log's end, for a
// command-line use that does not Run the log.
func (l *Log) CatchUp(ctx context.Context) error {
	l.mu.RLock()
	var after event.Position
	if n := len(l.positions); n > 0 {
		after = l.positions[n-1]
	}
	l.mu.RUnlock()
	err := event.ScanAll(ctx, l.store, after, verifyPage, func(page []event.Recorded) error {
		for _, e := range page {
			l.add(e)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("audit: reading $all: %w", err)
	}
	l.flush()
	return nil
}
