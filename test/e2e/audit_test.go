package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/test/harness"
)

func TestAuditProofsOverHTTP(t *testing.T) {
	t.Parallel()
	forEachEngine(t, auditJourney)
}

// sign has the server sign a checkpoint now (it signs every minute on its own).
func sign(t *testing.T, b *harness.Butler) audit.Checkpoint {
	t.Helper()
	ctx := context.Background()
	tail, err := b.App.Events().ReadAll(ctx, event.End, event.Backward, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.App.Audit().WaitFor(ctx, tail[0].Position); err != nil {
		t.Fatal(err)
	}
	size := b.App.Audit().Size()
	if _, err := b.App.Audit().SignNow(ctx); err != nil {
		t.Fatal(err)
	}
	var c audit.Checkpoint
	b.Eventually(5e9, func() error {
		var ok bool
		if c, ok = b.App.Audit().Latest(); !ok || c.TreeSize < size {
			return fmt.Errorf("no checkpoint of %d events yet", size)
		}
		return nil
	})
	return c
}

func auditJourney(t *testing.T, b *harness.Butler) {
	butler := b.Token("butler", "b-001", "p1", "d1")
	auditor := b.Token("auditor", "a-001", "p1", "")
	id := registerComplaint(t, b, butler, "楼上卫生间漏水，天花板渗水")
	path := "/api/v1/complaints/" + id + "/proof"

	harness.Problem(t, b.Do("GET", path, auditor, nil), http.StatusConflict, "not_yet_checkpointed")
	first := sign(t, b)
	b.Must(http.StatusOK, "POST", "/api/v1/complaints/"+id+"/dispatch", butler, map[string]any{"assignee": "e-007"})
	second := sign(t, b)

	// Only the audit roles read proofs; another project's auditor finds nothing.
	harness.Problem(t, b.Do("GET", path, butler, nil), http.StatusForbidden, "forbidden_role")
	harness.Problem(t, b.Do("GET", path, b.Token("auditor", "a-9", "p2", ""), nil), http.StatusNotFound, "not_found")
	harness.Problem(t, b.Do("GET", "/api/v1/audit/consistency?first=abc", auditor, nil), http.StatusBadRequest, "invalid_query")
	harness.Problem(t, b.Do("GET", "/api/v1/audit/consistency?first=3&second=2", auditor, nil), http.StatusBadRequest, "invalid_query")

	var rec audit.RecordProof
	if err := json.Unmarshal(b.Must(http.StatusOK, "GET", path, auditor, nil).Raw, &rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.Events) != 2 || rec.Checkpoint != second || len(rec.Pending) != 0 {
		t.Fatalf("record proof: %+v", rec)
	}

	// The household the complaint recorded its owner in has a proof too:
	// its events hold the contact sealed, so the proof shows no name.
	var hp audit.RecordProof
	if err := json.Unmarshal(b.Must(http.StatusOK, "GET", "/api/v1/households/3-2-501/proof", auditor, nil).Raw, &hp); err != nil {
		t.Fatal(err)
	}
	if len(hp.Events) == 0 {
		t.Fatalf("household proof: %+v", hp)
	}
	for _, e := range hp.Events {
		ev, err := audit.ParseCanonical(e.Leaf)
		if err != nil || strings.Contains(string(ev.Data), "王秀英") || strings.Contains(string(ev.Data), "13812345678") {
			t.Fatalf("a household's proven event shows its owner: %s %v", ev.Data, err)
		}
	}

	// One event's proof, found by its id through the audit feed.
	ev := rec.Events[1]
	var in audit.Inclusion
	b.WaitFor("/api/v1/audit/proof?event="+ev.ID, auditor, func(m map[string]any) error { return nil })
	if err := json.Unmarshal(b.Must(http.StatusOK, "GET", "/api/v1/audit/proof?event="+ev.ID, auditor, nil).Raw, &in); err != nil {
		t.Fatal(err)
	}
	if in.LeafIndex != ev.LeafIndex || in.Checkpoint != second || fmt.Sprint(in.AuditPath) != fmt.Sprint(ev.AuditPath) {
		t.Fatalf("event proof %+v differs from the record's %+v", in, ev)
	}
	if r := b.Do("GET", fmt.Sprintf("/api/v1/audit/proof?event=%s&tree_size=%d", ev.ID, first.TreeSize), auditor, nil); r.Status != http.StatusConflict {
		t.Fatalf("an event proven in a checkpoint signed before it: %d %s", r.Status, r.Raw)
	}
	harness.Problem(t, b.Do("GET", "/api/v1/audit/proof?event="+ev.ID+"&tree_size=999999", auditor, nil), http.StatusNotFound, "no_checkpoint")
	harness.Problem(t, b.Do("GET", "/api/v1/audit/proof?event="+ev.ID, b.Token("auditor", "a-9", "p2", ""), nil), http.StatusNotFound, "not_found")
	harness.Problem(t, b.Do("GET", "/api/v1/audit/proof?event=nope", auditor, nil), http.StatusBadRequest, "invalid_query")

	// A second implementation, written from RFC 9162 with no Butler code
	// (docs/audit/verify_proof.py: Python's hashlib and openssl), checks
	// the record's proof, the signature and that the log extends the
	// checkpoint an auditor saved before the dispatch.
	dir := t.TempDir()
	keyFile, savedFile := filepath.Join(dir, "key.json"), filepath.Join(dir, "saved.json")
	writeJSON(t, keyFile, b.Must(http.StatusOK, "GET", "/api/v1/audit/key", auditor, nil).Raw)
	savedRaw, _ := json.Marshal(first)
	writeJSON(t, savedFile, savedRaw)
	if out := runVerifier(t, "--url", b.URL, "--token", auditor, "--event", ev.ID, "--key", keyFile); !strings.Contains(out, "verified") {
		t.Errorf("verifier on one event:\n%s", out)
	}
	out := runVerifier(t, "--url", b.URL, "--token", auditor, "--record", "complaints/"+id, "--key", keyFile, "--checkpoint", savedFile)
	for _, want := range []string{"signature OK", "complaint.registered.v2", "complaint.dispatched.v1", "the log extends it", "verified"} {
		if !strings.Contains(out, want) {
			t.Errorf("verifier output lacks %q:\n%s", want, out)
		}
	}

	// A forged saved checkpoint (another root, same signature) is refused.
	forged := first
	forged.RootHash = strings.Repeat("ab", 32)
	forgedRaw, _ := json.Marshal(forged)
	writeJSON(t, savedFile, forgedRaw)
	cmd := verifierCmd(t, "--url", b.URL, "--token", auditor, "--record", "complaints/"+id, "--key", keyFile, "--checkpoint", savedFile)
	if outB, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(outB), "DOES NOT VERIFY") {
		t.Fatalf("a forged checkpoint passed: %v\n%s", err, outB)
	}

	// An integrity report (read by operations only, R-S6) stays out of the
	// bundle the audit roles take away.
	b.Must(http.StatusCreated, "POST", "/api/v1/integrity-reports", butler, map[string]any{"subject": "收受业主礼品", "content": "某员工收受业主购物卡", "anonymous": true})
	sign(t, b)

	// The period's bundle over HTTP verifies offline, pinned to the key.
	raw := b.Must(http.StatusOK, "GET", "/api/v1/audit/export?from=2026-01-01", auditor, nil).Raw
	var bundle audit.Bundle
	if err := json.Unmarshal(raw, &bundle); err != nil {
		t.Fatal(err)
	}
	var key audit.PublicKey
	_ = json.Unmarshal(b.Must(http.StatusOK, "GET", "/api/v1/audit/key", auditor, nil).Raw, &key)
	pub, err := key.Key()
	if err != nil {
		t.Fatal(err)
	}
	// The period's events: the owner's contact (sealed, in the household), the registration, the dispatch.
	if rep := audit.VerifyBundle(bundle, audit.NewKeys(pub)); len(rep.Problems) != 0 || rep.Events != 3 {
		t.Fatalf("bundle: %+v", rep)
	}
	if bundle.LeftOut != 1 {
		t.Fatalf("the integrity report's event: %d left out, want 1", bundle.LeftOut)
	}
	for _, e := range bundle.Events {
		if strings.HasPrefix(e.Event.Stream, "integrity-") || strings.Contains(string(e.Event.Data), "购物卡") {
			t.Fatalf("an integrity report in the bundle: %+v", e.Event)
		}
	}
	var reportEvent string
	b.WaitFor("/api/v1/audit/events?size=100", auditor, func(m map[string]any) error {
		for _, it := range m["items"].([]any) {
			if e := it.(map[string]any); strings.HasPrefix(e["stream"].(string), "integrity-") {
				reportEvent = e["id"].(string)
				return nil
			}
		}
		return fmt.Errorf("the report's event is not in the feed yet")
	})
	harness.Problem(t, b.Do("GET", "/api/v1/audit/proof?event="+reportEvent, auditor, nil), http.StatusNotFound, "not_found")

	// What `butler audit verify` does, through this engine's adapter.
	rep, err := audit.Verify(context.Background(), b.App.Events(), audit.VerifyOptions{Keys: audit.NewKeys(pub)})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Checkpoints != 3 || rep.Events < 6 {
		t.Fatalf("audit verify on %s: %+v", b.Options.EventStore, rep)
	}
}

func writeJSON(t *testing.T, path string, b []byte) {
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func verifierCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	for _, tool := range []string{"python3", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing: .ci/run installs it", tool)
			}
			t.Skipf("SKIPPED: %s is not installed, so the standalone proof verifier cannot run", tool)
		}
	}
	return exec.Command("python3", append([]string{"../../docs/audit/verify_proof.py"}, args...)...)
}

func runVerifier(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	cmd := verifierCmd(t, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("verify_proof.py: %v\n%s", err, out.String())
	}
	return out.String()
}
