package validate_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shuiyun/internal/validate"
)

// TestUniqueAndREL12 checks UNIQUE and REL-12 against a plain map over two
// files of one dataset full of repeats, read with 1 to 3 partitions: each
// later occurrence is reported, with the first occurrence's file and row, and a
// row that repeats a key takes no part in REL-12.
func TestUniqueAndREL12(t *testing.T) {
	ships := []string{"CN20245745963", "CN20166903179", "CN20193415276", "CN20248664319", "CN20218121248"}
	rng := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	var paths []string
	var rows [][][3]string // per file: cert_no, ship_id, status
	for _, sub := range []string{"a", "b"} {
		var b strings.Builder
		b.WriteString("cert_no,ship_id,status\n")
		var file [][3]string
		for range 3000 {
			r := [3]string{fmt.Sprintf("C%d", rng.IntN(2500)), ships[rng.IntN(len(ships))], []string{"1", "2"}[rng.IntN(2)]}
			if rng.IntN(50) == 0 {
				r[1] = "" // a certificate without a ship id
			}
			file = append(file, r)
			fmt.Fprintf(&b, "%s,%s,%s\n", r[0], r[1], r[2])
		}
		path := filepath.Join(dir, sub, "vessel_operating_certificate.csv")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		paths, rows = append(paths, path), append(rows, file)
	}
	want := expectRepeats(dir, paths, rows)
	rules := map[any]int{}
	for _, r := range want {
		rules[r.Rule]++
	}
	if rules["UNIQUE"] < 1000 || rules["REL-12"] < 100 {
		t.Fatalf("the data should repeat both keys and ships: %v", rules)
	}
	for _, workers := range []int{1, 2, 3} {
		r, err := validate.Run(context.Background(), mustStandard(t), paths, validate.Options{AsOf: asOf, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		var got []repeat
		for _, f := range r.Files {
			for _, fd := range f.Findings {
				if fd.Rule == "UNIQUE" || fd.Rule == "REL-12" {
					got = append(got, repeat{f.Path, fd.Row, fd.Rule, fd.Value, after(fd.Message, dir+"/")})
				}
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%d workers (-want +got):\n%s", workers, diff)
		}
	}
}

type repeat struct {
	Path, Row, Rule, Value, First any
}

// expectRepeats is UNIQUE and REL-12 with maps, row by row.
func expectRepeats(dir string, paths []string, rows [][][3]string) []repeat {
	type loc struct {
		path string
		row  int
	}
	keys, active := map[string]loc{}, map[string]loc{}
	var out []repeat
	for i, file := range rows {
		for j, r := range file {
			row := j + 2
			if first, dup := keys[r[0]]; dup {
				out = append(out, repeat{paths[i], row, "UNIQUE", r[0], fmt.Sprintf("%s 第 %d 行", after(first.path, dir+"/"), first.row)})
				continue
			}
			keys[r[0]] = loc{paths[i], row}
			if r[1] == "" || r[2] != "1" {
				continue
			}
			if first, dup := active[r[1]]; dup {
				out = append(out, repeat{paths[i], row, "REL-12", r[1], fmt.Sprintf("%s 第 %d 行）", after(first.path, dir+"/"), first.row)})
				continue
			}
			active[r[1]] = loc{paths[i], row}
		}
	}
	return out
}

// after returns what follows sep in s.
func after(s, sep string) string {
	_, tail, _ := strings.Cut(s, sep)
	return tail
}
