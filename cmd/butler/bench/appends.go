package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/infra/eventstore"
)

// sampleData is a complaint registration as the program stores it.
var sampleData = []byte(`{"project":"p1","district":"d1","unit":"12-1-1802","owner":"王秀英","phone":"13812345678","category":"漏水",` +
	`"description":"楼上卫生间漏水，天花板渗水严重","soothing":"已向业主致歉并安抚情绪","at":"2026-03-02T09:00:00+08:00"}`)

// sampleEvent is one event of the append benchmark.
func sampleEvent() event.Event {
	return event.Event{ID: uuid.Must(uuid.NewV7()).String(), Type: "complaint.registered.v1", Data: sampleData, Meta: event.Metadata{
		Actor: event.Actor{StaffID: "b-001", Role: "butler"}, Project: "p1", District: "d1", OccurredAt: time.Now(),
		CorrelationID: "0193a0b0-0000-7000-8000-000000000001", CausationID: "0193a0b0-0000-7000-8000-000000000001",
	}}
}

// appends measures durable single-event appends by writers concurrent
// writers, each on its own stream with an exact expected revision, on a
// fresh store; it also returns the bytes written to disk per event. With
// audited, the verifiable log follows the store and signs checkpoints
// meanwhile, as it does in a server.
func (c *Config) appends(ctx context.Context, writers int, audited bool) (eps, bytesPerEvent float64, err error) {
	dir := filepath.Join(c.Dir, "appends-"+strconv.Itoa(writers))
	s, err := c.openEvents(ctx, dir)
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(dir)
	defer s.Close()
	if audited {
		stop, err := followAudited(ctx, s, filepath.Join(c.Dir, "appends-audit"))
		if err != nil {
			return 0, 0, err
		}
		defer stop()
	}
	w0 := writeBytes()
	n, elapsed, err := appendFor(ctx, s, writers, c.Duration)
	if err != nil {
		return 0, 0, err
	}
	if w1 := writeBytes(); w1 > w0 && n > 0 {
		bytesPerEvent = float64(w1-w0) / float64(n)
	}
	if bytesPerEvent == 0 && n > 0 { // no /proc/self/io: the WAL's size is the floor
		bytesPerEvent = float64(dirSize(dir)) / float64(n)
	}
	return float64(n) / elapsed.Seconds(), bytesPerEvent, nil
}

// appendFor runs the writers for d and counts acknowledged appends.
func appendFor(ctx context.Context, s eventstore.Store, writers int, d time.Duration) (int64, time.Duration, error) {
	var n atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	prefix := uuid.NewString()[:8]
	deadline := time.Now().Add(d)
	start := time.Now()
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stream := fmt.Sprintf("bench-%s-%d", prefix, w)
			expected := event.NoStream()
			for time.Now().Before(deadline) {
				res, err := s.Append(ctx, stream, expected, sampleEvent())
				if err != nil {
					errs <- err
					return
				}
				expected = event.Exact(res.NextRevision)
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	select {
	case err := <-errs:
		return n.Load(), elapsed, err
	default:
	}
	return n.Load(), elapsed, nil
}

// RawGroupCommit is the disk's own limit for the same pattern: writers
// concurrent callers each hand over recordSize bytes; one writer appends
// everything queued with one write and one fdatasync, then acknowledges
// all of them. It returns acknowledged records per second.
func RawGroupCommit(ctx context.Context, dir string, writers, recordSize int, d time.Duration) (float64, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	f, err := os.OpenFile(filepath.Join(dir, "raw.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	type req struct{ done chan error }
	queue := make(chan req, writers)
	stop := make(chan struct{})
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		buf := make([]byte, 0, 8192*recordSize)
		rec := make([]byte, recordSize)
		for {
			var group []req
			select {
			case r := <-queue:
				group = append(group, r)
			case <-stop:
				return
			}
		drain:
			for len(group) < 8192 {
				select {
				case r := <-queue:
					group = append(group, r)
				default:
					break drain
				}
			}
			buf = buf[:0]
			for range group {
				buf = append(buf, rec...)
			}
			_, err := f.Write(buf)
			if err == nil {
				err = syscall.Fdatasync(int(f.Fd()))
			}
			for _, r := range group {
				r.done <- err
			}
		}
	}()
	var n atomic.Int64
	var wg sync.WaitGroup
	var firstErr atomic.Value
	deadline := time.Now().Add(d)
	start := time.Now()
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			done := make(chan error, 1)
			for time.Now().Before(deadline) && ctx.Err() == nil {
				queue <- req{done}
				if err := <-done; err != nil {
					firstErr.Store(err)
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stop)
	<-writerDone
	if err, ok := firstErr.Load().(error); ok {
		return 0, err
	}
	return float64(n.Load()) / elapsed.Seconds(), nil
}

// writeBytes is the process's bytes written to storage so far (Linux).
func writeBytes() int64 {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "write_bytes: "); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return 0
}

func dirSize(dir string) int64 {
	var total int64
	_ = filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			total += fi.Size()
		}
		return nil
	})
	return total
}

// followAudited runs the verifiable log on s as a server does (derived
// tree on disk, a checkpoint every 10,000 events) until stop.
func followAudited(ctx context.Context, s eventstore.Store, dir string) (stop func(), err error) {
	key, err := audit.LoadOrCreateKey(filepath.Join(dir, "audit.key"))
	if err != nil {
		return nil, err
	}
	log, err := audit.Open(ctx, s, audit.Options{Dir: filepath.Join(dir, "audit"), Signer: audit.NewSigner(key)})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = log.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
		_ = log.Close()
		_ = os.RemoveAll(dir)
	}, nil
}
