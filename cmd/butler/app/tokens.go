package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/token"
	"github.com/butler-pm/butler/infra/auth"
	"github.com/butler-pm/butler/infra/eventstore"
	"github.com/butler-pm/butler/projections"
)

// loadRevocations reads every revocation recorded so far into a set and
// returns the position of $all they were read at: following $all after it
// adds the ones recorded later, so none is missed.
func loadRevocations(ctx context.Context, store eventstore.Store) (*auth.Revocations, event.Position, error) {
	set := auth.NewRevocations()
	head, err := store.ReadAll(ctx, event.End, event.Backward, 1)
	if err != nil {
		return nil, 0, fmt.Errorf("reading the head of $all: %w", err)
	}
	var at event.Position
	if len(head) > 0 {
		at = head[0].Position
	}
	all, err := event.ReadStreamWhole(ctx, store, token.Stream, 1000)
	if err != nil && !errors.Is(err, event.ErrStreamNotFound) {
		return nil, 0, fmt.Errorf("reading %s: %w", token.Stream, err)
	}
	for _, e := range all {
		addRevocation(set, e)
	}
	return set, at, nil
}

func addRevocation(set *auth.Revocations, e event.Recorded) {
	if e.Stream != token.Stream {
		return
	}
	if p, err := token.Decode(e.Type, e.Data); err == nil {
		set.Add(p.(token.Revoked).TokenID)
	}
}

// followRevocations applies the revocations recorded after position at,
// by any server, as this server's hub sees them (within milliseconds).
func (a *App) followRevocations(ctx context.Context, set *auth.Revocations, at event.Position) {
	for ctx.Err() == nil {
		sub, err := a.hub.SubscribeAll(ctx, at)
		if err != nil {
			a.logger.Warn("following token revocations", "err", err)
			if !sleepCtx(ctx, time.Second) {
				return
			}
			continue
		}
		for {
			e, err := sub.Next(ctx)
			if err != nil {
				_ = sub.Close()
				if ctx.Err() == nil {
					a.logger.Warn("following token revocations; resubscribing", "err", err)
					sleepCtx(ctx, time.Second)
				}
				break
			}
			addRevocation(set, e)
			at = e.Position
		}
	}
}

// registerInForce answers whether a project's staff register is in force
// (it has an onboarded member: commands.OnDuty), from the register's read
// model; a project once in force stays so, and is remembered.
type registerInForce struct {
	search projections.SearchStore
	known  sync.Map // project → struct{}
}

func (r *registerInForce) InForce(ctx context.Context, project string) (bool, error) {
	if _, ok := r.known.Load(project); ok {
		return true, nil
	}
	res, err := r.search.Search(ctx, projections.StaffIndex, projections.Query{
		Terms: map[string][]string{"project": {project}, "onboarded": {"true"}}, Size: 1})
	if err != nil {
		return false, err
	}
	if res.Total > 0 {
		r.known.Store(project, struct{}{})
	}
	return res.Total > 0, nil
}

// onDuty is the R-S2 check of writers (commands.OnDuty) on this program's
// stores.
func (a *App) onDuty() func(ctx context.Context, p commands.Principal) error {
	check := commands.NewOnDuty(a.streams, (&registerInForce{search: a.search}).InForce).Recording(a.cfg.Clock, nil)
	return check.Check
}

// SignInTTL is how long a token from the console's sign-in is valid (at
// most --token-max-ttl): a working day and a half, so one sign-in lasts a
// shift.
const SignInTTL = 12 * time.Hour

// signInTokens issues sign-in tokens with the server's issuer.
type signInTokens struct {
	issuer *auth.Issuer
	ttl    time.Duration
}

func (t signInTokens) IssueToken(p commands.Principal) (string, string, time.Time, error) {
	tok, err := t.issuer.Issue(p, t.ttl)
	if err != nil {
		return "", "", time.Time{}, err
	}
	c, err := t.issuer.Inspect(tok)
	return tok, c.ID, c.Expires, err
}
