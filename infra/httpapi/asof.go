package httpapi

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/projections"
)

// ?as_of=T answers a record, or a KPI, as it could be known at T: the read
// model's own fold, run again in memory over the events recorded until T
// (projections/asof.go). A read model whose document comes from one stream
// (projections.OneStream) reads that stream; any other folds the whole log
// up to T, which costs every event recorded until then, so those folds are
// bounded (Deps.LogFolds).

// asOfParam parses ?as_of= (see times.go).
func (s *server) asOfParam(c echo.Context) (time.Time, error) {
	at, err := timeParam("as_of", c.QueryParam("as_of"), s.d.Zone)
	if err != nil {
		return at, &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_query", Message: "some query parameters are invalid",
			Fields: map[string]string{"as_of": err.Error()}}
	}
	return at, nil
}

// asOf answers a collection's record as it stood at ?as_of=.
func (s *server) asOf(c echo.Context, col collection, id string) error {
	at, err := s.asOfParam(c)
	if err != nil {
		return err
	}
	doc, err := s.recordAsOf(c, col, id, at)
	if err != nil {
		return err
	}
	return s.answerDoc(c, col, doc, at)
}

// recordAsOf folds a collection's record as of at, scoped like the live
// detail: a record that does not exist, or not for the caller, is not
// found, and so is one that did not exist yet at at.
func (s *server) recordAsOf(c echo.Context, col collection, id string, at time.Time) (projections.Document, error) {
	p, ok := s.models[col.index]
	if !ok {
		return projections.Document{}, fmt.Errorf("as_of: no read model %s among the projections", col.index)
	}
	ctx := c.Request().Context()
	var doc projections.Document
	var err error
	if one, ok := p.(projections.OneStream); ok {
		all, rerr := s.readStream(c, one.StreamOf(id), col.index+" record "+id)
		if rerr != nil {
			return doc, rerr
		}
		doc, err = projections.StreamAsOf(ctx, one, id, all, at)
	} else {
		// The whole log is dear to fold: a record the live read model does
		// not have, or not for this caller, is answered without it.
		if _, lerr := s.liveDoc(c, col, id); lerr != nil {
			return doc, lerr
		}
		release, serr := s.foldSlot(c)
		if serr != nil {
			return doc, serr
		}
		defer release()
		var fold *projections.MemoryFold
		if fold, err = s.foldLog(c, p, at); err != nil {
			return doc, err
		}
		doc, err = fold.Get(p.Name(), id)
	}
	if errors.Is(err, projections.ErrNotFound) {
		return doc, apperr.Errorf(apperr.NotFound, "not_found", "%s record %s did not exist yet at %s", col.index, id, at.Format(time.RFC3339Nano))
	}
	if err != nil {
		return doc, err
	}
	return doc, inScope(c, col, id, doc)
}

// foldWait is how long a fold of the whole log waits for a free slot.
const foldWait = 2 * time.Second

// foldSlot takes one of the LogFolds slots for a fold of the whole log and
// the work on its result; when none frees within s.foldWait the answer is
// 503 with Retry-After.
func (s *server) foldSlot(c echo.Context) (release func(), err error) {
	ctx := c.Request().Context()
	wait := time.NewTimer(s.foldWait)
	defer wait.Stop()
	select {
	case s.folds <- struct{}{}:
		return func() { <-s.folds }, nil
	case <-ctx.Done():
		return nil, ended(ctx.Err())
	case <-wait.C:
		c.Response().Header().Set("Retry-After", "5")
		return nil, apperr.Errorf(apperr.Unavailable, "as_of_busy",
			"%d reads as of a moment are folding the event log already: retry in a few seconds", cap(s.folds))
	}
}

// foldLog folds the whole log up to at through read model p, in memory;
// the request's context ending stops it. The caller holds a foldSlot.
func (s *server) foldLog(c echo.Context, p projections.Projection, at time.Time) (*projections.MemoryFold, error) {
	start := time.Now()
	fold := projections.NewMemoryFold(p)
	n, err := projections.FoldLogUntil(c.Request().Context(), s.d.Events, at, fold)
	if err != nil {
		return nil, ended(err)
	}
	s.d.Logger.Info("folded the event log as of a moment", "read_model", p.Name(), "as_of", at, "events", n, "seconds", time.Since(start).Seconds())
	return fold, nil
}

// ended says so when err is the request's context ending (the client went
// away, or the server is shutting down).
func ended(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &apperr.Error{Kind: apperr.Unavailable, Code: "request_ended", Message: "the request ended before the event log was folded", Err: err}
	}
	return err
}

// kpiAsOf computes KPI k as it could be known at at: its read model folded
// from the events recorded until then, indexed in a scratch store in
// memory, and the KPI's own Compute run on it.
func (s *server) kpiAsOf(c echo.Context, k projections.KPI, f projections.KPIFilter, at time.Time) (projections.KPIResult, error) {
	p, ok := s.models[k.Index]
	if !ok {
		return projections.KPIResult{}, fmt.Errorf("kpi %s as_of: no read model %q among the projections", k.Name, k.Index)
	}
	release, err := s.foldSlot(c)
	if err != nil {
		return projections.KPIResult{}, err
	}
	defer release()
	fold, err := s.foldLog(c, p, at)
	if err != nil {
		return projections.KPIResult{}, err
	}
	ctx := c.Request().Context()
	scratch := s.d.Scratch()
	defer func() { _ = scratch.Close() }()
	// KPIs filter, sort and count, never search text.
	if err := fold.Store(ctx, scratch, false); err != nil {
		return projections.KPIResult{}, err
	}
	res, err := k.Compute(ctx, scratch, f)
	res.AsOf = at
	return res, err
}
