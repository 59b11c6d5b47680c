package event

import "context"

// StreamReader reads a stream a page at a time, as every event store does.
type StreamReader interface {
	ReadStream(ctx context.Context, stream string, from uint64, dir Direction, max int) ([]Recorded, error)
}

// ReadStreamWhole reads a whole stream (not $all: that is the store's ReadAll), oldest first, page events at a time. A
// stream without events is ErrStreamNotFound, however the store says so;
// other errors come back as the store returned them.
func ReadStreamWhole(ctx context.Context, r StreamReader, stream string, page int) ([]Recorded, error) {
	var all []Recorded
	for from := uint64(0); ; {
		recs, err := r.ReadStream(ctx, stream, from, Forward, page)
		if err != nil {
			return nil, err
		}
		all = append(all, recs...)
		if len(recs) < page {
			break
		}
		from = recs[len(recs)-1].Revision + 1
	}
	if len(all) == 0 {
		return nil, ErrStreamNotFound
	}
	return all, nil
}

// LogReader reads the global log ($all) a page at a time.
type LogReader interface {
	ReadAll(ctx context.Context, from Position, dir Direction, max int) ([]Recorded, error)
}

// ScanAll reads $all forward after position from, page events at a time,
// handing each page to fn in order, to the end of the log as it stands.
func ScanAll(ctx context.Context, r LogReader, from Position, page int, fn func([]Recorded) error) error {
	for {
		recs, err := r.ReadAll(ctx, from, Forward, page)
		if err != nil {
			return err
		}
		if len(recs) > 0 {
			if err := fn(recs); err != nil {
				return err
			}
			from = recs[len(recs)-1].Position
		}
		if len(recs) < page {
			return nil
		}
	}
}
