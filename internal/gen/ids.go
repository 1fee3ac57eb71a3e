package gen

import (
	"fmt"
	"strings"

	"shuiyun/internal/ident"
)

// usccChars are the characters allowed in both a USCC and an organisation code body.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// makeUSCC builds a valid 统一社会信用代码 registered in region (6 digits): kind is the
// first two characters (91 enterprise, 92 individual business, 12 public institution);
// characters 9–17 are a valid organisation code, as in every real one.
func makeUSCC(r *rng, kind, region string) string {
	var body [8]byte
	if r.chance(0.6) { // codes issued since 2015 mostly start with MA
		body[0], body[1] = 'M', 'A'
		for i := 2; i < 8; i++ {
			body[i] = usccChars[r.intn(len(usccChars))]
		}
	} else {
		for i := range body {
			body[i] = byte('0' + r.intn(10))
		}
	}
	org := string(body[:]) + string(ident.OrgCodeCheck(string(body[:])))
	b17 := kind + region + org
	return b17 + string(ident.USCCCheck(b17))
}

// makeCitizen builds a valid 公民身份号码 of someone born in region between the given years.
func makeCitizen(r *rng, region string, fromYear, toYear int) string {
	y := r.between(fromYear, toYear)
	m := r.between(1, 12)
	d := r.between(1, 28)
	for {
		b17 := fmt.Sprintf("%s%04d%02d%02d%03d", region, y, m, d, r.intn(1000))
		id := b17 + string(ident.CitizenCheck(b17))
		// One number in 31 also passes the USCC check; where a field takes either
		// (D02.operator_uscc) the validator would read it as a USCC, so skip those.
		if ident.USCC(id) != nil {
			return id
		}
	}
}

// cnShipCode is a 船舶识别号 as a number: keel year × 10^6 + serial. The check digit is
// derived on output.
type cnShipCode uint64

func (c cnShipCode) year() int { return int(uint64(c) / 1e6) }

func (c cnShipCode) body() string { return pad(c.year(), 4) + pad(int(uint64(c)%1e6), 6) }

func (c cnShipCode) String() string {
	body := c.body()
	check, _ := ident.CNShipCheck(body)
	return "CN" + body + string(check)
}

// issuable reports whether the code's check digit would be a digit: bodies whose check
// is X are never issued (standard.md §3.6).
func (c cnShipCode) issuable() bool {
	_, ok := ident.CNShipCheck(c.body())
	return ok
}

// wrongCNShip returns s with a wrong (but digit) check digit.
func wrongCNShip(s string) string {
	last := s[len(s)-1]
	return s[:len(s)-1] + string('0'+(last-'0'+1+3)%10)
}

// makeIMO builds a valid 7-digit IMO number starting with 8 or 9, as current ships' do.
func makeIMO(r *rng) string {
	b6 := string(byte('8'+r.intn(2))) + r.digits(5)
	return b6 + string(ident.IMOCheck(b6))
}

// wrongIMO changes the check digit of a valid IMO number.
func wrongIMO(s string) string {
	return s[:6] + string('0'+(s[6]-'0'+7)%10)
}

// makeMMSI builds a mainland-China ship station MMSI (MID 412, 413 or 414).
func makeMMSI(r *rng) string {
	return pick(r, []string{"412", "413", "413", "414"}) + r.digits(6)
}

// wrongUSCC changes the check character of a valid USCC to another allowed character.
func wrongUSCC(s string) string {
	i := 0
	for j := 0; j < len(usccChars); j++ {
		if usccChars[j] == s[17] {
			i = j
		}
	}
	return s[:17] + string(usccChars[(i+5)%len(usccChars)])
}

// wrongCitizen changes the check character of a valid citizen ID number, to one that
// does not happen to make a valid USCC either.
func wrongCitizen(s string) string {
	const checks = "10X98765432"
	for k := 1; k < len(checks); k++ {
		c := checks[(strings.IndexByte(checks, s[17])+k)%len(checks)]
		if w := s[:17] + string(c); ident.USCC(w) != nil {
			return w
		}
	}
	return s[:17] + "Z"
}

func usccCheckFor(b17 string) byte { return ident.USCCCheck(b17) }
