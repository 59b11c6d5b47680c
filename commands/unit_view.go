package commands

import (
	"context"
	"errors"
	"reflect"
	"sync"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/unit"
)

// registerViews keeps districts' registers decoded for reading: a
// district's register is one large registration (up to unit.MaxBatch units
// an event), and every visit asks it whether the household is a key client
// (R-H7), every plan counts its households (R-H1). Decoding it for each
// would cost more than the visit itself; a register is decoded again only
// when its stream has a new event.
var registerViews = struct {
	sync.Mutex
	m map[registerViewKey]*unit.Register
}{m: map[registerViewKey]*unit.Register{}}

// registerViewKey names a register's state: its store, its stream and the
// id of its last event.
type registerViewKey struct {
	store      EventStore
	stream, id string
}

// registerViewsMax bounds the views kept (a few per district in use).
const registerViewsMax = 256

// unitRegisterView is a district's register for reading only: the caller
// must not change it (it is shared). Its state is the stream's latest, as
// unitRegister's; a store that cannot read a stream backward gets
// unitRegister's own.
func (d handlerDeps) unitRegisterView(ctx context.Context, project, district string) (*unit.Register, error) {
	stream := unit.Stream(project, district)
	last, err := d.store.ReadStream(ctx, stream, event.StreamEnd, event.Backward, 1)
	if errors.Is(err, event.ErrStreamNotFound) {
		return unit.New(project, district), nil
	}
	if err != nil || len(last) != 1 || !reflect.TypeOf(d.store).Comparable() {
		r, _, _, err := d.unitRegister(ctx, project, district)
		return r, err
	}
	key := registerViewKey{store: d.store, stream: stream, id: last[0].ID}
	registerViews.Lock()
	r, ok := registerViews.m[key]
	registerViews.Unlock()
	if ok {
		return r, nil
	}
	r, _, rev, err := d.unitRegister(ctx, project, district)
	if err != nil {
		return nil, err
	}
	if rev == last[0].Revision { // not a newer state than the key names
		registerViews.Lock()
		if len(registerViews.m) >= registerViewsMax {
			clear(registerViews.m)
		}
		registerViews.m[key] = r
		registerViews.Unlock()
	}
	return r, nil
}
