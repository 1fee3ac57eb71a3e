package exchange

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Name is a package file name <sender>_<yyyymmdd>_<seq>.zip (seq 6 digits).
type Name struct {
	Sender string // six capital letters or digits, e.g. 320000 or CJ0000
	Date   string // yyyymmdd
	Seq    int64
}

// ParseName parses a package file name (a base name, not a path). It accepts only the
// exact form String writes: a real calendar date and a sequence of six digits from 000001.
func ParseName(base string) (Name, bool) {
	stem, ok := strings.CutSuffix(base, ".zip")
	if !ok {
		return Name{}, false
	}
	parts := strings.Split(stem, "_")
	if len(parts) != 3 || !isSenderCode(parts[0]) || !isDate8(parts[1]) || !isDigits(parts[2], 6) {
		return Name{}, false
	}
	seq, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || seq < 1 {
		return Name{}, false
	}
	return Name{Sender: parts[0], Date: parts[1], Seq: seq}, true
}

// String returns the file name.
func (n Name) String() string {
	return fmt.Sprintf("%s_%s_%06d.zip", n.Sender, n.Date, n.Seq)
}

// isSenderCode accepts the shape of contracts.md §1 codes; whether the agency exists is
// the caller's check.
func isSenderCode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func isDate8(s string) bool {
	if !isDigits(s, 8) {
		return false
	}
	_, err := time.Parse("20060102", s)
	return err == nil
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ReceiptName names the n-th receipt of package pkg (a file name): n=1 gives
// "<pkg>.receipt.json", n>1 "<pkg>.<n>.receipt.json", so no receipt is ever overwritten.
// n below 1 counts as 1.
func ReceiptName(pkg string, n int) string { return numbered(pkg, n, "receipt.json") }

// ErrorsName names the workbook of rejected rows that goes with the n-th receipt:
// "<pkg>.errors.xlsx", n>1 "<pkg>.<n>.errors.xlsx".
func ErrorsName(pkg string, n int) string { return numbered(pkg, n, "errors.xlsx") }

func numbered(pkg string, n int, suffix string) string {
	if n <= 1 {
		return pkg + "." + suffix
	}
	return fmt.Sprintf("%s.%d.%s", pkg, n, suffix)
}
