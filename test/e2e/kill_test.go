package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// butlerBinary builds the real program once per test run.
func butlerBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "butler-e2e-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "butler")
		cmd := exec.Command("go", "build", "-o", binPath, "github.com/butler-pm/butler/cmd/butler")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

var servingLine = regexp.MustCompile(`msg="butler is serving" addr=(\S+)`)

// process is the real binary running `butler serve`.
type process struct {
	cmd *exec.Cmd
	url string
}

func startProcess(t *testing.T, bin, dir string, extra ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--policy-interval", "1h"}, extra...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		return &process{cmd: cmd, url: "http://" + a}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("butler serve did not start within 30 s")
	}
	return nil
}

func (p *process) post(path, tok string, body any) (int, map[string]any, error) {
	buf, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", p.url+path, bytes.NewReader(buf))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m, nil
}

func (p *process) get(path, tok string) (int, map[string]any) {
	req, _ := http.NewRequest("GET", p.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m
}

func issueToken(t *testing.T, bin, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, append([]string{"token", "issue", "--data", dir}, args...)...).Output()
	if err != nil {
		t.Fatalf("token issue: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// TestKillNineLosesNoAcknowledgedCommand: every command that got a 2xx
// before kill -9 is in its history after restart, and the read models
// catch up by themselves.
func TestKillNineLosesNoAcknowledgedCommand(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("SIGKILL test needs Linux")
	}
	bin := butlerBinary(t)
	dir := t.TempDir()
	tok := issueToken(t, bin, dir, "--role", "butler", "--staff", "b-001", "--project", "p1", "--district", "d1")
	p := startProcess(t, bin, dir)

	var mu sync.Mutex
	acked := map[string]int{} // complaint id -> acknowledged events (register + follow-ups)
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				st, m, err := p.post("/api/v1/complaints", tok, map[string]any{"unit": "1-1-101", "owner": "张伟", "phone": "13900000000",
					"category": "噪音", "description": fmt.Sprintf("夜间施工噪音扰民 第%d次", i), "soothing": "已安抚"})
				if err != nil || st != 201 {
					continue
				}
				id := m["id"].(string)
				mu.Lock()
				acked[id] = 1
				mu.Unlock()
				st, _, err = p.post("/api/v1/complaints/"+id+"/follow-up", tok, map[string]any{"channel": "phone", "note": "已致电业主说明情况"})
				if err == nil && st == 200 {
					mu.Lock()
					acked[id] = 2
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()
	stop.Store(true)
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no command was acknowledged before the kill")
	}

	p = startProcess(t, bin, dir)
	defer func() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		_ = p.cmd.Wait()
	}()
	for id, n := range acked {
		st, h := p.get("/api/v1/complaints/"+id+"/history", tok)
		if st != 200 {
			t.Fatalf("acknowledged complaint %s lost after kill -9: status %d", id, st)
		}
		if got := len(h["events"].([]any)); got < n {
			t.Fatalf("complaint %s: %d events in history, %d were acknowledged", id, got, n)
		}
	}
	// The read model catches up by itself: every acknowledged complaint is listed.
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, l := p.get("/api/v1/complaints?size=1", tok)
		if st == 200 && l["total"].(float64) >= float64(len(acked)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("read model did not catch up: %v of %d", l["total"], len(acked))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if st, _ := p.get("/readyz", tok); st != 200 {
		t.Fatalf("readyz after catch-up: %d", st)
	}
	// A SIGTERM drains and exits cleanly.
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("butler did not exit cleanly on SIGTERM: %v", err)
	}
	t.Logf("%d complaints acknowledged before kill -9, all present after restart", len(acked))
}
