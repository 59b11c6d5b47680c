package e2e

import (
	"syscall"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

// TestProjectionTakeoverWhenTheHolderDies runs two real servers on one
// EventStoreDB and one Elasticsearch. The first holds every projection's
// lease; after it is killed with SIGKILL (no release), the second takes the
// projections over and keeps the read models moving.
func TestProjectionTakeoverWhenTheHolderDies(t *testing.T) {
	es := harness.ElasticsearchURL(t)
	esdb := harness.ESDBServer(t)
	bin := butlerBinary(t)
	keyDir := t.TempDir()
	tok := issueToken(t, bin, keyDir, "--role", "butler", "--staff", "b-001", "--project", "p1", "--district", "d1")
	shared := []string{"--eventstore", esdb, "--elasticsearch", es, "--index-prefix", harness.RandomPrefix(),
		"--token-key", keyDir + "/token.key"}

	a := startProcess(t, bin, t.TempDir(), shared...)
	register := func(p *process, what string) string {
		st, m, err := p.post("/api/v1/complaints", tok, map[string]any{"unit": "7-1-101", "owner": "刘洋", "phone": "136",
			"category": "绿化", "description": what, "soothing": "已安抚"})
		if err != nil || st != 201 {
			t.Fatalf("register on %s: %d %v %v", p.url, st, m, err)
		}
		return m["id"].(string)
	}
	waitListed := func(p *process, id string, within time.Duration) {
		t.Helper()
		deadline := time.Now().Add(within)
		for {
			if st, _ := p.get("/api/v1/complaints/"+id, tok); st == 200 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("complaint %s not in the read model within %s", id, within)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	first := register(a, "草坪枯黄无人养护")
	waitListed(a, first, 20*time.Second) // a holds the leases

	b := startProcess(t, bin, t.TempDir(), shared...)
	defer func() {
		_ = b.cmd.Process.Signal(syscall.SIGTERM)
		_ = b.cmd.Wait()
	}()
	// b is a standby: it answers commands and reads while a projects.
	second := register(b, "树枝遮挡路灯")
	waitListed(b, second, 10*time.Second)

	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = a.cmd.Wait()
	killed := time.Now()
	third := register(b, "灌木丛有蚊虫滋生")
	// The dead holder's leases expire (6 s) and b takes over.
	waitListed(b, third, 30*time.Second)
	t.Logf("projected on the standby %s after the holder was killed", time.Since(killed).Round(time.Millisecond))
}
