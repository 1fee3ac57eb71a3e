package web

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"net/url"
	"strings"

	"shuiyun/internal/access"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// A business key can be personal data: an individual operator's "credit
// code" is their citizen ID number. Another agency sees such a key masked,
// and reaches the record through an opaque reference (the key sealed with
// AES-GCM under a key this process made), never the number itself in a URL,
// a page title or a log line.

type keySealer struct{ aead cipher.AEAD }

func newKeySealer() *keySealer {
	k := make([]byte, 32)
	rand.Read(k)
	block, _ := aes.NewCipher(k)
	aead, _ := cipher.NewGCM(block)
	return &keySealer{aead: aead}
}

func (ks *keySealer) seal(dataset, key string) string {
	nonce := make([]byte, ks.aead.NonceSize())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(ks.aead.Seal(nonce, nonce, []byte(key), []byte(dataset)))
}

func (ks *keySealer) open(dataset, ref string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(ref)
	n := ks.aead.NonceSize()
	if err != nil || len(b) < n {
		return "", false
	}
	key, err := ks.aead.Open(nil, b[:n], b[n:], []byte(dataset))
	return string(key), err == nil
}

// personalKey: some part of the key is a citizen ID number.
func personalKey(key string) bool {
	for part := range strings.SplitSeq(key, standard.KeySep) {
		if access.IsCitizenID(part) {
			return true
		}
	}
	return false
}

// keyText is the key as the caller may read it.
func keyText(c access.Caller, v *store.Version) string {
	if c.Owns(v.Owner) || !personalKey(v.Key) {
		return store.KeyText(v.Key)
	}
	parts := strings.Split(v.Key, standard.KeySep)
	for i, p := range parts {
		if access.IsCitizenID(p) {
			parts[i] = access.Mask(p)
		}
	}
	return strings.Join(parts, " / ")
}

// recordParam is the query string that opens a record's page for the caller.
func (s *Server) recordParam(c access.Caller, ds *standard.Dataset, v *store.Version) string {
	if c.Owns(v.Owner) || !personalKey(v.Key) {
		return "key=" + url.QueryEscape(v.Key)
	}
	return "ref=" + s.keys.seal(ds.Name, v.Key)
}

// recordKey reads the record a request names: by ref, or by key — a
// personal key only for a caller who owns the record (owner known later,
// so the check is done by the caller of this function via keyAllowed).
func (s *Server) recordKey(ds *standard.Dataset, q url.Values) (key string, byRef bool) {
	if ref := q.Get("ref"); ref != "" {
		if k, ok := s.keys.open(ds.Name, ref); ok {
			return k, true
		}
		return "", true
	}
	return q.Get("key"), false
}

// keyAllowed: a record named by its raw key is shown to another agency only
// when the key is not personal data (else knowing a citizen ID number would
// tell whether that person holds a licence).
func keyAllowed(c access.Caller, owner, key string, byRef bool) bool {
	return byRef || c.Owns(owner) || !personalKey(key)
}
