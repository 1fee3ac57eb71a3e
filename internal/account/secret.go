package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// TokenPrefix begins every API token, so a leaked one is easy to recognise
// (and to search for in logs and repositories).
const TokenPrefix = "syt_"

// NewSecret makes a session id or API token: 32 random bytes, base64url,
// after prefix ("syt_" for API tokens, "" for session ids). Only hash,
// HashSecret of the secret, is to be stored.
func NewSecret(prefix string) (secret, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("random secret: %w", err)
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret), nil
}

// HashSecret is the hex SHA-256 of a secret. A secret has 256 random bits, so
// a fast hash suffices: the store's copy cannot be turned back into it.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewPassword makes a random password meeting CheckPolicy (16 characters
// with letters and digits, no look-alikes such as 0/O and 1/l), to hand to a
// new user who must change it at first sign-in.
func NewPassword() (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	const unbiased = 256 - 256%len(alphabet) // bytes at or above this would favour the first letters
	for {
		pw := make([]byte, 0, 16)
		buf := make([]byte, 32)
		for len(pw) < cap(pw) {
			if _, err := rand.Read(buf); err != nil {
				return "", fmt.Errorf("random password: %w", err)
			}
			for _, c := range buf {
				if int(c) < unbiased && len(pw) < cap(pw) {
					pw = append(pw, alphabet[int(c)%len(alphabet)])
				}
			}
		}
		if CheckPolicy(string(pw)) == nil {
			return string(pw), nil
		}
	}
}
