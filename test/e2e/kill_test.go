package e2e

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

// TestKillNineLosesNoAcknowledgedCommand: every command that got a 2xx
// before kill -9 is in its history after restart, and the read models
// catch up by themselves.
func TestKillNineLosesNoAcknowledgedCommand(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("SIGKILL test needs Linux")
	}
	bin := harness.Binary(t)
	dir := t.TempDir()
	tok := harness.IssueToken(t, bin, dir, "--role", "butler", "--staff", "b-001", "--project", "p1", "--district", "d1")
	p := harness.StartProcess(t, bin, dir)

	var mu sync.Mutex
	acked := map[string]int{} // complaint id -> acknowledged events (register + follow-ups)
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				a, err := p.Do("POST", "/api/v1/complaints", tok, map[string]any{"unit": "1-1-101", "owner": "张伟", "phone": "13900000000",
					"category": "噪音", "description": fmt.Sprintf("夜间施工噪音扰民 第%d次", i), "soothing": "已安抚"})
				if err != nil || a.Status != 201 {
					continue
				}
				id := a.Body["id"].(string)
				mu.Lock()
				acked[id] = 1
				mu.Unlock()
				a, err = p.Do("POST", "/api/v1/complaints/"+id+"/follow-up", tok, map[string]any{"channel": "phone", "note": "已致电业主说明情况"})
				if err == nil && a.Status == 200 {
					mu.Lock()
					acked[id] = 2
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	p.Kill()
	stop.Store(true)
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no command was acknowledged before the kill")
	}

	p = harness.StartProcess(t, bin, dir)
	for id, n := range acked {
		h, err := p.Do("GET", "/api/v1/complaints/"+id+"/history", tok, nil)
		if err != nil || h.Status != 200 {
			t.Fatalf("acknowledged complaint %s lost after kill -9: %v %d", id, err, h.Status)
		}
		if got := len(h.Body["events"].([]any)); got < n {
			t.Fatalf("complaint %s: %d events in history, %d were acknowledged", id, got, n)
		}
	}
	// The read model catches up by itself: every acknowledged complaint is listed.
	deadline := time.Now().Add(20 * time.Second)
	for {
		l, err := p.Do("GET", "/api/v1/complaints?size=1", tok, nil)
		if err == nil && l.Status == 200 && l.Body["total"].(float64) >= float64(len(acked)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("read model did not catch up: %v of %d", l.Body["total"], len(acked))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if r, err := p.Do("GET", "/readyz", tok, nil); err != nil || r.Status != 200 {
		t.Fatalf("readyz after catch-up: %v %d", err, r.Status)
	}
	// A SIGTERM drains and exits cleanly.
	p.Stop(t)
	t.Logf("%d complaints acknowledged before kill -9, all present after restart", len(acked))
}
