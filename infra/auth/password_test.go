package auth

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("正确的马电池订书钉")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not an argon2id PHC string", h)
	}
	if h2, _ := HashPassword("正确的马电池订书钉"); h2 == h {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if ok, err := CheckPassword("正确的马电池订书钉", h); !ok || err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if ok, _ := CheckPassword("正确的马电池订书", h); ok {
		t.Fatal("wrong password accepted")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=99999999,t=1,p=1$AA$AA"} {
		if ok, err := CheckPassword("x", bad); ok || err == nil {
			t.Errorf("%q: accepted (%v)", bad, err)
		}
	}
}
