package audit

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit/merkle"
)

// Reader reads the global log.
type Reader interface {
	ReadAll(ctx context.Context, from event.Position, dir event.Direction, max int) ([]event.Recorded, error)
}

// VerifyOptions configure Verify.
type VerifyOptions struct {
	// Keys check the checkpoints recorded in the log and the saved ones.
	Keys Keys
	// Saved are checkpoints kept outside the log (an auditor's copy): the
	// log must extend each of them.
	Saved []Checkpoint
	// DerivedDir, when set, is a server's derived tree (Options.Dir): each
	// leaf is compared with the one recorded when the event was appended,
	// which names the first changed event exactly.
	DerivedDir string
	// Progress, when set, is called about every second.
	Progress func(Progress)
	// MaxProblems bounds the problems kept (default 20); the count goes on.
	MaxProblems int
}

// Progress is where a verification stands.
type Progress struct {
	Events   uint64
	Position event.Position
	// Head is the log's last position when the verification began.
	Head    event.Position
	Elapsed time.Duration
}

// Problem is one thing that does not match.
type Problem struct {
	// LeafIndex is the event's place in the log (0-based); Position,
	// EventID, Stream and Revision name it when there is one.
	LeafIndex uint64         `json:"leaf_index"`
	Position  event.Position `json:"position,omitempty"`
	EventID   string         `json:"event_id,omitempty"`
	Stream    string         `json:"stream,omitempty"`
	Revision  uint64         `json:"revision,omitempty"`
	What      string         `json:"what"`
}

func (p Problem) String() string {
	if p.EventID == "" {
		return p.What
	}
	return fmt.Sprintf("event %s (stream %s, revision %d, position %d, leaf %d): %s", p.EventID, p.Stream, p.Revision,
		p.Position, p.LeafIndex, p.What)
}

// Report is the outcome of Verify.
type Report struct {
	Events      uint64 `json:"events"`
	Streams     int    `json:"streams"`
	Checkpoints int    `json:"checkpoints"`
	// SavedChecked counts the saved checkpoints the log was shown to extend.
	SavedChecked int `json:"saved_checkpoints"`
	// Root is the tree head of the whole log, hex.
	Root string `json:"root_hash"`
	// Unsigned counts the events after the last checkpoint.
	Unsigned uint64        `json:"events_after_last_checkpoint"`
	Elapsed  time.Duration `json:"-"`
	Problems []Problem     `json:"problems"`
	// ProblemCount counts every problem, kept or not.
	ProblemCount int `json:"problem_count"`
}

// OK reports whether nothing failed.
func (r Report) OK() bool { return r.ProblemCount == 0 }

// verifyPage is how many events one read of $all brings.
const verifyPage = 4096

// Verify reads the whole log, recomputes every leaf and the tree, checks
// every checkpoint recorded in it, each stream's revisions, and that the
// log extends each saved checkpoint. The tree is held in memory (about 64
// bytes per event).
func Verify(ctx context.Context, r Reader, opt VerifyOptions) (Report, error) {
	if opt.MaxProblems <= 0 {
		opt.MaxProblems = 20
	}
	start := time.Now()
	var rep Report
	problem := func(p Problem) {
		rep.ProblemCount++
		if len(rep.Problems) < opt.MaxProblems {
			rep.Problems = append(rep.Problems, p)
		}
	}
	derived, err := readDerived(opt.DerivedDir)
	if err != nil {
		return rep, err
	}
	derivedDiffers := false
	var head event.Position
	if last, err := r.ReadAll(ctx, event.End, event.Backward, 1); err != nil {
		return rep, fmt.Errorf("audit: reading the log's head: %w", err)
	} else if len(last) == 1 {
		head = last[0].Position
	}

	var tree merkle.Tree
	next := map[string]uint64{}
	lastGood := uint64(0) // size of the last checkpoint that matched
	var from event.Position
	tick := time.Now()
	for {
		page, err := r.ReadAll(ctx, from, event.Forward, verifyPage)
		if err != nil {
			return rep, fmt.Errorf("audit: reading the log after position %d: %w", from, err)
		}
		for _, e := range page {
			idx := tree.Size()
			leaf := LeafOf(e)
			tree.Append(leaf)
			name := func(what string, args ...any) Problem {
				return Problem{LeafIndex: idx, Position: e.Position, EventID: e.ID, Stream: e.Stream, Revision: e.Revision,
					What: fmt.Sprintf(what, args...)}
			}
			if !derivedDiffers && derived != nil && idx < uint64(len(derived)) {
				d := derived[idx]
				switch {
				case d.pos != e.Position:
					derivedDiffers = true
					problem(name("the tree derived when events were appended has position %d at this place: an event was removed or moved here", d.pos))
				case d.leaf != leaf:
					derivedDiffers = true
					problem(name("the event differs from the one hashed when it was appended: it was changed"))
				}
			}
			if want, seen := next[e.Stream]; (seen && e.Revision != want) || (!seen && e.Revision != 0) {
				problem(name("revision %d follows revision %d of its stream: an event is missing, moved or out of order", e.Revision, int64(want)-1))
			}
			next[e.Stream] = e.Revision + 1
			if e.Stream == CheckpointStream && e.Type == CheckpointType {
				rep.Checkpoints++
				c, err := decodeCheckpoint(e.Data)
				if err == nil {
					err = opt.Keys.Verify(c)
				}
				if err != nil {
					problem(name("checkpoint: %v", err))
					continue
				}
				if c.TreeSize > idx {
					problem(name("checkpoint signed at %s covers %d events, but only %d precede it", c.Time.Format(time.RFC3339), c.TreeSize, idx))
					continue
				}
				root, _ := tree.Root(c.TreeSize)
				if want, _ := c.Root(); want != root {
					problem(name("the first %d events are not those the checkpoint signed at %s covered (tree head %x, signed %s): one of the events from leaf %d to %d was changed, removed or moved",
						c.TreeSize, c.Time.Format(time.RFC3339), root, c.RootHash, lastGood, c.TreeSize-1))
					continue
				}
				lastGood = c.TreeSize
			}
		}
		if len(page) > 0 {
			from = page[len(page)-1].Position
		}
		if opt.Progress != nil && (time.Since(tick) >= time.Second || len(page) < verifyPage) {
			tick = time.Now()
			opt.Progress(Progress{Events: tree.Size(), Position: from, Head: head, Elapsed: time.Since(start)})
		}
		if len(page) < verifyPage {
			break
		}
	}
	rep.Events, rep.Streams = tree.Size(), len(next)
	root, _ := tree.Root(tree.Size())
	rep.Root = fmt.Sprintf("%x", root[:])
	if rep.Checkpoints == 0 {
		rep.Unsigned = rep.Events
	} else {
		rep.Unsigned = rep.Events - lastGood
	}
	if derived != nil && uint64(len(derived)) > tree.Size() && !derivedDiffers {
		problem(Problem{LeafIndex: tree.Size(), What: fmt.Sprintf(
			"the tree derived when events were appended holds %d events, the log only %d: the log was cut or put back to an older copy",
			len(derived), tree.Size())})
	}
	for _, c := range opt.Saved {
		if err := opt.Keys.Verify(c); err != nil {
			problem(Problem{What: fmt.Sprintf("saved checkpoint of %d events: %v", c.TreeSize, err)})
			continue
		}
		if c.TreeSize > tree.Size() {
			problem(Problem{LeafIndex: tree.Size(), What: fmt.Sprintf(
				"the log has %d events, fewer than the %d of the checkpoint signed at %s: it was cut or put back to an older copy",
				tree.Size(), c.TreeSize, c.Time.Format(time.RFC3339))})
			continue
		}
		root, _ := tree.Root(c.TreeSize)
		if want, _ := c.Root(); want != root {
			problem(Problem{What: fmt.Sprintf(
				"the first %d events are not those the checkpoint signed at %s covered (tree head %x, signed %s): history was rewritten",
				c.TreeSize, c.Time.Format(time.RFC3339), root, c.RootHash)})
			continue
		}
		rep.SavedChecked++
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

type derivedLeaf struct {
	pos  event.Position
	leaf merkle.Hash
}

// readDerived reads a derived tree's leaves ("" or no file: nil).
func readDerived(dir string) ([]derivedLeaf, error) {
	if dir == "" {
		return nil, nil
	}
	f, err := os.Open(filepath.Join(dir, "leaves"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return parseLeaves(b), nil
}

// parseLeaves reads the whole records of a leaves file (a torn last one
// is left out).
func parseLeaves(b []byte) []derivedLeaf {
	out := make([]derivedLeaf, len(b)/leafRecordSize)
	for i := range out {
		r := b[i*leafRecordSize:]
		out[i].pos = event.Position(binary.BigEndian.Uint64(r))
		copy(out[i].leaf[:], r[8:leafRecordSize])
	}
	return out
}
