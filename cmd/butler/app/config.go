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
	"github.com/butler-pm/butler/infra/auth"
	"github.com/butler-pm/butler/infra/httpapi"
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
	// SynonymsDir holds each project's search synonyms, <project>.txt,
	// beside Butler's own list (default DataDir/synonyms).
	SynonymsDir string
	// BackupDir is where POST /api/v1/admin/backups writes backups
	// (default DataDir/backups; put it on another disk).
	BackupDir string
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
	// ColdReplayMin is the log length from which read models that start
	// from nothing (a new or deleted embedded index) are replayed in bulk
	// before they go live (default 5,000 events).
	ColdReplayMin uint64
	// CompactAtStart compacts every read model's embedded index in the
	// background once the server is up (projections.CompactAll), while it
	// answers: serve --demo sets it after folding the read models in large
	// batches beside the generation, so the demo is ready that much sooner.
	CompactAtStart bool
	// PolicyInterval is how often time policies look for overdue work (default 1 min).
	PolicyInterval time.Duration
	// ShutdownTimeout bounds the drain on Close (default 15 s).
	ShutdownTimeout time.Duration
	// TimeZone is the project's time zone, an IANA name (default
	// Asia/Shanghai): a date alone in a query (as_of, from, to) is a day
	// there.
	TimeZone string
	// ReadTimeout bounds reading a whole request, body included (default
	// 30 s: a client sending its body a byte at a time is cut off);
	// WriteTimeout bounds writing an answer (default 60 s; an audit export
	// gets 10 minutes); IdleTimeout closes a keep-alive connection left
	// idle (default 60 s); MaxHeaderBytes bounds a request's headers
	// (default 64 KiB; larger: 431).
	ReadTimeout    time.Duration
	WriteTimeout   time.Duration
	IdleTimeout    time.Duration
	MaxHeaderBytes int
	// Limits bound searches at once and each client's request rate (see
	// httpapi.Limits: zero takes the defaults, a negative rate turns that
	// limit off).
	Limits httpapi.Limits
	// TokenMaxTTL is the longest lifetime a token may claim (default 30
	// days); a longer one is refused.
	TokenMaxTTL time.Duration
	// Clock is the time source of commands and policies (default: the wall clock).
	Clock  commands.Clock
	Logger *slog.Logger

	// zone is TimeZone, loaded by Validate.
	zone *time.Location
}

// DefaultTimeZone is the projects' time zone unless --timezone says otherwise.
const DefaultTimeZone = "Asia/Shanghai"

// WallClock is the real clock, read in the projects' time zone (Loc; nil
// is UTC): the times commands stamp on events carry the zone's offset, so
// a record's day and month are the project's, not UTC's (a complaint at
// 01:30 on 1 November in Shanghai is November's).
type WallClock struct{ Loc *time.Location }

func (c WallClock) Now() time.Time {
	if c.Loc == nil {
		return time.Now().UTC()
	}
	return time.Now().In(c.Loc)
}

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
	if c.ColdReplayMin == 0 {
		c.ColdReplayMin = 5000
	}
	if c.SynonymsDir == "" {
		c.SynonymsDir = filepath.Join(c.DataDir, "synonyms")
	}
	if c.BackupDir == "" {
		c.BackupDir = filepath.Join(c.DataDir, "backups")
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
	if c.ReadTimeout == 0 {
		c.ReadTimeout = 30 * time.Second
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = 60 * time.Second
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = 60 * time.Second
	}
	if c.MaxHeaderBytes == 0 {
		c.MaxHeaderBytes = 64 << 10
	}
	if c.ReadTimeout < 0 || c.WriteTimeout < 0 || c.IdleTimeout < 0 {
		errs = append(errs, errors.New("--read-timeout, --write-timeout and --idle-timeout must be positive"))
	}
	if c.MaxHeaderBytes < 4<<10 {
		errs = append(errs, fmt.Errorf("--max-header-bytes %d: at least 4096", c.MaxHeaderBytes))
	}
	if c.Limits.Searches < 0 {
		errs = append(errs, errors.New("--max-searches must be positive"))
	}
	if c.TokenMaxTTL == 0 {
		c.TokenMaxTTL = auth.DefaultMaxTTL
	}
	if c.TokenMaxTTL < 0 {
		errs = append(errs, errors.New("--token-max-ttl must be positive"))
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
		c.Clock = WallClock{Loc: c.zone}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return errors.Join(errs...)
}
