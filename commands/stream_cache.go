package commands

import (
	"container/list"
	"context"
	"errors"
	"reflect"
	"sync"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// CachedStreams returns store with its streams' events kept in memory
// between commands, up to about maxEvents events (the streams read least
// recently are forgotten first). A command reads its aggregate's whole
// stream; the long ones are read by almost every command (a staff
// member's stream, by the duty check of each of their writes), and the
// profile of a saturated server showed a seventh of its CPU in those
// reads. With the cache a read asks the store only for the events after
// the ones it holds, so events appended by another server are still seen:
// the store stays the truth, and events, once written, never change.
//
// It keeps events' decoded payloads too (up to maxEvents of them), those
// whose type holds no slice, map or pointer (flatPayload): such a payload is
// copied whole wherever it goes, so one decoded value can serve every
// command that folds its stream. A command folding a long stream decoded
// every event of it each time: half of the demo generator's CPU.
func CachedStreams(store EventStore, maxEvents int) EventStore {
	return &streamCache{EventStore: store, max: maxEvents, streams: map[string]*list.Element{}, lru: list.New(),
		decoded: map[decodedKey]event.Payload{}}
}

type streamCache struct {
	EventStore
	max     int
	mu      sync.Mutex
	streams map[string]*list.Element // of *cachedStream
	lru     *list.List               // most recently read first
	held    int                      // events held
	// decoded holds flat payloads by the event (its stream, revision and
	// id: an EventStoreDB older than 22 reports no position on stream
	// reads) and decoder; emptied when full.
	decoded map[decodedKey]event.Payload
}

type decodedKey struct {
	stream   string
	revision uint64
	id       string
	decoder  uintptr
}

// decode returns r's payload as decode gives it, from memory when a flat
// payload of r was decoded before. A decoder is known by its code
// pointer: it must be a pure function of the event, as every module's
// package-level Decode is; two closures of one function literal that
// captured different state would be taken for one decoder.
func (c *streamCache) decode(r event.Recorded, decode func(string, []byte) (event.Payload, error)) (event.Payload, error) {
	key := decodedKey{r.Stream, r.Revision, r.ID, reflect.ValueOf(decode).Pointer()}
	c.mu.Lock()
	p, ok := c.decoded[key]
	c.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := decode(r.Type, r.Data)
	if err != nil || !flatPayload(reflect.TypeOf(p)) {
		return p, err
	}
	c.mu.Lock()
	if len(c.decoded) >= c.max {
		clear(c.decoded)
	}
	c.decoded[key] = p
	c.mu.Unlock()
	return p, nil
}

// flatTypes memoises flatPayload.
var flatTypes sync.Map // reflect.Type → bool

var timeType = reflect.TypeFor[time.Time]()

// flatPayload reports whether values of t share nothing mutable when
// copied: no slice, map, pointer, interface, channel or function inside
// (time.Time's location is never changed).
func flatPayload(t reflect.Type) bool {
	if t == nil {
		return false
	}
	if v, ok := flatTypes.Load(t); ok {
		return v.(bool)
	}
	var flat func(t reflect.Type) bool
	flat = func(t reflect.Type) bool {
		if t == timeType {
			return true
		}
		switch t.Kind() {
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
			reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
			return true
		case reflect.Array:
			return flat(t.Elem())
		case reflect.Struct:
			for i := range t.NumField() {
				if !flat(t.Field(i).Type) {
					return false
				}
			}
			return true
		}
		return false
	}
	f := flat(t)
	flatTypes.Store(t, f)
	return f
}

type cachedStream struct {
	name string
	// events are the stream's first events, revisions 0 to len-1.
	events []event.Recorded
}

// ReadStream serves a forward read from memory as far as it can and asks
// the store for the rest. Backward reads go to the store.
func (c *streamCache) ReadStream(ctx context.Context, stream string, from uint64, dir event.Direction, max int) ([]event.Recorded, error) {
	if dir != event.Forward || max <= 0 {
		return c.EventStore.ReadStream(ctx, stream, from, dir, max)
	}
	held := c.get(stream)
	n := uint64(len(held))
	if from+uint64(max) <= n {
		return held[from : from+uint64(max) : from+uint64(max)], nil
	}
	if from > n {
		// Past what is held: nothing to join with.
		return c.EventStore.ReadStream(ctx, stream, from, dir, max)
	}
	tail, err := c.EventStore.ReadStream(ctx, stream, n, dir, int(from+uint64(max)-n))
	if errors.Is(err, event.ErrStreamNotFound) && n > 0 {
		// Deleted since it was read (an EventStoreDB operator can): forget it.
		c.forget(stream)
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if len(tail) > 0 && tail[0].Revision != n {
		// Not the continuation of what is held: trust the store alone.
		c.forget(stream)
		return tail, nil
	}
	all := c.extend(stream, held, tail)
	return all[from:len(all):len(all)], nil
}

// extend appends tail to what the cache holds of stream when that is still
// held (the events before tail), in place: the readers' slices end where
// their events end, so they never see what is appended after them, and a
// long stream read after each of its appends is not copied whole each
// time. It returns held followed by tail.
func (c *streamCache) extend(stream string, held, tail []event.Recorded) []event.Recorded {
	if len(tail) == 0 {
		return held
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.streams[stream]
	if !ok {
		if len(held)+len(tail) > c.max {
			return append(held[:len(held):len(held)], tail...)
		}
		events := append(append(make([]event.Recorded, 0, len(held)+len(tail)), held...), tail...)
		c.streams[stream] = c.lru.PushFront(&cachedStream{name: stream, events: events})
		c.held += len(events)
		c.evict()
		return events
	}
	s := el.Value.(*cachedStream)
	if len(s.events) != len(held) {
		// Another reader extended it meanwhile: leave it, answer this one.
		return append(held[:len(held):len(held)], tail...)
	}
	s.events = append(s.events, tail...)
	c.held += len(tail)
	c.lru.MoveToFront(el)
	events := s.events
	c.evict()
	return events
}

func (c *streamCache) get(stream string) []event.Recorded {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.streams[stream]
	if !ok {
		return nil
	}
	c.lru.MoveToFront(el)
	return el.Value.(*cachedStream).events
}

// evict forgets the streams read least recently until the events held fit
// (under mu).
func (c *streamCache) evict() {
	for c.held > c.max && c.lru.Len() > 0 {
		old := c.lru.Remove(c.lru.Back()).(*cachedStream)
		delete(c.streams, old.name)
		c.held -= len(old.events)
	}
}

func (c *streamCache) forget(stream string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.streams[stream]; ok {
		c.held -= len(c.lru.Remove(el).(*cachedStream).events)
		delete(c.streams, stream)
	}
}
