package household

import "testing"

func TestValidPhone(t *testing.T) {
	for _, ok := range []string{"13812345678", "19185854763", "010-12345678", "0755 88886666", "021-6666888-123", "02166668888"} {
		if !ValidPhone(ok) {
			t.Errorf("%s refused", ok)
		}
	}
	for _, bad := range []string{"abc", "1381234567", "12812345678", "138123456789", "+8613812345678", "12345678", "010-123", ""} {
		if ValidPhone(bad) {
			t.Errorf("%s accepted", bad)
		}
	}
}
