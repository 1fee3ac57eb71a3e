package progress_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"shuiyun/internal/agency"
	"shuiyun/internal/gen"
	"shuiyun/internal/progress"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
	"shuiyun/internal/validate"
)

// The benchmark's year: 34 agencies send a package a day for 365 days.
const (
	benchDays        = 365
	benchUpdateAfter = 90 // days from a record's first version to its update
)

// Generated ships per province: package gen makes each province's
// operators, licences and certificates around them, and the maritime
// registrations (D11) and surveys (D12) of the same ships, which the
// ministry sends. About 770,000 records; with updates and withdrawals
// 1,000,000 versions. SHUIYUN_BENCH_SCALE shrinks them for a quick look.
var benchShips = scaled(6_800)

func scaled(n int) int {
	var f float64
	if _, err := fmt.Sscan(os.Getenv("SHUIYUN_BENCH_SCALE"), &f); err == nil && f > 0 {
		return max(10, int(float64(n)*f))
	}
	return n
}

var benchFirst = progress.MustDay("2025-11-01")

// BenchmarkProgress computes the figures of 34 agencies × 12 datasets ×
// 365 days over about 1,000,000 stored versions: "full" from nothing (every
// version evaluated against the rules, every day swept), "daily" the last
// day from the day before (that day's new versions only).
//
// The year is generated once into SHUIYUN_BENCH_DIR (a temporary folder by
// default; bench/progress.sh keeps it under bench/out) and reused.
//
//	go test -run XXX -bench Progress -benchtime 3x ./internal/progress
func BenchmarkProgress(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	last := benchFirst + benchDays - 1
	svc := progress.New(s)
	svc.TempDir = b.TempDir()
	b.Run("full", func(b *testing.B) {
		b.ReportMetric(0, "ns/op")
		var total, cpu time.Duration
		var res progress.Result
		for range b.N {
			b.StopTimer()
			if err := s.DeleteDaysFrom(ctx, benchFirst.String()); err != nil {
				b.Fatal(err)
			}
			if err := s.DeleteEvaluations(ctx); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			start, cpu0 := time.Now(), cpuTime()
			var err error
			if res, err = svc.ComputeThrough(ctx, last); err != nil {
				b.Fatal(err)
			}
			total, cpu = total+time.Since(start), cpu+cpuTime()-cpu0
		}
		b.ReportMetric(total.Seconds()/float64(b.N), "s/op")
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		b.ReportMetric(float64(res.Evaluated), "versions")
		b.ReportMetric(float64(res.Failing), "failing")
		b.ReportMetric(float64(maxRSS())/(1<<20), "peak-RSS-MB")
		b.Logf("last run: %+v", res)
	})
	b.Run("daily", func(b *testing.B) {
		b.ReportMetric(0, "ns/op")
		b.StopTimer()
		if err := s.DeleteDaysFrom(ctx, (last - 1).String()); err != nil {
			b.Fatal(err)
		}
		if _, err := svc.ComputeThrough(ctx, last-1); err != nil { // the day before, and the sy_from index
			b.Fatal(err)
		}
		var total, cpu time.Duration
		var res progress.Result
		for range b.N {
			b.StopTimer()
			if err := s.DeleteDaysFrom(ctx, last.String()); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			start, cpu0 := time.Now(), cpuTime()
			var err error
			if res, err = svc.ComputeThrough(ctx, last); err != nil {
				b.Fatal(err)
			}
			total, cpu = total+time.Since(start), cpu+cpuTime()-cpu0
			if res.Incremental != 1 {
				b.Fatalf("daily update was not incremental: %+v", res)
			}
		}
		b.ReportMetric(total.Seconds()/float64(b.N), "s/op")
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		b.ReportMetric(float64(res.Evaluated), "versions")
		b.Logf("last run: %+v", res)
	})
}

// cpuTime is the CPU time the process has used: the machine is shared, so
// wall time alone says little about the work done.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// maxRSS is the process's peak resident memory in bytes.
func maxRSS() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss * 1024
}

// benchStore opens the benchmark's store, generating its year when it is new.
func benchStore(b *testing.B) *store.Store {
	b.Helper()
	dir := os.Getenv("SHUIYUN_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	std := mustStandard(b)
	cfg := store.Config{Data: dir}
	if pg := os.Getenv("SHUIYUN_BENCH_POSTGRES"); pg != "" {
		cfg = store.Config{URL: pg}
	}
	s, err := store.Open(context.Background(), cfg, std)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if first, err := s.FirstActivity(context.Background()); err != nil || !first.IsZero() {
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	start := time.Now()
	n, err := loadYear(s, std, filepath.Join(dir, "gen"))
	if err != nil {
		b.Fatal(err)
	}
	fmt.Printf("generated %d versions in %v\n", n, time.Since(start).Round(time.Second))
	return s
}

// yearSource is one agency's generated records of one dataset.
type yearSource struct {
	ds        *standard.Dataset
	rows      [][]string
	keys      []string
	mandatory int // a mandatory non-key field, blanked in defective rows
	text      int // a free-text field an update changes
}

// loadYear writes a generated year into the store: each agency's records
// arrive spread evenly over the year, a share is updated 90 days later,
// one in a hundred updates is a withdrawal; one row in fifty is rejected
// (fixed when its update comes), one in fifty stored with a missing
// mandatory field; a package in twenty is missing, one in ten late, and a
// sequence number in fifty is skipped. The D11/D12 records of a province's
// ships are the ministry's: they are written in the province's daily
// transaction as the ministry's rows (the benchmark needs their versions,
// not the ministry's packages).
func loadYear(s *store.Store, std *standard.Standard, dir string) (int, error) {
	seen := map[string]map[string]bool{}
	versions := 0
	for i, a := range agency.All {
		if a.Code == agency.Ministry {
			continue
		}
		sources, err := generated(std, a.Code, uint64(i), filepath.Join(dir, a.Code), seen)
		if err != nil {
			return 0, err
		}
		n, err := sendYear(s, a.Code, sources)
		if err != nil {
			return 0, err
		}
		versions += n
	}
	return versions, os.RemoveAll(dir)
}

func generated(std *standard.Standard, code string, seed uint64, dir string, seen map[string]map[string]bool) ([]*yearSource, error) {
	opt := gen.Options{Seed: seed, Rows: benchShips, AsOf: benchFirst.Start(), Format: "csv", Encoding: "UTF-8", Header: "id", Submitter: code, Dir: dir}
	res, err := gen.Generate(std, opt)
	if err != nil {
		return nil, err
	}
	by := map[string]*yearSource{}
	var out []*yearSource
	for _, path := range res.Files {
		if strings.HasSuffix(path, "answers.csv") {
			continue
		}
		err := validate.Records(context.Background(), std, path, "", func(rt validate.RecordTable, r *validate.Record) error {
			src := by[rt.Dataset.Name]
			if src == nil {
				src = newYearSource(rt.Dataset)
				by[rt.Dataset.Name], out = src, append(out, src)
				if seen[rt.Dataset.Name] == nil {
					seen[rt.Dataset.Name] = map[string]bool{}
				}
			}
			if r.Key == "" || seen[rt.Dataset.Name][r.Key] {
				return nil
			}
			seen[rt.Dataset.Name][r.Key] = true
			src.rows, src.keys = append(src.rows, append([]string(nil), r.Values...)), append(src.keys, r.Key)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, os.RemoveAll(dir)
}

func newYearSource(ds *standard.Dataset) *yearSource {
	src := &yearSource{ds: ds, mandatory: -1, text: -1}
	for i, f := range ds.Fields {
		key := false
		for _, k := range append(append([]string(nil), ds.Key...), ds.AltKey...) {
			key = key || k == f.Name
		}
		if key {
			continue
		}
		if src.mandatory < 0 && f.Required == standard.Mandatory {
			src.mandatory = i
		}
		if src.text < 0 && f.Type == standard.TypeString && f.Pattern == "" && f.ID == "" && f.Length >= 20 {
			src.text = i
		}
	}
	return src
}

// mix is a deterministic hash of small numbers: which days, rows and
// sequences get which treatment.
func mix(parts ...any) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		fmt.Fprint(h, p, "/")
	}
	return h.Sum64()
}

func sendYear(s *store.Store, code string, sources []*yearSource) (int, error) {
	ctx := context.Background()
	inserted := make([]int, len(sources)) // rows sent so far per source
	updated := make([]int, len(sources))
	seq, versions := int64(0), 0
	for day := range benchDays {
		if mix(code, day)%20 == 0 {
			continue // no package today: its rows come tomorrow
		}
		hour := 8 + int(mix(code, day, "h")%10)
		if mix(code, day, "late")%10 == 0 {
			hour = 19
		}
		at := (benchFirst + progress.Day(day)).At(hour*60 + int(mix(code, day, "m")%60))
		s.Now = func() time.Time { return at }
		seq++
		if mix(code, seq)%50 == 0 {
			seq++ // a sequence number never sent
		}
		var files []yearFile
		for i, src := range sources {
			f := yearFile{src: src}
			n := len(src.rows)
			for ; inserted[i] < n && inserted[i]*benchDays/n <= day; inserted[i]++ {
				f.add(inserted[i], false)
			}
			for ; updated[i] < n && updated[i]*benchDays/n+benchUpdateAfter <= day; updated[i]++ {
				f.add(updated[i], true)
			}
			if len(f.puts)+len(f.rejected) > 0 {
				files = append(files, f)
			}
		}
		n, err := sendFiles(ctx, s, code, seq, at, files)
		if err != nil {
			return 0, fmt.Errorf("%s day %d: %w", code, day, err)
		}
		versions += n
	}
	return versions, nil
}

type yearFile struct {
	src      *yearSource
	puts     []yearPut
	rejected []store.RejectedRow
}

type yearPut struct {
	op     byte
	key    string
	values []string
}

// add queues row i's first version, or its update (or withdrawal).
func (f *yearFile) add(i int, update bool) {
	src := f.src
	values := src.rows[i]
	switch {
	case !update && i%50 == 0: // rejected: arrives when its update does
		f.rejected = append(f.rejected, store.RejectedRow{Row: len(f.puts) + len(f.rejected) + 2, Key: src.keys[i], Rules: []string{"REQ"}})
		return
	case update && i%7 >= 3 && i%50 != 0:
		return // not updated
	case update && i%100 == 99:
		f.puts = append(f.puts, yearPut{op: 'D', key: src.keys[i], values: values})
		return
	case update && src.text >= 0:
		values = append([]string(nil), values...)
		values[src.text] = changed(values[src.text], src.ds.Fields[src.text].Length)
	case !update && i%50 == 7 && src.mandatory >= 0:
		values = append([]string(nil), values...)
		values[src.mandatory] = ""
	}
	f.puts = append(f.puts, yearPut{op: 'U', key: src.keys[i], values: values})
}

func changed(s string, length int) string {
	if utf8.RuneCountInString(s) >= length {
		return "更新"
	}
	return s + "更"
}

func sendFiles(ctx context.Context, s *store.Store, code string, seq int64, at time.Time, files []yearFile) (int, error) {
	name := fmt.Sprintf("%s_%s_%06d.zip", code, at.Format("20060102"), seq)
	if _, _, err := s.Enqueue(ctx, store.Job{Inbox: code, Name: name, Path: "processing/" + name, SHA256: name}); err != nil {
		return 0, err
	}
	job, err := s.Claim(ctx, "bench", time.Hour)
	if err != nil || job == nil {
		return 0, fmt.Errorf("claim: %v %v", job, err)
	}
	tx, err := s.Begin(ctx, job, "bench")
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	d := &store.Delivery{Inbox: code, Name: name, Sender: code, Seq: seq, SHA256: name, Status: "accepted", Applied: true,
		ReceivedAt: at, ProcessedAt: at}
	versions := 0
	for _, f := range files {
		sender := code
		if f.src.ds.Reference {
			sender = agency.Ministry
		}
		w, err := tx.Dataset(ctx, f.src.ds.Name, store.Batch{Sender: sender, Seq: seq, DataDate: at.Format(time.DateOnly), UniqueKeys: true})
		if err != nil {
			return 0, err
		}
		for i, p := range f.puts {
			if err := w.Put(ctx, i+2, p.op, p.key, p.values); err != nil {
				return 0, err
			}
		}
		c, err := w.Close(ctx)
		if err != nil {
			return 0, err
		}
		versions += c.Inserted + c.Updated + c.Withdrawn
		if sender != code {
			continue
		}
		sub := store.Submission{Dataset: f.src.ds.Name, Rows: len(f.puts) + len(f.rejected), Rejected: f.rejected}
		if err := tx.RecordSubmission(ctx, code, sub); err != nil {
			return 0, err
		}
		d.Total += sub.Rows
		d.Rejected += len(f.rejected)
	}
	d.Accepted = d.Total - d.Rejected
	if err := tx.Finish(ctx, d, func(*store.Delivery, []int64) ([]byte, error) { return []byte("{}"), nil }); err != nil {
		return 0, err
	}
	return versions, s.Done(ctx, job, "bench")
}
