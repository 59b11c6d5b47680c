package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/infra/auth"
	"github.com/butler-pm/butler/test/harness"
)

// The bearer scheme's name is case-insensitive.
func TestBearerInAnyCase(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	sup := b.Token("supervisor", "s-001", "p1", "")
	for _, scheme := range []string{"bearer", "BEARER", "BeArEr"} {
		b.Must(200, "GET", "/api/v1/complaints", "", nil, "Authorization", scheme+" "+sup)
	}
	harness.Problem(t, b.Do("GET", "/api/v1/complaints", "", nil, "Authorization", "Basic "+sup), 401, "unauthorized")
}

// A revoked token is refused within a second by every server on the
// event store, and still after a restart; only project managers revoke.
func TestRevokedTokenIsRefusedEverywhere(t *testing.T) {
	t.Parallel()
	esdb := harness.ESDBServer(t)
	key := filepath.Join(t.TempDir(), "token.key")
	shared := func(c *app.Config) { c.TokenKeyFile = key }
	dirA := t.TempDir()
	a := harness.Start(t, harness.Options{Dir: dirA, EventStore: esdb, Tune: shared})
	second := harness.Start(t, harness.Options{EventStore: esdb, Tune: shared})

	pm := tokenWithKey(t, key, "project_manager", "pm-001", "p1", "")
	victim := tokenWithKey(t, key, "butler", "b-001", "p1", "d1")
	a.Must(200, "GET", "/api/v1/complaints", victim, nil)
	second.Must(200, "GET", "/api/v1/complaints", victim, nil) // now in second's cache of verified tokens

	harness.Problem(t, a.Do("POST", "/api/v1/tokens/revoke", victim, map[string]any{"token": victim}), 403, "forbidden_role")
	harness.Problem(t, a.Do("POST", "/api/v1/tokens/revoke", pm, map[string]any{}), 400, "invalid_input")
	harness.Problem(t, a.Do("POST", "/api/v1/tokens/revoke", pm, map[string]any{"token": "garbage"}), 400, "invalid_input")
	other := tokenWithKey(t, key, "butler", "b-009", "p2", "d1")
	harness.Problem(t, a.Do("POST", "/api/v1/tokens/revoke", pm, map[string]any{"token": other}), 403, "forbidden_scope")

	r := a.Must(200, "POST", "/api/v1/tokens/revoke", pm, map[string]any{"token": victim, "reason": "离职"})
	if r.JSON["id"] != jtiOf(t, victim) {
		t.Fatalf("revoked %v, want the token's jti %s", r.JSON["id"], jtiOf(t, victim))
	}
	revoked := time.Now()
	harness.Problem(t, a.Do("GET", "/api/v1/complaints", victim, nil), 401, "invalid_token")
	second.Eventually(time.Second, func() error {
		if r := second.Do("GET", "/api/v1/complaints", victim, nil); r.Status != 401 {
			return fmt.Errorf("second server: %d", r.Status)
		}
		return nil
	})
	t.Logf("the second server refused the revoked token %s after the revocation", time.Since(revoked).Round(time.Millisecond))
	second.Must(200, "GET", "/api/v1/complaints", pm, nil)

	// A server started afterwards rebuilds the set from the log.
	third := harness.Start(t, harness.Options{EventStore: esdb, Tune: shared})
	harness.Problem(t, third.Do("GET", "/api/v1/complaints", victim, nil), 401, "invalid_token")
	third.Must(200, "GET", "/api/v1/complaints", pm, nil)
}

// Tokens live at most --token-max-ttl: a token claiming longer, or no id,
// is refused even with a valid signature.
func TestTokenLifetimeLimits(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	key, err := os.ReadFile(filepath.Join(b.Dir, "token.key"))
	if err != nil {
		t.Fatal(err)
	}
	sign := func(claims jwt.MapClaims) string {
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	now := time.Now()
	base := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": "butler", "sub": "s-001", "role": "supervisor", "project": "p1", "jti": "0190a1b2-0000-7000-8000-0000000000aa",
			"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	}
	b.Must(200, "GET", "/api/v1/complaints", sign(base()), nil)
	for name, change := range map[string]func(jwt.MapClaims){
		"ten years":  func(c jwt.MapClaims) { c["exp"] = now.Add(87600 * time.Hour).Unix() },
		"31 days":    func(c jwt.MapClaims) { c["exp"] = now.Add(31 * 24 * time.Hour).Unix() },
		"negative":   func(c jwt.MapClaims) { c["iat"] = now.Add(2 * time.Hour).Unix() },
		"no jti":     func(c jwt.MapClaims) { delete(c, "jti") },
		"no iat":     func(c jwt.MapClaims) { delete(c, "iat") },
		"future iat": func(c jwt.MapClaims) { c["iat"] = now.Add(time.Hour).Unix(); c["exp"] = now.Add(2 * time.Hour).Unix() },
	} {
		c := base()
		change(c)
		r := b.Do("GET", "/api/v1/complaints", sign(c), nil)
		if r.Status != 401 {
			t.Errorf("%s: %d, want 401: %s", name, r.Status, r.Raw)
		}
	}
	bin := harness.Binary(t)
	for _, ttl := range []string{"87600h", "-1h", "0s", "721h"} {
		if out, err := execButler(bin, "token", "issue", "--data", t.TempDir(), "--role", "supervisor", "--staff", "s-001", "--project", "p1", "--ttl", ttl); err == nil {
			t.Errorf("token issue --ttl %s succeeded: %s", ttl, out)
		}
	}
	if _, err := execButler(bin, "token", "issue", "--data", t.TempDir(), "--role", "supervisor", "--staff", "s-001", "--project", "p1", "--ttl", "720h"); err != nil {
		t.Errorf("token issue --ttl 720h: %v", err)
	}
}

// R-S2: once a project's register is in force, only registered and
// onboarded staff, with the role and district they are registered with,
// write; everyone still reads what their role allows.
func TestOnlyOnboardedStaffWrite(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	pm := b.Token("project_manager", "pm-001", "p1", "")
	sup := b.Token("supervisor", "s-001", "p1", "")
	ghost := b.Token("butler", "ghost-1", "p1", "d1")
	complaint := map[string]any{"unit": "3-2-501", "owner": "王秀英", "phone": "13812345678", "category": "漏水", "description": "卫生间漏水", "soothing": "已安抚"}

	// Bootstrap: no one is onboarded yet, so the project manager registers
	// the first staff (themselves and a supervisor) and the supervisor
	// records the onboarding.
	b.Must(201, "POST", "/api/v1/staff", pm, map[string]any{"staff_id": "pm-001", "name": "项目经理", "role": "project_manager"})
	b.Must(201, "POST", "/api/v1/staff", pm, map[string]any{"staff_id": "s-001", "name": "主管", "role": "supervisor"})
	for _, id := range []string{"s-001", "pm-001"} {
		b.Must(200, "POST", "/api/v1/staff/"+id+"/training", sup, map[string]any{"session": "入职培训", "topic": "制度"})
		b.Must(200, "POST", "/api/v1/staff/"+id+"/assessments", sup, map[string]any{"kind": "written", "onboarding": true, "score": 90})
	}
	// In force once the register's read model shows the first onboarded member.
	b.Eventually(5*time.Second, func() error {
		if r := b.Do("POST", "/api/v1/complaints", ghost, complaint); r.Status != 403 {
			return fmt.Errorf("ghost wrote: %d", r.Status)
		}
		return nil
	})
	r := b.Do("POST", "/api/v1/complaints", ghost, complaint)
	harness.Problem(t, r, 403, "staff_not_on_duty")
	if !strings.Contains(r.JSON["detail"].(string), "not in the staff register") {
		t.Fatalf("detail %v", r.JSON["detail"])
	}
	b.Must(200, "GET", "/api/v1/complaints", ghost, nil) // reads stay open to the role

	b.Must(201, "POST", "/api/v1/staff", pm, map[string]any{"staff_id": "b-001", "name": "管家", "role": "butler", "district": "d1"})
	butler := b.Token("butler", "b-001", "p1", "d1")
	harness.Problem(t, b.Do("POST", "/api/v1/complaints", butler, complaint), 403, "staff_not_on_duty") // not onboarded yet
	b.Must(200, "POST", "/api/v1/staff/b-001/training", sup, map[string]any{"session": "入职培训", "topic": "投诉处理"})
	b.Must(200, "POST", "/api/v1/staff/b-001/assessments", sup, map[string]any{"kind": "written", "onboarding": true, "score": 80})
	b.Must(201, "POST", "/api/v1/complaints", butler, complaint)
	// The same staff id with another role or district is not them.
	harness.Problem(t, b.Do("POST", "/api/v1/staff", b.Token("project_manager", "b-001", "p1", ""),
		map[string]any{"staff_id": "x-1", "name": "x", "role": "butler", "district": "d1"}), 403, "staff_not_on_duty")
	harness.Problem(t, b.Do("POST", "/api/v1/complaints", b.Token("butler", "b-001", "p1", "d2"), complaint), 403, "staff_not_on_duty")
	// Project p2 has no onboarded member: its register is not in force yet.
	b.Must(201, "POST", "/api/v1/complaints", b.Token("butler", "b-001", "p2", "d1"), complaint)
}

// R-S6: an anonymous report's events name no reporter, nor carry their
// correlation id; a signed one names its filer.
func TestAnonymousReportKeepsNoReporter(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	ops := b.Token("operations", "op-001", "p1", "")
	anon := b.Must(201, "POST", "/api/v1/integrity-reports", butler, map[string]any{"subject": "某收费员", "content": "收费不给票据", "anonymous": true},
		"X-Correlation-ID", "b-001-session-7").JSON["id"].(string)
	signed := b.Must(201, "POST", "/api/v1/integrity-reports", butler, map[string]any{"subject": "某收费员", "content": "收费不给票据"}).JSON["id"].(string)
	h := b.Must(200, "GET", "/api/v1/integrity-reports/"+anon, ops, nil)
	if raw := string(h.Raw); strings.Contains(raw, "b-001") || strings.Contains(raw, `"butler"`) || !strings.Contains(raw, `"staff_id":"anonymous"`) {
		t.Fatalf("anonymous report's record: %s", raw)
	}
	if s := string(b.Must(200, "GET", "/api/v1/integrity-reports/"+signed, ops, nil).Raw); !strings.Contains(s, `"staff_id":"b-001"`) {
		t.Fatalf("signed report's record: %s", s)
	}
	// The log itself holds nothing of the reporter either.
	all, err := b.App.Events().ReadStream(t.Context(), "integrity-"+anon, 0, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := json.Marshal(all)
	if strings.Contains(string(stored), "b-001") {
		t.Fatalf("stored event names the reporter: %s", stored)
	}
}

func tokenWithKey(t *testing.T, keyFile, role, staff, project, district string) string {
	t.Helper()
	key, err := auth.LoadOrCreateKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := auth.NewIssuer(key, nil).Issue(commands.Principal{StaffID: staff, Role: role, Project: project, District: district}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func execButler(bin string, args ...string) (string, error) {
	out, err := exec.Command(bin, args...).CombinedOutput()
	return string(out), err
}

func jtiOf(t *testing.T, tok string) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		JTI string `json:"jti"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c.JTI
}
