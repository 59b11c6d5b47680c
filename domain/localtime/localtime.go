// Package localtime is the projects' calendar: the day, month and week an
// instant falls in, in the project's time zone (default Asia/Shanghai,
// `--timezone`), whatever zone the instant was stamped in. A complaint
// registered at 01:30 on 1 November in China is November's even when its
// event time reads 17:30 UTC on 31 October.
//
// Every month or date a read model or an aggregate derives from an event
// time goes through Month or Day, so the calendar is decided in one place.
package localtime

import (
	"sync/atomic"
	"time"
)

// DefaultZone is the zone until SetZone says otherwise: Asia/Shanghai, or
// its fixed offset (UTC+8, no daylight saving since 1991) when the zone
// database is missing.
var DefaultZone = func() *time.Location {
	if z, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return z
	}
	return time.FixedZone("CST", 8*3600)
}()

var zone atomic.Pointer[time.Location]

func init() { zone.Store(DefaultZone) }

// SetZone sets the projects' zone (the composition root, from --timezone);
// nil restores DefaultZone.
func SetZone(z *time.Location) {
	if z == nil {
		z = DefaultZone
	}
	zone.Store(z)
}

// Zone is the projects' zone.
func Zone() *time.Location { return zone.Load() }

// In is t in the projects' zone.
func In(t time.Time) time.Time { return t.In(Zone()) }

// Month is t's calendar month, YYYY-MM, in the projects' zone.
func Month(t time.Time) string { return In(t).Format("2006-01") }

// Day is t's calendar day, YYYY-MM-DD, in the projects' zone.
func Day(t time.Time) string { return In(t).Format(time.DateOnly) }
