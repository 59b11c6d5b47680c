package e2e

import (
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
	bin := harness.Binary(t)
	keyDir := t.TempDir()
	tok := harness.IssueToken(t, bin, keyDir, "--role", "butler", "--staff", "b-001", "--project", "p1", "--district", "d1")
	prefix := harness.RandomPrefix()
	t.Cleanup(func() { harness.DeleteIndices(t, es, prefix) })
	shared := []string{"--eventstore", esdb, "--elasticsearch", es, "--index-prefix", prefix,
		"--token-key", keyDir + "/token.key", "--data-key", keyDir + "/data.key", "--audit-key", keyDir + "/audit.key"}

	a := harness.StartProcess(t, bin, t.TempDir(), shared...)
	register := func(p *harness.Process, what string) string {
		a, err := p.Do("POST", "/api/v1/complaints", tok, map[string]any{"unit": "7-1-101", "owner": "刘洋", "phone": "13600003333",
			"category": "绿化", "description": what, "soothing": "已安抚"})
		if err != nil || a.Status != 201 {
			t.Fatalf("register on %s: %d %s %v", p.URL, a.Status, a.Raw, err)
		}
		return a.Body["id"].(string)
	}
	waitListed := func(p *harness.Process, id string, within time.Duration) {
		t.Helper()
		deadline := time.Now().Add(within)
		for {
			if a, err := p.Do("GET", "/api/v1/complaints/"+id, tok, nil); err == nil && a.Status == 200 {
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

	b := harness.StartProcess(t, bin, t.TempDir(), shared...)
	defer b.Stop(t)
	// b is a standby: it answers commands and reads while a projects.
	second := register(b, "树枝遮挡路灯")
	waitListed(b, second, 10*time.Second)

	a.Kill()
	killed := time.Now()
	third := register(b, "灌木丛有蚊虫滋生")
	// The dead holder's leases expire (6 s) and b takes over.
	waitListed(b, third, 30*time.Second)
	t.Logf("projected on the standby %s after the holder was killed", time.Since(killed).Round(time.Millisecond))
}
