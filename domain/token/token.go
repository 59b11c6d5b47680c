// Package token is the revocation of bearer tokens: a project manager
// revokes a token by its id (the JWT's jti) and every server refuses it
// from then on. Revocations are events, so a server that starts reads
// them all back from the log, and a server that runs follows them live.
//
// One stream holds every revocation (token-revocations): a token id is
// unique across projects, and a server needs all of them, whatever the
// project.
package token

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Stored event type names.
const TypeRevoked = "token.revoked.v1"

// MaxIDLength bounds a token id (the ids Butler issues are UUIDs).
const MaxIDLength = 64

// Revoked: the token with this id is no longer accepted, from now until
// it would have expired.
type Revoked struct {
	TokenID string    `json:"jti"`
	Reason  string    `json:"reason,omitempty"`
	At      time.Time `json:"at"`
}

func (Revoked) EventType() string { return TypeRevoked }

// Decode turns a stored revocation back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeRevoked:
		var p Revoked
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, fmt.Errorf("token: decode %s: %w", eventType, err)
		}
		return p, nil
	}
	return nil, fmt.Errorf("token: unknown event type %q", eventType)
}

// ErrTokenIDMissing: a revocation names the token it revokes.
var ErrTokenIDMissing = errors.New("a revocation names the token's id (its jti, at most 64 characters)")

// Revoke records the revocation of the token id.
func Revoke(tokenID, reason string, now time.Time) (Revoked, error) {
	tokenID = strings.TrimSpace(tokenID)
	if tokenID == "" || len(tokenID) > MaxIDLength {
		return Revoked{}, ErrTokenIDMissing
	}
	return Revoked{TokenID: tokenID, Reason: strings.TrimSpace(reason), At: now}, nil
}
