package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
)

// Result is what a command handler returns: the aggregate's id and its
// stream revision after the append (the value a later If-Match carries).
type Result struct {
	ID       string `json:"id"`
	Revision uint64 `json:"revision"`
}

// PolicyResult is what a policy command returns: Recorded says whether an
// event was appended (policies are idempotent, so a repeat records none).
type PolicyResult struct {
	Result
	Recorded bool `json:"recorded"`
}

// IDGenerator makes aggregate, event and correlation ids.
type IDGenerator func() (string, error)

// NewUUIDv7 is the production IDGenerator: time-ordered UUIDv7 strings.
func NewUUIDv7() (string, error) {
	u, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("new uuid: %w", err)
	}
	return u.String(), nil
}

// handlerDeps is what every handler in this package is built with.
type handlerDeps struct {
	store EventStore
	clock Clock
	ids   IDGenerator
	// keys seals owners' personal data into households (R-D3).
	keys PersonalKeys
}

func newHandlerDeps(store EventStore, clock Clock, ids IDGenerator) handlerDeps {
	if ids == nil {
		ids = NewUUIDv7
	}
	return handlerDeps{store: store, clock: clock, ids: ids}
}

// aggregateState is what the shared update path needs from an aggregate.
type aggregateState interface {
	Project() string
	District() string
	Changes() []event.Payload
}

// streamHistory is a stream read back and decoded.
type streamHistory struct {
	payloads []event.Payload
	revision uint64 // last revision; meaningful when exists
	exists   bool
	// last is the stream's latest event: the state a time rule judged,
	// and so the cause of what the rule records.
	last eventRef
}

// eventRef names an event as the cause of others: its id and the
// correlation id of its chain.
type eventRef struct{ id, correlationID string }

func refOf(e event.Recorded) eventRef {
	return eventRef{id: e.ID, correlationID: e.Meta.CorrelationID}
}

// chain is an event's correlation and causation ids (see Meta).
type chain struct{ correlationID, causationID string }

// readPage bounds one read; a stream longer than this is read in pages.
const readPage = 512

func (d handlerDeps) readHistory(ctx context.Context, stream string, decode func(string, []byte) (event.Payload, error)) (streamHistory, error) {
	var h streamHistory
	recs, err := event.ReadStreamWhole(ctx, d.store, stream, readPage)
	if errors.Is(err, event.ErrStreamNotFound) {
		return h, nil
	}
	if errors.Is(err, event.ErrUnavailable) {
		return h, &apperr.Error{Kind: apperr.Unavailable, Code: "event_store_unavailable",
			Message: "the event store could not be reached; nothing was recorded, try again shortly", Err: err}
	}
	if err != nil {
		return h, fmt.Errorf("read %s: %w", stream, err)
	}
	cache, _ := d.store.(*streamCache)
	for _, r := range recs {
		var p event.Payload
		if cache != nil {
			p, err = cache.decode(r, decode)
		} else {
			p, err = decode(r.Type, r.Data)
		}
		if err != nil {
			return h, fmt.Errorf("read %s revision %d: %w", stream, r.Revision, err)
		}
		h.payloads = append(h.payloads, p)
		h.revision, h.exists, h.last = r.Revision, true, refOf(r)
	}
	return h, nil
}

// update is the path of every command on an existing aggregate: role,
// load, scope, If-Match, one domain method, append at the loaded revision.
func update[A aggregateState](ctx context.Context, d handlerDeps, m Meta, id, stream string, roles []string,
	decode func(string, []byte) (event.Payload, error), rebuild func([]event.Payload) (A, error),
	codes map[error]string, act func(a A, now time.Time) error) (Result, error) {
	if err := requireRole(m.Principal, roles...); err != nil {
		return Result{}, err
	}
	h, err := d.readHistory(ctx, stream, decode)
	if err != nil {
		return Result{}, err
	}
	if !h.exists {
		return Result{}, notFound(stream)
	}
	a, err := rebuild(h.payloads)
	if err != nil {
		return Result{}, fmt.Errorf("rebuild %s: %w", stream, err)
	}
	if !m.Principal.CanAct(a.Project(), a.District()) {
		return Result{}, forbiddenScope()
	}
	if err := checkIfMatch(m, h.revision); err != nil {
		return Result{}, err
	}
	now := d.clock.Now()
	if err := act(a, now); err != nil {
		return Result{}, domainError(err, codes)
	}
	rev, err := d.appendChanges(ctx, stream, event.Exact(h.revision), m.Principal.Actor(), a.Project(), a.District(), m.chain(), now, a.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

// changer is what a new aggregate gives the create path: its events.
type changer interface{ Changes() []event.Payload }

// newRecord is what a creating command's domain constructor is given: the
// new record's id, the project and district it belongs to, and the time.
type newRecord struct {
	ID, Project, District string
	Now                   time.Time
}

// createRecord is the path of every command that starts a record, after
// the handler checked the caller's role and the input: the caller's project
// and district (registrationScope, with the district the caller named), a
// new id, one domain constructor, and an append to a stream that must not
// exist yet.
func createRecord(ctx context.Context, d handlerDeps, m Meta, district string, stream func(id string) string,
	codes map[error]string, open func(r newRecord) (changer, error)) (Result, error) {
	return createOwnedRecord(ctx, d, m, district, owner{}, stream, codes, open)
}

// owner is the owner a new record names, recorded in the unit's household
// (sealed, R-D3) rather than in the record; zero: the record names none.
type owner struct {
	unit, name string
	phones     []string
}

// createOwnedRecord is createRecord for a record that names its unit's
// owner: the contact goes to the household (recordContact) between the
// scope and the record, the scope decided once for both.
func createOwnedRecord(ctx context.Context, d handlerDeps, m Meta, district string, o owner, stream func(id string) string,
	codes map[error]string, open func(r newRecord) (changer, error)) (Result, error) {
	project, district, err := d.registrationScope(ctx, m.Principal, district)
	if err != nil {
		return Result{}, err
	}
	if o.unit != "" {
		if err := d.recordContact(ctx, m, project, district, o.unit, o.name, o.phones...); err != nil {
			return Result{}, err
		}
	}
	id, err := d.ids()
	if err != nil {
		return Result{}, err
	}
	now := d.clock.Now()
	a, err := open(newRecord{ID: id, Project: project, District: district, Now: now})
	if err != nil {
		return Result{}, domainError(err, codes)
	}
	rev, err := d.appendChanges(ctx, stream(id), event.NoStream(), m.Principal.Actor(), project, district, m.chain(), now, a.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

// appendChanges wraps payloads in envelopes and appends them; a lost race
// is a conflict for the caller to resolve, never retried here. Without a
// correlation id the command starts a new chain; without a causation id
// it was caused by a request (or the clock), named by the correlation id.
func (d handlerDeps) appendChanges(ctx context.Context, stream string, expected event.ExpectedRevision, actor event.Actor,
	project, district string, c chain, now time.Time, changes []event.Payload) (uint64, error) {
	if c.correlationID == "" {
		id, err := d.ids()
		if err != nil {
			return 0, err
		}
		c.correlationID = id
	}
	if c.causationID == "" {
		c.causationID = c.correlationID
	}
	events := make([]event.Event, 0, len(changes))
	for _, p := range changes {
		id, err := d.ids()
		if err != nil {
			return 0, err
		}
		data, err := json.Marshal(p)
		if err != nil {
			return 0, fmt.Errorf("encode %s: %w", p.EventType(), err)
		}
		events = append(events, event.Event{ID: id, Type: p.EventType(), Data: data, Meta: event.Metadata{
			Actor: actor, Project: project, District: district, OccurredAt: now,
			CorrelationID: c.correlationID, CausationID: c.causationID,
		}})
	}
	res, err := d.store.Append(ctx, stream, expected, events...)
	if errors.Is(err, event.ErrConflict) {
		return 0, &apperr.Error{Kind: apperr.Conflict, Code: "conflict", Message: "the record changed while the command ran; reload and try again", Err: err}
	}
	if errors.Is(err, event.ErrStorage) {
		// The disk refused the write (full or failing): the caller is told
		// plainly that nothing was recorded, with a status (507) that says so.
		return 0, &apperr.Error{Kind: apperr.StorageFull, Code: "storage_full",
			Message: "the event store could not write to disk (disk full or failing); nothing was recorded, try again when space is freed", Err: err}
	}
	if errors.Is(err, event.ErrUnavailable) {
		return 0, &apperr.Error{Kind: apperr.Unavailable, Code: "event_store_unavailable",
			Message: "the event store could not be reached; the command may or may not have been recorded: read the record's history before sending it again", Err: err}
	}
	if err != nil {
		return 0, fmt.Errorf("append %s: %w", stream, err)
	}
	return res.NextRevision, nil
}

func checkIfMatch(m Meta, current uint64) error {
	if m.IfMatch != nil && *m.IfMatch != current {
		return apperr.Errorf(apperr.PreconditionFailed, "precondition_failed", "the record is at revision %d, not %d", current, *m.IfMatch)
	}
	return nil
}

func requireRole(p Principal, roles ...string) error {
	if !p.HasRole(roles...) {
		return apperr.Errorf(apperr.Forbidden, "forbidden_role", "role %q may not do this; allowed: %s", p.Role, strings.Join(roles, ", "))
	}
	return nil
}

func forbiddenScope() *apperr.Error {
	return apperr.Errorf(apperr.Forbidden, "forbidden_scope", "the record belongs to another project or district")
}

// registrationScope decides the project and district a new record gets:
// the principal's own; a project-wide principal names the district (see
// districtField), which must be well formed and, once the project has a
// district register, one of it; a district principal may only name its own.
func (d handlerDeps) registrationScope(ctx context.Context, p Principal, district string) (string, string, error) {
	district = strings.TrimSpace(district)
	if p.ProjectWide() {
		if err := d.checkDistrict(ctx, p.Project, district); err != nil {
			return "", "", err
		}
		return p.Project, district, nil
	}
	if district != "" && district != p.District {
		return "", "", forbiddenScope()
	}
	return p.Project, p.District, nil
}

// districtField adds "district" to the bad fields when a project-wide
// principal registers a record without saying which district it is in.
func districtField(p Principal, district string, bad map[string]string) map[string]string {
	if p.ProjectWide() && strings.TrimSpace(district) == "" {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["district"] = "required when the caller acts for the whole project"
	}
	return bad
}

// domainError maps a refused rule to an invalid-request error with a
// stable code; anything else is internal.
func domainError(err error, codes map[error]string) error {
	var appErr *apperr.Error
	if errors.As(err, &appErr) {
		return err
	}
	for target, code := range codes {
		if errors.Is(err, target) {
			return &apperr.Error{Kind: apperr.Unprocessable, Code: code, Message: err.Error(), Err: err}
		}
	}
	return err
}

// missing lists the blank ones among named required fields.
func missing(fields ...string) map[string]string {
	var bad map[string]string
	for i := 0; i+1 < len(fields); i += 2 {
		if strings.TrimSpace(fields[i+1]) == "" {
			if bad == nil {
				bad = map[string]string{}
			}
			bad[fields[i]] = "required"
		}
	}
	return bad
}

// parseInstant reads an RFC 3339 time, or a date (YYYY-MM-DD) meaning the
// end of that day in loc: "expected by the 5th" means by the 5th's end.
func parseInstant(s string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if d, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return d.AddDate(0, 0, 1).Add(-time.Second), true
	}
	return time.Time{}, false
}
