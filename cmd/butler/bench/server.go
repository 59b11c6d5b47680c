package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// serverProcess is `butler serve` run as its own process, so that its
// resident memory and its CPU are its own and not the bench's (the data set
// generation, the rebuild and the HTTP clients).
type serverProcess struct {
	cmd     *exec.Cmd
	url     string
	done    chan error
	once    sync.Once
	stopErr error
}

// startServer runs command (the butler binary and any leading arguments)
// with serve on dataDir, listening on a free loopback port.
func (c *Config) startServer(ctx context.Context, command []string, dataDir string) (*serverProcess, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	_ = l.Close() // the child binds it next; a clash shows as "not ready"
	args := append(append([]string(nil), command[1:]...), "serve", "--addr", addr, "--data", dataDir,
		"--policy-interval", "1h", "--log-level", "warn",
		// The benchmark's 64 clients share one address and one token.
		"--rate-address", "off", "--rate-token", "off")
	if c.EventStore != "" {
		args = append(args, "--eventstore", c.EventStore)
	}
	if c.Elasticsearch != "" {
		args = append(args, "--elasticsearch", c.Elasticsearch, "--index-prefix", c.IndexPrefix)
	}
	cmd := exec.CommandContext(ctx, command[0], args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 30 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the server %s: %w", command[0], err)
	}
	p := &serverProcess{cmd: cmd, url: "http://" + addr, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	return p, nil
}

// statusMiB reads a memory figure of the server process (VmHWM: its peak).
func (p *serverProcess) statusMiB(field string) float64 {
	return statusFileMiB("/proc/"+strconv.Itoa(p.cmd.Process.Pid)+"/status", field)
}

// stop asks the server to shut down (SIGTERM: drain and close the stores)
// and waits for it; later calls return the first one's result.
func (p *serverProcess) stop() error {
	p.once.Do(func() { p.stopErr = p.terminate() })
	return p.stopErr
}

func (p *serverProcess) terminate() error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("the server exited with %v", exit)
		}
		return err
	case <-time.After(time.Minute):
		_ = p.cmd.Process.Kill()
		return errors.New("the server did not stop within a minute of SIGTERM")
	}
}
