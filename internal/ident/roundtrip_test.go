package ident

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

const roundTrips = 500

// newRand is seeded so that a failure reproduces.
func newRand() *rand.Rand { return rand.New(rand.NewPCG(2019, 809)) }

func randFrom(r *rand.Rand, set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[r.IntN(len(set))]
	}
	return string(b)
}

const digits = "0123456789"

// checkRoundTrip asserts that body+right is accepted and body+c is refused, with a message
// naming right, for every other c in alphabet.
func checkRoundTrip(t *testing.T, check func(string) error, body string, right byte, alphabet string) {
	t.Helper()
	if err := check(body + string(right)); err != nil {
		t.Fatalf("%s%c: %v", body, right, err)
	}
	wantMsg := fmt.Sprintf("校验位错误，应为 %c", right)
	for i := 0; i < len(alphabet); i++ {
		if c := alphabet[i]; c != right {
			if err := check(body + string(c)); err == nil || !strings.HasSuffix(err.Error(), wantMsg) {
				t.Fatalf("%s%c: got %v, want …%s", body, c, err, wantMsg)
			}
		}
	}
}

func TestUSCCRoundTrip(t *testing.T) {
	r := newRand()
	for range roundTrips {
		body := randFrom(r, usccCharset, 2) + randFrom(r, digits, 6) + randFrom(r, usccCharset, 9)
		checkRoundTrip(t, USCC, body, USCCCheck(body), usccCharset+"IOSVZ")
	}
}

func TestOrgCodeRoundTrip(t *testing.T) {
	r := newRand()
	for range roundTrips {
		body := randFrom(r, digits+"ABCDEFGHIJKLMNOPQRSTUVWXYZ", 8)
		checkRoundTrip(t, OrgCode, body, OrgCodeCheck(body), digits+"XYZ")
	}
}

func TestCitizenRoundTrip(t *testing.T) {
	r := newRand()
	today := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	check := func(s string) error { return Citizen(s, today) }
	for range roundTrips {
		p := provinces[r.IntN(len(provinces))]
		born := time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(64000))
		if born.After(today) {
			born = today
		}
		body := p.code + randFrom(r, digits, 4) + born.Format("20060102") + randFrom(r, digits, 3)
		checkRoundTrip(t, check, body, CitizenCheck(body), digits+"XA")
	}
}

func TestIMORoundTrip(t *testing.T) {
	r := newRand()
	for range roundTrips {
		body := randFrom(r, digits, 6)
		checkRoundTrip(t, IMO, body, IMOCheck(body), digits+"X")
	}
}

func TestCNShipRoundTrip(t *testing.T) {
	r := newRand()
	check := func(s string) error { return CNShip(s, 2026) }
	neverIssued := 0
	for range roundTrips {
		body := fmt.Sprintf("%04d", 1900+r.IntN(127)) + randFrom(r, digits, 6)
		right, ok := CNShipCheck(body)
		if ok {
			checkRoundTrip(t, check, "CN"+body, right, digits+"X")
			continue
		}
		neverIssued++
		// Such a body was never issued, whatever the last character.
		for _, c := range digits + "X" {
			err := check("CN" + body + string(c))
			if err == nil || !strings.Contains(err.Error(), "不可能被核发") {
				t.Fatalf("CN%s%c: got %v, want a never-issued error", body, c, err)
			}
		}
	}
	if neverIssued == 0 {
		t.Errorf("no body of %d gave X; the never-issued path went untested", roundTrips)
	}
}
