package httpapi

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"github.com/butler-pm/butler/domain/apperr"
)

// Limits bound what one client, or all of them together, can make the
// server do. Zero values take the defaults; the composition root fills
// them from the serve flags.
type Limits struct {
	// Searches bounds the list searches running at once (default 4): a
	// full-text search with facets over a large read model takes memory in
	// proportion to the read model, and 16 at once took a demo server past
	// 1.8 GB. Another search waits SearchWait (default 1 s), then gets 503
	// search_busy with Retry-After.
	Searches   int
	SearchWait time.Duration
	// AddressRate and TokenRate are the requests per second one client
	// address and one bearer token may send, on average; each may send a
	// burst of twice as many at once (at least 1). Zero takes the default
	// (100 per address, 50 per token); a negative rate turns the limit off.
	AddressRate float64
	TokenRate   float64
}

// Default limits.
const (
	DefaultSearches    = 4
	DefaultSearchWait  = time.Second
	DefaultAddressRate = 100
	DefaultTokenRate   = 50
)

func (l Limits) withDefaults() Limits {
	if l.Searches <= 0 {
		l.Searches = DefaultSearches
	}
	if l.SearchWait <= 0 {
		l.SearchWait = DefaultSearchWait
	}
	if l.AddressRate == 0 {
		l.AddressRate = DefaultAddressRate
	}
	if l.TokenRate == 0 {
		l.TokenRate = DefaultTokenRate
	}
	return l
}

// FailedSignInRate is how many requests with a bad token one address may
// send a second on average (bursts of twice that): past it the answer is
// 429 rather than 401, so tokens cannot be tried at the request rate. It is
// off when the per-address limit is.
const FailedSignInRate = 5

// MaxQueryText is the longest full-text query (q), in characters.
const MaxQueryText = 256

// limiters keeps one token bucket per key (a client address, a token).
// Buckets idle for a while are dropped, and the map is bounded: a flood of
// new keys empties it rather than growing without end (a dropped bucket
// starts full again, which only forgives a client that went quiet).
type limiters struct {
	what  string // "address" or "token", for the problem's detail
	limit rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	l    *rate.Limiter
	seen time.Time
}

// maxBuckets bounds a limiter map (about 10 MB at most).
const maxBuckets = 100_000

// bucketIdle is how long an unused bucket is kept: long enough for any
// bucket to have refilled, so dropping it forgives nothing.
const bucketIdle = 5 * time.Minute

func newLimiters(what string, perSecond float64) *limiters {
	if perSecond < 0 {
		return nil
	}
	return &limiters{what: what, limit: rate.Limit(perSecond), burst: max(1, int(2*perSecond)), buckets: map[string]*bucket{}}
}

// allow takes one request from key's bucket; when it is empty it returns
// a 429 problem with Retry-After, the seconds until the next request
// would be allowed.
func (ls *limiters) allow(c echo.Context, key string) error {
	if ls == nil {
		return nil
	}
	now := time.Now()
	ls.mu.Lock()
	if now.Sub(ls.swept) > time.Minute {
		for k, b := range ls.buckets {
			if now.Sub(b.seen) > bucketIdle {
				delete(ls.buckets, k)
			}
		}
		ls.swept = now
	}
	b, ok := ls.buckets[key]
	if !ok {
		if len(ls.buckets) >= maxBuckets {
			clear(ls.buckets)
		}
		b = &bucket{l: rate.NewLimiter(ls.limit, ls.burst)}
		ls.buckets[key] = b
	}
	b.seen = now
	r := b.l.ReserveN(now, 1)
	delay := r.DelayFrom(now)
	if delay > 0 {
		r.CancelAt(now) // a refused request uses nothing up
	}
	ls.mu.Unlock()
	if delay <= 0 {
		return nil
	}
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(delay/time.Second)+1))
	return apperr.Errorf(apperr.TooManyRequests, "rate_limited",
		"too many requests from this %s: at most %g a second on average (bursts of %d); retry after the seconds in Retry-After",
		ls.what, float64(ls.limit), ls.burst)
}

// limitAddress applies the per-address limit to every request, before
// authentication: a client sending bad tokens is slowed down too. The
// address is the connection's peer (never X-Forwarded-For, which the
// client writes): behind a proxy every client shares the proxy's address.
func limitAddress(ls *limiters) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := ls.allow(c, addressOf(c)); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// addressOf is the connection's peer address.
func addressOf(c echo.Context) string {
	host, _, err := net.SplitHostPort(c.Request().RemoteAddr)
	if err != nil {
		return c.Request().RemoteAddr
	}
	return host
}

// limitToken applies the per-token limit once the token is verified.
func limitToken(ls *limiters) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if tok, _ := c.Get(tokenKey).(string); tok != "" {
				if err := ls.allow(c, tok); err != nil {
					return err
				}
			}
			return next(c)
		}
	}
}

// searchSlot waits up to the configured time for one of the search slots;
// release gives it back.
func (s *server) searchSlot(c echo.Context) (release func(), err error) {
	select {
	case s.searches <- struct{}{}:
		return func() { <-s.searches }, nil
	default:
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), s.limits.SearchWait)
	defer cancel()
	select {
	case s.searches <- struct{}{}:
		return func() { <-s.searches }, nil
	case <-ctx.Done():
		c.Response().Header().Set("Retry-After", "1")
		return nil, apperr.Errorf(apperr.Unavailable, "search_busy",
			"%d searches are running already: retry after the seconds in Retry-After", cap(s.searches))
	}
}

// MaxCorrelationID is the longest X-Correlation-ID accepted.
const MaxCorrelationID = 128

// validCorrelationID reports whether v may be an X-Correlation-ID: 1 to
// 128 characters of A-Z a-z 0-9 . _ : - (it is stored with every event the
// request records, and shown in histories and logs).
func validCorrelationID(v string) bool {
	if v == "" || len(v) > MaxCorrelationID {
		return false
	}
	for i := 0; i < len(v); i++ {
		b := v[i]
		switch {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', b == '.', b == '_', b == ':', b == '-':
		default:
			return false
		}
	}
	return true
}

// checkCorrelationID refuses a malformed X-Correlation-ID before anything
// else reads it.
func checkCorrelationID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if vs, ok := c.Request().Header[http.CanonicalHeaderKey("X-Correlation-ID")]; ok {
			if len(vs) != 1 || !validCorrelationID(vs[0]) {
				return &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_correlation_id",
					Message: "X-Correlation-ID must be one value of 1 to 128 characters of A-Z a-z 0-9 . _ : -",
					Fields:  map[string]string{"X-Correlation-ID": "1 to 128 characters of A-Z a-z 0-9 . _ : -"}}
			}
		}
		return next(c)
	}
}
