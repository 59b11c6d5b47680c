// Package app builds and runs the whole Butler program: event store,
// read-model store, projections, policies and the HTTP API. cmd/butler
// calls it, and so do the end-to-end tests, which start the same program
// on port 0 with a temporary data directory.
package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/butler-pm/butler/commands"
)

// Config is the whole configuration, loaded once in cmd and validated here.
type Config struct {
	// Addr is the HTTP listen address (HOST:PORT; port 0 picks one).
	Addr string
	// DataDir holds the embedded event store, the embedded index and the
	// token key.
	DataDir string
	// EventStore is "" (embedded, in DataDir) or an esdb:// / kurrentdb://
	// connection string.
	EventStore string
	// Elasticsearch is "" (embedded bleve index in DataDir) or the base URL
	// of an Elasticsearch 8 cluster.
	Elasticsearch string
	// IndexPrefix prefixes Elasticsearch index names (default "butler-").
	IndexPrefix string
	// Replicas is number_of_replicas of new Elasticsearch indices (default
	// 0, right for one node; a production cluster wants 1).
	Replicas int
	// TokenKeyFile is the token signing key (default DataDir/token.key).
	TokenKeyFile string
	// AuditKeyFile is the checkpoint signing key (default DataDir/audit.key).
	AuditKeyFile string
	// DataKeyFile is the master key that wraps every household's data key
	// (default DataDir/data.key): owners' personal data is sealed under
	// those keys (docs/privacy.md).
	DataKeyFile string
	// AuditInterval is the longest time between checkpoints while events
	// are recorded (default 1 min); AuditEvery signs one sooner, after this
	// many events (default 10,000).
	AuditInterval time.Duration
	AuditEvery    uint64
	// PolicyInterval is how often time policies look for overdue work (default 1 min).
	PolicyInterval time.Duration
	// ShutdownTimeout bounds the drain on Close (default 15 s).
	ShutdownTimeout time.Duration
	// TimeZone is the project's time zone, an IANA name (default
	// Asia/Shanghai): a date alone in a query (as_of, from, to) is a day
	// there.
	TimeZone string
	// Clock is the time source of commands and policies (default: the wall clock).
	Clock  commands.Clock
	Logger *slog.Logger

	// zone is TimeZone, loaded by Validate.
	zone *time.Location
}

// DefaultTimeZone is the projects' time zone unless --timezone says otherwise.
const DefaultTimeZone = "Asia/Shanghai"

// WallClock is the real clock.
type WallClock struct{}

func (WallClock) Now() time.Time { return time.Now().UTC() }

// Validate fills defaults and reports every problem together.
func (c *Config) Validate() error {
	var errs []error
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.DataDir == "" {
		c.DataDir = "./data"
	}
	if c.EventStore != "" {
		u, err := url.Parse(c.EventStore)
		if err != nil || (u.Scheme != "esdb" && u.Scheme != "esdb+discover" && u.Scheme != "kurrentdb" && u.Scheme != "kurrent") {
			errs = append(errs, fmt.Errorf("--eventstore %q: want an esdb:// connection string (or leave it empty for the embedded store)", c.EventStore))
		}
	}
	if c.Elasticsearch != "" {
		u, err := url.Parse(c.Elasticsearch)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--elasticsearch %q: want an http(s):// URL (or leave it empty for the embedded index)", c.Elasticsearch))
		}
	}
	if c.IndexPrefix == "" {
		c.IndexPrefix = "butler-"
	}
	if strings.ToLower(c.IndexPrefix) != c.IndexPrefix {
		errs = append(errs, fmt.Errorf("--index-prefix %q: Elasticsearch index names are lower case", c.IndexPrefix))
	}
	if c.Replicas < 0 {
		errs = append(errs, errors.New("--es-replicas must be 0 or more"))
	}
	if c.TokenKeyFile == "" {
		c.TokenKeyFile = filepath.Join(c.DataDir, "token.key")
	}
	if c.AuditKeyFile == "" {
		c.AuditKeyFile = filepath.Join(c.DataDir, "audit.key")
	}
	if c.DataKeyFile == "" {
		c.DataKeyFile = filepath.Join(c.DataDir, "data.key")
	}
	if c.AuditInterval == 0 {
		c.AuditInterval = time.Minute
	}
	if c.AuditInterval < 0 {
		errs = append(errs, errors.New("--audit-interval must be positive"))
	}
	if c.AuditEvery == 0 {
		c.AuditEvery = 10_000
	}
	if c.PolicyInterval == 0 {
		c.PolicyInterval = time.Minute
	}
	if c.PolicyInterval < 0 {
		errs = append(errs, errors.New("--policy-interval must be positive"))
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 15 * time.Second
	}
	if c.TimeZone == "" {
		c.TimeZone = DefaultTimeZone
	}
	if zone, err := time.LoadLocation(c.TimeZone); err != nil {
		errs = append(errs, fmt.Errorf("--timezone %q: not a time zone name: want an IANA name such as Asia/Shanghai or UTC", c.TimeZone))
	} else {
		c.zone = zone
	}
	if c.Clock == nil {
		c.Clock = WallClock{}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return errors.Join(errs...)
}
