package embedded

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

const childDirEnv = "BUTLER_EMBEDDED_KILL_CHILD_DIR"

// TestKillDuringAppends runs writers in a child process, SIGKILLs it in the
// middle of appending, and checks that every append the child saw
// acknowledged is stored exactly once at its acknowledged position.
func TestKillDuringAppends(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("-short: skipping the child-process kill test")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChildWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), childDirEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	type ack struct {
		pos event.Position
		ids []string
	}
	var acks []ack
	r := bufio.NewReader(out)
	killed := false
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF {
			break // a partial last line was cut by the kill: not an ack
		}
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(line)
		if len(f) != 3 || f[0] != "ack" {
			continue
		}
		p, err := strconv.ParseUint(f[1], 10, 64)
		if err != nil {
			t.Fatalf("bad ack line %q", line)
		}
		acks = append(acks, ack{pos: event.Position(p), ids: strings.Split(f[2], ",")})
		if len(acks) == 400 && !killed {
			if err := cmd.Process.Kill(); err != nil { // SIGKILL
				t.Fatal(err)
			}
			killed = true
		}
	}
	_ = cmd.Wait()
	if !killed {
		t.Fatalf("child ended after %d acks without being killed", len(acks))
	}

	ctx := testCtx(t)
	s := open(t, dir)
	recs := readEverything(ctx, t, s)
	checkStreams(t, recs)
	byID := make(map[string]event.Position, len(recs))
	for _, rec := range recs {
		if _, dup := byID[rec.ID]; dup {
			t.Fatalf("event %s stored twice", rec.ID)
		}
		byID[rec.ID] = rec.Position
	}
	for _, a := range acks {
		for i, id := range a.ids {
			got, ok := byID[id]
			if !ok {
				t.Fatalf("acknowledged event %s lost (%d acked appends, %d events stored)", id, len(acks), len(recs))
			}
			if want := a.pos - event.Position(len(a.ids)-1-i); got != want {
				t.Fatalf("event %s at position %d, acknowledged at %d", id, got, want)
			}
		}
	}
	t.Logf("%d appends acknowledged before SIGKILL; %d events recovered", len(acks), len(recs))
}

// TestKillChildWriter is the child half of TestKillDuringAppends: it only
// runs when re-executed with the data directory in its environment, and
// appends until it is killed.
func TestKillChildWriter(t *testing.T) {
	dir := os.Getenv(childDirEnv)
	if dir == "" {
		t.Skip("helper process for TestKillDuringAppends; runs only when re-executed by it")
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Bounded even if the parent never kills us.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			exp := event.NoStream()
			for i := 0; ctx.Err() == nil; i++ {
				es := make([]event.Event, 1+i%3)
				ids := make([]string, len(es))
				for j := range es {
					es[j] = ev(i)
					ids[j] = es[j].ID
				}
				res, err := s.Append(ctx, fmt.Sprintf("kill-%d", w), exp, es...)
				if err != nil {
					return
				}
				exp = event.Exact(res.NextRevision)
				// One write per line, so a kill can only cut the last one.
				mu.Lock()
				_, _ = os.Stdout.WriteString(fmt.Sprintf("ack %d %s\n", res.Position, strings.Join(ids, ",")))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	_ = s.Close()
}
