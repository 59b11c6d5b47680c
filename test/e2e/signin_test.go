package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/credential"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/test/harness"
)

// A staff member signs in to the console with a password they set through
// a one-time activation link: the token works like any other, wrong
// passwords are recorded and slowed, signing out revokes the token.
func TestSignInWithAnActivatedPassword(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	sup := b.Token("supervisor", "s-001", "p1", "")
	pm := b.Token("project_manager", "pm-001", "p1", "")
	butler := b.Token("butler", "b-001", "p1", "d1")
	b.Onboard(sup, "s-001", "supervisor", "")
	b.Onboard(sup, "b-001", "butler", "d1")
	b.Onboard(sup, "pm-001", "project_manager", "")
	other := b.Token("supervisor", "s-009", "p2", "")

	// Who may hand out links, and for whom.
	harness.Problem(t, b.Do("POST", "/api/v1/staff/b-001/activation", butler, nil), 403, "forbidden_role")
	harness.Problem(t, b.Do("POST", "/api/v1/staff/b-404/activation", pm, nil), 404, "not_found")
	harness.Problem(t, b.Do("POST", "/api/v1/staff/b-001/activation", other, nil), 404, "not_found")
	old := b.Must(201, "POST", "/api/v1/staff/b-001/activation", pm, nil).JSON["activation_url"].(string)
	link := b.Must(201, "POST", "/api/v1/staff/b-001/activation", sup, nil).JSON
	url := link["activation_url"].(string)
	if !strings.HasPrefix(url, "/activate#b-001.") {
		t.Fatalf("activation_url %q", url)
	}
	code := strings.TrimPrefix(url, "/activate#")

	// The code is not in the log, only its hash.
	recs, err := event.ReadStreamWhole(context.Background(), b.App.Events(), credential.Stream("b-001"), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if strings.Contains(string(r.Data), strings.TrimPrefix(code, "b-001.")) {
			t.Fatalf("the activation code is recorded in %s", r.Type)
		}
	}

	harness.Problem(t, b.Do("POST", "/api/v1/auth/activate", "", map[string]any{"code": code, "password": "b-001"}), 400, "invalid_input")
	harness.Problem(t, b.Do("POST", "/api/v1/auth/activate", "", map[string]any{"code": strings.TrimPrefix(old, "/activate#"), "password": "一二三四五六七八"}), 422, "activation_code_invalid")
	b.Must(200, "POST", "/api/v1/auth/activate", "", map[string]any{"code": code, "password": "一二三四五六七八"})
	harness.Problem(t, b.Do("POST", "/api/v1/auth/activate", "", map[string]any{"code": code, "password": "八七六五四三二一"}), 422, "activation_code_invalid")

	// The password is in the log only as a sealed argon2id hash.
	recs, _ = event.ReadStreamWhole(context.Background(), b.App.Events(), credential.Stream("b-001"), 100)
	for _, r := range recs {
		if strings.Contains(string(r.Data), "argon2id") || strings.Contains(string(r.Data), "一二三四") {
			t.Fatalf("%s shows the password or its hash in the clear: %s", r.Type, r.Data)
		}
	}

	// Unknown staff, another project, a wrong password: one answer.
	for _, body := range []map[string]any{
		{"staff_id": "b-404", "password": "一二三四五六七八", "project": "p1"},
		{"staff_id": "b-001", "password": "一二三四五六七八", "project": "p2"},
		{"staff_id": "s-001", "password": "一二三四五六七八", "project": "p1"}, // no password yet
	} {
		harness.Problem(t, b.Do("POST", "/api/v1/auth/sign-in", "", body), 401, "sign_in_failed")
	}
	wrong := map[string]any{"staff_id": "b-001", "password": "wrong password", "project": "p1"}
	for i := 0; i < credential.FreeFailures; i++ {
		harness.Problem(t, b.Do("POST", "/api/v1/auth/sign-in", "", wrong), 401, "sign_in_failed")
	}
	right := map[string]any{"staff_id": "b-001", "password": "一二三四五六七八", "project": "p1"}
	r := b.Do("POST", "/api/v1/auth/sign-in", "", right)
	harness.Problem(t, r, 429, "sign_in_throttled")
	if r.Header.Get("Retry-After") != "1" {
		t.Fatalf("Retry-After %q after %d failures", r.Header.Get("Retry-After"), credential.FreeFailures)
	}
	recs, _ = event.ReadStreamWhole(context.Background(), b.App.Events(), credential.Stream("b-001"), 100)
	failed := 0
	for _, e := range recs {
		if e.Type == credential.TypeSignInFailed {
			failed++
		}
	}
	if failed != credential.FreeFailures {
		t.Fatalf("%d failures recorded, want %d", failed, credential.FreeFailures)
	}

	b.Clock.Advance(time.Second)
	in := b.Must(200, "POST", "/api/v1/auth/sign-in", "", right).JSON
	if in["role"] != "butler" || in["district"] != "d1" || in["staff_id"] != "b-001" || in["project"] != "p1" {
		t.Fatalf("signed in as %v", in)
	}
	exp, _ := time.Parse(time.RFC3339, in["expires_at"].(string))
	if life := time.Until(exp); life <= 11*time.Hour || life > 12*time.Hour+time.Minute {
		t.Fatalf("a sign-in token lives %s", life)
	}
	tok := in["token"].(string)
	b.Must(200, "GET", "/api/v1/complaints", tok, nil)
	// It writes like the butler it names (R-S2 applies to it as to any token).
	b.Must(201, "POST", "/api/v1/complaints", tok, map[string]any{"unit": "1-1-101", "owner": "王秀英", "phone": "13812345678",
		"category": "漏水", "description": "卫生间漏水", "soothing": "已安抚"})

	b.Must(http.StatusNoContent, "POST", "/api/v1/auth/sign-out", tok, nil)
	harness.Problem(t, b.Do("GET", "/api/v1/complaints", tok, nil), 401, "invalid_token")
	harness.Problem(t, b.Do("POST", "/api/v1/auth/sign-out", tok, nil), 401, "invalid_token")
}

// The console is served at / without a token, the API still needs one.
func TestConsoleIsServed(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	for _, p := range []string{"/", "/activate", "/assets/app.js", "/assets/vendor/echarts.min.js"} {
		r := b.Do("GET", p, "", nil)
		if r.Status != 200 || len(r.Raw) == 0 {
			t.Errorf("GET %s: %d", p, r.Status)
		}
	}
	if r := b.Do("GET", "/", "", nil); !strings.Contains(string(r.Raw), "管家") {
		t.Errorf("/ is not the console")
	}
	harness.Problem(t, b.Do("GET", "/api/v1/complaints", "", nil), 401, "unauthorized")
}
