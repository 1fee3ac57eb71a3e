package account_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"shuiyun/internal/account"
)

func TestNewSecret(t *testing.T) {
	tests := []struct{ prefix string }{{account.TokenPrefix}, {""}}
	for _, tt := range tests {
		secret, hash, err := account.NewSecret(tt.prefix)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(secret, tt.prefix))
		if !strings.HasPrefix(secret, tt.prefix) || err != nil || len(raw) != 32 {
			t.Errorf("secret %q: %v, %d bytes", secret, err, len(raw))
		}
		if hash != account.HashSecret(secret) || len(hash) != 64 {
			t.Errorf("hash %q of %q", hash, secret)
		}
		other, _, _ := account.NewSecret(tt.prefix)
		if other == secret {
			t.Error("two secrets are equal")
		}
	}
	// The SHA-256 of "abc".
	if got := account.HashSecret("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("HashSecret(abc) = %s", got)
	}
}

func TestNewPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		pw, err := account.NewPassword()
		if err != nil {
			t.Fatal(err)
		}
		if err := account.CheckPolicy(pw); err != nil || len(pw) != 16 || strings.ContainsAny(pw, "0O1lI") {
			t.Errorf("generated password %q: %v", pw, err)
		}
		if seen[pw] {
			t.Errorf("password %q generated twice", pw)
		}
		seen[pw] = true
	}
}
