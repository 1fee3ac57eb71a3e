package table

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const benchRows = 100_000

// BenchmarkCSVUTF8 reads a 100k-row, 30-column vessel register in UTF-8: the
// table reader with 1 and 2 partitions read concurrently, next to bare
// encoding/csv on the same file (1 goroutine, and 2 newline-aligned ranges).
func BenchmarkCSVUTF8(b *testing.B) { benchCSV(b, false) }

// BenchmarkCSVGB18030 is BenchmarkCSVUTF8 on the same data in GB18030.
func BenchmarkCSVGB18030(b *testing.B) { benchCSV(b, true) }

func benchCSV(b *testing.B, gb bool) {
	path := writeBenchCSV(b, gb)
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("encoding-csv/%d", n), func(b *testing.B) {
			b.SetBytes(fi.Size())
			for b.Loop() {
				if rows := bareCSV(b, path, fi.Size(), n); rows != benchRows+1 {
					b.Fatalf("read %d records, want %d", rows, benchRows+1)
				}
			}
			reportRows(b, benchRows)
		})
	}
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("table/%d", n), func(b *testing.B) {
			b.SetBytes(fi.Size())
			for b.Loop() {
				if rows := readTable(b, path, n); rows != benchRows {
					b.Fatalf("read %d rows, want %d", rows, benchRows)
				}
			}
			reportRows(b, benchRows)
		})
	}
}

func reportRows(b *testing.B, rows int) {
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// readTable opens path and reads its first table with n concurrent partitions,
// returning the number of rows; each row's cells are touched.
func readTable(b *testing.B, path string, n int) int {
	f, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	parts, err := f.Tables[0].Partitions(n)
	if err != nil {
		b.Fatal(err)
	}
	counts := make([]int, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() {
			defer p.Close()
			for p.Next() {
				r := p.Row()
				if r.Problem != nil || len(r.Cells) == 0 {
					panic(fmt.Sprintf("row %d: %+v", r.Num, r))
				}
				counts[i]++
			}
			if err := p.Err(); err != nil {
				panic(err)
			}
		})
	}
	wg.Wait()
	total := 0
	for _, c := range counts {
		total += c
	}
	return total
}

// bareCSV parses path with encoding/csv alone in n newline-aligned ranges
// (the benchmark file has no line breaks inside cells) and counts records.
func bareCSV(b *testing.B, path string, size int64, n int) int {
	fh, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer fh.Close()
	cuts := []int64{0}
	for k := 1; k < n; k++ {
		off, err := skipLines(fh, size*int64(k)/int64(n), size, 1)
		if err != nil {
			b.Fatal(err)
		}
		cuts = append(cuts, off)
	}
	cuts = append(cuts, size)
	counts := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := csv.NewReader(bufio.NewReaderSize(io.NewSectionReader(fh, cuts[i], cuts[i+1]-cuts[i]), 64<<10))
			r.ReuseRecord, r.FieldsPerRecord = true, -1
			for {
				if _, err := r.Read(); errors.Is(err, io.EOF) {
					return
				} else if err != nil {
					panic(err)
				}
				counts[i]++
			}
		})
	}
	wg.Wait()
	total := 0
	for _, c := range counts {
		total += c
	}
	return total
}

// BenchmarkXLSX reads a 20k-row, 30-column sheet written by excelize.
func BenchmarkXLSX(b *testing.B) {
	const rows = 20_000
	path := filepath.Join(b.TempDir(), "vessels.xlsx")
	writeBenchXLSX(b, path, rows)
	for b.Loop() {
		if n := readTable(b, path, 1); n != rows {
			b.Fatalf("read %d rows, want %d", n, rows)
		}
	}
	reportRows(b, rows)
}

func writeBenchCSV(b *testing.B, gb bool) string {
	b.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	rng := rand.New(rand.NewPCG(7, 11))
	w.Write(benchHeader)
	for range benchRows {
		w.Write(benchRecord(rng))
	}
	w.Flush()
	data := buf.Bytes()
	if gb {
		var err error
		if data, err = simplifiedchinese.GB18030.NewEncoder().Bytes(data); err != nil {
			b.Fatal(err)
		}
	}
	path := filepath.Join(b.TempDir(), "vessels.csv")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

func writeBenchXLSX(b *testing.B, path string, rows int) {
	b.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	row := make([]any, len(benchHeader))
	for i, h := range benchHeader {
		row[i] = h
	}
	sw.SetRow("A1", row)
	rng := rand.New(rand.NewPCG(7, 11))
	for r := range rows {
		for i, c := range benchRecord(rng) {
			row[i] = c
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", r+2), row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
}

var benchHeader = strings.Split("船舶识别号,船名,曾用名,船籍港,IMO,MMSI,船舶种类,航区,船体材料,总吨,净吨,载重吨,"+
	"总长,型宽,型深,主机功率,建造日期,经营人名称,经营人统一社会信用代码,营运证号,发证日期,有效期至,"+
	"发证机关,证书状态,经营范围,区划代码,联系人,联系电话,地址,备注", ",")

var (
	benchPorts   = []string{"舟山", "宁波", "上海", "武汉", "重庆", "广州", "南京", "岳阳", "芜湖", "泸州"}
	benchNames   = []string{"浙普渔", "长江之星", "海港", "江海通", "远航", "鑫达", "顺丰", "华航", "东方红", "金盛"}
	benchCompany = []string{"舟山市普陀海运有限公司", "武汉长江船舶运输有限责任公司", "广州珠江航运集团有限公司",
		"重庆川江轮船有限公司", "宁波北仑港口物流有限公司"}
	benchStreets = []string{"沈家门街道", "滨江大道", "解放路", "中山路", "人民路"}
)

// benchRecord is one realistic row: identifiers, Chinese names, codes, dates
// and decimals, about 300 bytes in UTF-8.
func benchRecord(rng *rand.Rand) []string {
	n := rng.IntN
	date := func() string { return fmt.Sprintf("%d-%02d-%02d", 2000+n(25), 1+n(12), 1+n(28)) }
	port := benchPorts[n(len(benchPorts))]
	rec := []string{
		fmt.Sprintf("CN%011d", n(1e11)), fmt.Sprintf("%s%d", benchNames[n(len(benchNames))], n(100000)), "",
		port, fmt.Sprintf("%07d", n(1e7)), fmt.Sprintf("41%07d", n(1e7)), fmt.Sprintf("%d", 10+n(80)),
		fmt.Sprintf("%d", 1+n(4)), "01", fmt.Sprintf("%d.%03d", n(50000), n(1000)), fmt.Sprintf("%d.%03d", n(30000), n(1000)),
		fmt.Sprintf("%d.%03d", n(80000), n(1000)), fmt.Sprintf("%d.%02d", 10+n(300), n(100)), fmt.Sprintf("%d.%02d", 3+n(50), n(100)),
		fmt.Sprintf("%d.%02d", 1+n(30), n(100)), fmt.Sprintf("%d", 100+n(20000)), date(),
		benchCompany[n(len(benchCompany))], fmt.Sprintf("91%04d00%010d", n(10000), n(1e10)),
		fmt.Sprintf("交运（浙）字%06d号", n(1e6)), date(), date(), port + "市港航管理局", "1", "1000|1001|3000",
		fmt.Sprintf("33%04d", n(10000)), "张" + benchNames[n(len(benchNames))][:3], fmt.Sprintf("1%010d", n(1e10)),
		port + "市" + benchStreets[n(len(benchStreets))] + fmt.Sprintf("%d号", n(999)), "",
	}
	if n(10) == 0 {
		rec[2] = benchNames[n(len(benchNames))] + "号"
		rec[29] = "2019年更名，原船籍港" + benchPorts[n(len(benchPorts))]
	}
	return rec
}
