package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// params are argon2id's costs; the PHC string records them, so a hash made
// with other costs still checks.
type params struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
	keyLen  uint32
	saltLen int
}

// cost: 64 MiB, two passes (RFC 9106 §4's second choice, with fewer passes to
// keep a sign-in near 0.1 s on a small server).
var cost = params{memory: 64 * 1024, time: 2, threads: 2, keyLen: 32, saltLen: 16}

// Bounds on the costs a stored hash may ask for: a corrupt or planted hash
// must not make one sign-in take gigabytes.
const (
	maxMemory  = 1 << 20 // 1 GiB
	maxTime    = 16
	maxThreads = 16
)

// UseTestCost makes new hashes cheap, for the tests of packages that create
// users, and returns a function restoring the real cost. The product never
// calls it.
func UseTestCost() (restore func()) {
	old := cost
	cost = params{memory: 64, time: 1, threads: 1, keyLen: 32, saltLen: 16}
	return func() { cost = old }
}

var b64 = base64.RawStdEncoding

// HashPassword hashes a password with argon2id and a random salt, as a PHC
// string: $argon2id$v=19$m=65536,t=2,p=2$<salt>$<hash>.
func HashPassword(pw string) (string, error) {
	p := cost
	salt := make([]byte, p.saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, p.keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memory, p.time, p.threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches an encoded hash; a malformed hash
// matches nothing.
func CheckPassword(encoded, pw string) bool {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, p.keyLen)
	return subtle.ConstantTimeCompare(got, key) == 1
}

var errMalformed = errors.New("malformed argon2id hash")

func decodeHash(encoded string) (p params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, nil, nil, errMalformed
	}
	var threads uint32
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &threads); err != nil || n != 3 {
		return p, nil, nil, errMalformed
	}
	if p.memory == 0 || p.memory > maxMemory || p.time == 0 || p.time > maxTime || threads == 0 || threads > maxThreads {
		return p, nil, nil, errMalformed
	}
	p.threads = uint8(threads)
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, errMalformed
	}
	p.keyLen = uint32(len(key))
	return p, salt, key, nil
}

// Password policy: long enough to resist guessing under the lockout, and not
// so long that hashing it is a burden.
const (
	minPassword = 10
	maxPassword = 128
)

// CheckPolicy checks a new password: 10 to 128 characters, with letters and digits.
func CheckPolicy(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < minPassword {
		return fmt.Errorf("密码至少 %d 个字符", minPassword)
	}
	if n > maxPassword {
		return fmt.Errorf("密码最多 %d 个字符", maxPassword)
	}
	var letter, digit bool
	for _, c := range pw {
		letter = letter || unicode.IsLetter(c)
		digit = digit || unicode.IsDigit(c)
	}
	if !letter || !digit {
		return errors.New("密码须同时包含字母和数字")
	}
	return nil
}
