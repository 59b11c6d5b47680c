// Package district is a project's register of its districts (片区): the
// districts records may be placed in. Once a project has registered one,
// a record for any other district is refused (unknown_district); a project
// with no register yet takes any well-formed code, as before registers
// existed.
package district

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Stored event type names.
const TypeRegistered = "district.registered.v1"

// Registered: the project has a district of this code and name.
type Registered struct {
	Project string    `json:"project"`
	Code    string    `json:"code"`
	Name    string    `json:"name"`
	At      time.Time `json:"at"`
}

func (Registered) EventType() string { return TypeRegistered }

// Decode turns a stored event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeRegistered:
		var p Registered
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, fmt.Errorf("district: decode %s: %w", eventType, err)
		}
		return p, nil
	}
	return nil, fmt.Errorf("district: unknown event type %q", eventType)
}

// codePattern is a district code: d1, east, b-07.
var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)

// ValidCode reports whether code is a well-formed district code.
func ValidCode(code string) bool { return codePattern.MatchString(code) }

// Errors of the register.
var (
	ErrCode       = errors.New("a district code is 1–32 letters, digits, '_' or '-', starting with a letter or digit")
	ErrName       = errors.New("a district has a name (东区)")
	ErrRegistered = errors.New("the district is registered already")
)

// Register is one project's districts.
type Register struct {
	project string
	codes   []string
	names   map[string]string
	changes []event.Payload
}

// New is an empty register of project.
func New(project string) *Register { return &Register{project: project, names: map[string]string{}} }

// Apply folds one stored event.
func (r *Register) Apply(p event.Payload) {
	if e, ok := p.(Registered); ok {
		r.codes = append(r.codes, e.Code)
		r.names[e.Code] = e.Name
	}
}

// Codes lists the registered codes, in registration order.
func (r *Register) Codes() []string { return slices.Clone(r.codes) }

// Name is a registered district's name.
func (r *Register) Name(code string) string { return r.names[code] }

// Has reports whether code is registered.
func (r *Register) Has(code string) bool { return slices.Contains(r.codes, code) }

// Add registers a district.
func (r *Register) Add(code, name string, now time.Time) error {
	code, name = strings.TrimSpace(code), strings.TrimSpace(name)
	switch {
	case !ValidCode(code):
		return ErrCode
	case name == "":
		return ErrName
	case r.Has(code):
		return ErrRegistered
	}
	e := Registered{Project: r.project, Code: code, Name: name, At: now}
	r.Apply(e)
	r.changes = append(r.changes, e)
	return nil
}

// Changes are the events recorded since the register was loaded.
func (r *Register) Changes() []event.Payload { return r.changes }
