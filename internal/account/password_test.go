package account_test

import (
	"os"
	"strings"
	"testing"

	"shuiyun/internal/account"
)

func TestMain(m *testing.M) {
	account.UseTestCost()
	os.Exit(m.Run())
}

func TestHashPassword(t *testing.T) {
	h, err := account.HashPassword("江苏港航2026abc")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := account.HashPassword("江苏港航2026abc")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	fields := strings.Split(h, "$")
	tests := []struct {
		name    string
		encoded string
		pw      string
		want    bool
	}{
		{"right", h, "江苏港航2026abc", true},
		{"wrong", h, "江苏港航2026abd", false},
		{"empty", h, "", false},
		{"other salt", h2, "江苏港航2026abc", true},
		{"empty hash", "", "x", false},
		{"not phc", "plain", "plain", false},
		{"argon2i", strings.Replace(h, "argon2id", "argon2i", 1), "江苏港航2026abc", false},
		{"other version", strings.Replace(h, "v=19", "v=16", 1), "江苏港航2026abc", false},
		{"huge memory", strings.Replace(h, fields[3], "m=4294967295,t=1,p=1", 1), "江苏港航2026abc", false},
		{"zero time", strings.Replace(h, fields[3], "m=64,t=0,p=1", 1), "江苏港航2026abc", false},
		{"bad base64", h[:len(h)-2] + "!!", "江苏港航2026abc", false},
		{"short key", strings.Join(append(fields[:5:5], "AAAA"), "$"), "江苏港航2026abc", false},
		{"extra field", h + "$x", "江苏港航2026abc", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := account.CheckPassword(tt.encoded, tt.pw); got != tt.want {
				t.Errorf("CheckPassword(%q, %q) = %v, want %v", tt.encoded, tt.pw, got, tt.want)
			}
		})
	}
}

// TestProductCost: the product hashes with 64 MiB and two passes, and checks
// a hash whatever cost it records.
func TestProductCost(t *testing.T) {
	var h string
	account.WithProductCost(func() {
		var err error
		if h, err = account.HashPassword("Secret12345"); err != nil {
			t.Fatal(err)
		}
	})
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=2,p=2$") {
		t.Errorf("product hash %s", h)
	}
	if !account.CheckPassword(h, "Secret12345") || account.CheckPassword(h, "Secret12346") {
		t.Error("the product-cost hash does not check")
	}
}

func TestCheckPolicy(t *testing.T) {
	tests := []struct {
		pw   string
		want string // part of the error, "" for none
	}{
		{"abcdefgh12", ""},
		{"交通运输部水运局2026", ""},
		{"abc12", "至少 10 个字符"},
		{"abcdefghijk", "字母和数字"},
		{"1234567890", "字母和数字"},
		{"一二三四五六七八九十", "字母和数字"},
		{strings.Repeat("a1", 65), "最多 128 个字符"},
		{"", "至少 10 个字符"},
	}
	for _, tt := range tests {
		err := account.CheckPolicy(tt.pw)
		if (err == nil) != (tt.want == "") || err != nil && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("CheckPolicy(%q) = %v, want %q", tt.pw, err, tt.want)
		}
	}
}
