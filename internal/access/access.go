// Package access decides, in one place, what a caller may see and do
// (contracts.md §5): which records it may change, which fields of another
// agency's record it may read, and how personal data is masked. Every page,
// API route, download and submission asks it; none decides on its own.
package access

import (
	"strings"
	"unicode/utf8"

	"shuiyun/internal/account"
	"shuiyun/internal/agency"
	"shuiyun/internal/ident"
	"shuiyun/internal/standard"
)

// Caller is who is asking.
type Caller struct {
	Login  string
	Agency string
	Role   account.Role
}

// Of makes the caller of a signed-in user.
func Of(u *account.User) Caller { return Caller{Login: u.Login, Agency: u.Agency, Role: u.Role} }

// SeesAll: the ministry's data roles see every record in full.
func (c Caller) SeesAll() bool { return c.Role.Ministry() }

// ReadsData: every role but the auditor reads the shared data.
func (c Caller) ReadsData() bool { return c.Role.Valid() && c.Role != account.Auditor }

// Admin: manages agencies, users and rule activation.
func (c Caller) Admin() bool { return c.Role == account.MinistryAdmin }

// Audits: reads the audit log, and nothing else.
func (c Caller) Audits() bool { return c.Role == account.Auditor }

// Submits: may submit data at all (as its own agency; the ministry's admin as the ministry).
func (c Caller) Submits() bool {
	return c.Role == account.AgencySubmitter || c.Role == account.MinistryAdmin
}

// Sender is the agency code the caller's packages are sent as.
func (c Caller) Sender() string {
	if c.Role == account.MinistryAdmin {
		return agency.Ministry
	}
	return c.Agency
}

// Writes: may create or change a record owned by owner ("" for a new record).
// An agency changes only its own records; the ministry may act for any agency.
func (c Caller) Writes(owner string) bool {
	switch c.Role {
	case account.MinistryAdmin:
		return true
	case account.AgencySubmitter:
		return owner == "" || owner == c.Agency
	}
	return false
}

// EditsProfile: may edit the responsible people and work plan of an agency.
func (c Caller) EditsProfile(code string) bool {
	return c.Role == account.MinistryAdmin || c.Role == account.AgencySubmitter && code == c.Agency
}

// Owns: the record is the caller's agency's own, or the caller sees all.
func (c Caller) Owns(owner string) bool { return c.SeesAll() || owner == c.Agency }

// Visibility of one field of one record to a caller.
type Visibility int

const (
	Full   Visibility = iota
	Masked            // personal data: partly starred
	Hidden            // shown to the owner and the ministry only
)

// Field says how the caller sees field f of a record owned by owner.
func (c Caller) Field(f *standard.Field, owner string) Visibility {
	if c.Owns(owner) {
		return Full
	}
	switch f.Sharing {
	case standard.NotShared:
		return Masked
	case standard.SharedOwner:
		return Hidden
	}
	return Full
}

// Values returns the record's values as the caller may see them: vals itself
// when nothing is withheld, else a copy with masked or emptied cells.
func (c Caller) Values(ds *standard.Dataset, owner string, vals []string) []string {
	if c.Owns(owner) {
		return vals
	}
	var out []string
	for i, f := range ds.Fields {
		if i >= len(vals) || vals[i] == "" {
			continue
		}
		v := c.cell(f, vals[i])
		if v == vals[i] {
			continue
		}
		if out == nil {
			out = append([]string(nil), vals...)
		}
		out[i] = v
	}
	if out == nil {
		return vals
	}
	return out
}

// HiddenText stands in for a field withheld from the caller.
const HiddenText = "（不共享）"

func (c Caller) cell(f *standard.Field, v string) string {
	switch f.Sharing {
	case standard.NotShared:
		return Mask(v)
	case standard.SharedOwner:
		return HiddenText
	}
	if (f.ID == standard.IDUSCCOrCitizen || f.ID == standard.IDCitizen) && IsCitizenID(v) {
		// A person operating a vessel in their own name: the "credit code"
		// column holds their citizen ID number (standard.md §8a.12).
		return Mask(v)
	}
	return v
}

// Filterable: the caller may search the records of other agencies by this
// field and value. Searching by withheld data would reveal it (a match
// confirms a phone number), so only fields shared in full are searchable
// across agencies, and never by a citizen ID number.
func (c Caller) Filterable(f *standard.Field, value string) bool {
	if c.SeesAll() {
		return true
	}
	return f.Sharing != standard.NotShared && f.Sharing != standard.SharedOwner && !IsCitizenID(strings.TrimSpace(value))
}

// IsCitizenID: an 18-character value with a valid citizen ID check digit.
func IsCitizenID(v string) bool {
	if len(v) != 18 {
		return false
	}
	for i := range 17 {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	last := v[17]
	if last == 'x' {
		last = 'X'
	}
	return ident.CitizenCheck(v[:17]) == last
}

// Mask stars the middle of personal data: a name keeps its first character
// (张**), an e-mail its first character and domain, numbers their first
// three and last four (138****5678, 320***********1234).
func Mask(v string) string {
	if v == "" {
		return v
	}
	if at := strings.IndexByte(v, '@'); at > 0 {
		r, n := utf8.DecodeRuneInString(v)
		return string(r) + strings.Repeat("*", max(1, utf8.RuneCountInString(v[n:at]))) + v[at:]
	}
	runes := []rune(v)
	if !isASCIIDigits(v) || len(runes) < 8 {
		return string(runes[0]) + strings.Repeat("*", len(runes)-1)
	}
	return string(runes[:3]) + strings.Repeat("*", len(runes)-7) + string(runes[len(runes)-4:])
}

func isASCIIDigits(v string) bool {
	for i := range len(v) {
		c := v[i]
		if (c < '0' || c > '9') && c != 'X' && c != 'x' && c != '-' && c != ' ' {
			return false
		}
	}
	return true
}
