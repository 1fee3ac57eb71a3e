package ident

import (
	"testing"
	"time"
)

// The valid path must not allocate: a million rows a second are checked.
func TestValidDoesNotAllocate(t *testing.T) {
	today := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	checks := map[string]func(){
		"USCC":              func() { _ = USCC("91340600MA2PBM9HXD") },
		"USCCOrgCode":       func() { _ = USCCOrgCode("91340600MA2PBM9HXD") },
		"USCCCheck":         func() { _ = USCCCheck("91340600MA2PBM9HX") },
		"OrgCode":           func() { _ = OrgCode("MA2PBM9HX") },
		"Citizen":           func() { _ = Citizen("11010519491231002X", today) },
		"IMO":               func() { _ = IMO("9074729") },
		"MMSI":              func() { _ = MMSI("413905874") },
		"CNShip":            func() { _ = CNShip("CN20149346219", 2026) },
		"CNShipCheck":       func() { _, _ = CNShipCheck("2014934621") },
		"PortLicense":       func() { _, _, _ = PortLicense("（浙舟）港经证（0288）号") },
		"NormalizeBrackets": func() { _ = NormalizeBrackets("（浙舟）港经证（0288）号") },
		"ProjectCode":       func() { _ = ProjectCode("2020-330203-55-01-00001A") },
		"ProjectRegion":     func() { _ = ProjectRegion("2020-330203-55-01-00001A") },
	}
	for name, f := range checks {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v times on a valid value", name, n)
		}
	}
}

func benchmark(b *testing.B, valid []string, check func(string) error) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := check(valid[i%len(valid)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUSCC(b *testing.B) { benchmark(b, usccValid, USCC) }

func BenchmarkUSCCOrgCode(b *testing.B) { benchmark(b, usccValid, USCCOrgCode) }

func BenchmarkCNShip(b *testing.B) {
	benchmark(b, cnShipReal, func(s string) error { return CNShip(s, 2026) })
}

func BenchmarkCitizen(b *testing.B) {
	today := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	valid := []string{"11010519491231002X", "440524188001010014", "360426199101010071", "44011320141005001X"}
	benchmark(b, valid, func(s string) error { return Citizen(s, today) })
}

func BenchmarkOrgCode(b *testing.B) {
	benchmark(b, []string{"600037341", "M000100Y4", "078376286", "MA1K3BTP2"}, OrgCode)
}

func BenchmarkIMO(b *testing.B) {
	benchmark(b, []string{"9074729", "9319466", "8814275", "9176187"}, IMO)
}

func BenchmarkMMSI(b *testing.B) {
	benchmark(b, []string{"413905874", "412475320", "413358930", "412271090"}, MMSI)
}

func BenchmarkPortLicense(b *testing.B) {
	benchmark(b, []string{"（浙舟）港经证（0288）号", "（浙）港经证（123）号"}, func(s string) error {
		_, _, err := PortLicense(s)
		return err
	})
}

func BenchmarkProjectCode(b *testing.B) {
	benchmark(b, []string{"2020-330203-55-01-00001A", "2019-330203-48-01-000123"}, ProjectCode)
}

// BenchmarkUSCCInvalid shows the cost of building an error, which is paid per finding only.
func BenchmarkUSCCInvalid(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if USCC("91110000600037341N") == nil {
			b.Fatal("accepted")
		}
	}
}
