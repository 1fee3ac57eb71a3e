// Package hubdemo makes the packages of the hub's demo: a few days of
// generated data from several agencies, delivered with the usual accidents —
// rows with errors, a package sent twice, one arriving before its
// predecessor, one that never arrives — so a newcomer sees receipts, history
// and gaps at once.
package hubdemo

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"shuiyun/internal/exchange"
	"shuiyun/internal/gen"
	"shuiyun/internal/standard"
)

// Delivery is one package dropped into an inbox, in demo order.
type Delivery struct {
	Inbox string
	Path  string // the built package
	Note  string // what the demo shows with it (Chinese)
}

var datasets = []string{"shipping_operator", "waterway_transport_license", "vessel_operating_certificate",
	"port_operator", "port_operation_license", "port_dg_annex"}

type agencyPlan struct {
	code string
	seed uint64
}

// Build writes the demo's packages under dir and returns them in delivery order.
func Build(std *standard.Standard, dir string, today time.Time) ([]Delivery, error) {
	b := &builder{std: std, dir: dir, day: [3]time.Time{today.AddDate(0, 0, -3), today.AddDate(0, 0, -2), today.AddDate(0, 0, -1)}}
	plans := []agencyPlan{{"320000", 32}, {"330000", 33}, {"440000", 44}, {"CJ0000", 90}}
	var out []Delivery
	for _, p := range plans {
		d, err := b.full(p)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	steps := []func() (Delivery, error){
		func() (Delivery, error) {
			return b.changes("320000", 2, "地址变更和一家企业注销：增量包，全部接收")
		},
		func() (Delivery, error) {
			return b.again("320000", 2, "同一个包又投递了一次：重复投递，不重复入库")
		},
		func() (Delivery, error) {
			return b.faulty("330000", 2, 33, "带错误的增量包：有错的行被拒收，其余入库，回执附 errors.xlsx")
		},
		func() (Delivery, error) {
			return b.changes("440000", 3, "序号 3 先于序号 2 到达：先入库，回执提示缺少序号 2")
		},
		func() (Delivery, error) {
			return b.changes("440000", 2, "迟到的序号 2：只改动序号 3 未改过的记录，缺号补齐")
		},
		func() (Delivery, error) {
			return b.changes("CJ0000", 3, "长航局的序号 2 一直未到：回执列出缺少的序号")
		},
	}
	for _, step := range steps {
		d, err := step()
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

type builder struct {
	std *standard.Standard
	dir string
	day [3]time.Time
}

func (b *builder) genDir(code string, seed uint64, errRate float64) (string, error) {
	dir := filepath.Join(b.dir, "data", fmt.Sprintf("%s-%d", code, seed))
	if _, err := os.Stat(filepath.Join(dir, "shipping_operator.csv")); err == nil {
		return dir, nil
	}
	_, err := gen.Generate(b.std, gen.Options{Seed: seed, Rows: 150, ErrorRate: errRate, AsOf: b.day[0], Datasets: datasets,
		Format: "csv", Encoding: "UTF-8", Header: "id", Submitter: code, Dir: dir})
	return dir, err
}

func (b *builder) pack(code string, seq int64, day time.Time, mode string, files []exchange.BuildFile) (string, error) {
	name := exchange.Name{Sender: code, Date: day.Format("20060102"), Seq: seq}.String()
	path := filepath.Join(b.dir, "packages", code, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	m := exchange.Manifest{Sender: code, Sequence: seq, DataDate: day.Format(time.DateOnly), Standard: b.std.Version, Mode: mode}
	_, err := exchange.Build(path, m, files)
	return path, err
}

// full: the agency's first package, its complete set.
func (b *builder) full(p agencyPlan) (Delivery, error) {
	dir, err := b.genDir(p.code, p.seed, 0)
	if err != nil {
		return Delivery{}, err
	}
	var files []exchange.BuildFile
	for _, ds := range datasets {
		if path := filepath.Join(dir, ds+".csv"); exists(path) {
			files = append(files, exchange.BuildFile{Path: path, Dataset: ds})
		}
	}
	path, err := b.pack(p.code, 1, b.day[0], "full", files)
	note := "首次报送：全量包，建立该单位的全部记录"
	if p.code == "CJ0000" {
		note = "长航局首次报送：部分许可证、营运证的编号已由江苏省报送，按 REL-26 拒收（记录归首个报送单位所有）"
	}
	return Delivery{Inbox: p.code, Path: path, Note: note}, err
}

// changes: an incremental package moving some operators' addresses and
// withdrawing one; each sequence touches its own rows and one shared row.
func (b *builder) changes(code string, seq int64, note string) (Delivery, error) {
	seed := map[string]uint64{"320000": 32, "330000": 33, "440000": 44, "CJ0000": 90}[code]
	dir, err := b.genDir(code, seed, 0)
	if err != nil {
		return Delivery{}, err
	}
	recs, err := readCSV(filepath.Join(dir, "shipping_operator.csv"))
	if err != nil {
		return Delivery{}, err
	}
	addr := slices.Index(recs[0], "address")
	out := [][]string{append(slices.Clone(recs[0]), "op_type")}
	for i, rec := range recs[1:] {
		if i != 0 && i%4 != int(seq)%4 {
			continue
		}
		r := append(slices.Clone(rec), "U")
		r[addr] = fmt.Sprintf("%s（%d号包变更）", strings.TrimSuffix(rec[addr], "号"), seq)
		out = append(out, r)
	}
	if seq == 2 && len(out) > 3 {
		out[len(out)-1][len(out[0])-1] = "D" // an operator deregistered
	}
	file := filepath.Join(b.dir, "data", fmt.Sprintf("%s-changes-%d", code, seq), "shipping_operator.csv")
	if err := writeCSV(file, out); err != nil {
		return Delivery{}, err
	}
	path, err := b.pack(code, seq, b.day[min(int(seq)-1, 2)], "incremental", []exchange.BuildFile{{Path: file, Dataset: "shipping_operator"}})
	return Delivery{Inbox: code, Path: path, Note: note}, err
}

// again: the same bytes as an earlier package.
func (b *builder) again(code string, seq int64, note string) (Delivery, error) {
	name := exchange.Name{Sender: code, Date: b.day[seq-1].Format("20060102"), Seq: seq}.String()
	return Delivery{Inbox: code, Path: filepath.Join(b.dir, "packages", code, name), Note: note}, nil
}

// faulty: new records of the agency, some rows with known errors.
func (b *builder) faulty(code string, seq int64, seed uint64, note string) (Delivery, error) {
	dir, err := b.genDir(code, seed*100+uint64(seq), 0.08)
	if err != nil {
		return Delivery{}, err
	}
	var files []exchange.BuildFile
	for _, ds := range []string{"waterway_transport_license", "vessel_operating_certificate"} {
		files = append(files, exchange.BuildFile{Path: filepath.Join(dir, ds+".csv"), Dataset: ds})
	}
	path, err := b.pack(code, seq, b.day[seq-1], "incremental", files)
	return Delivery{Inbox: code, Path: path, Note: note}, err
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) > 0 && len(recs[0]) > 0 {
		recs[0][0] = strings.TrimPrefix(recs[0][0], "\ufeff")
	}
	return recs, nil
}

func writeCSV(path string, recs [][]string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(recs); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
