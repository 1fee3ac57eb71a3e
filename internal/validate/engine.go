package validate

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"shuiyun/internal/standard"
	"shuiyun/internal/table"
)

// DefaultMaxFindings is how many findings a table keeps by default: enough for
// any file a clerk can fix by hand, small enough that a file where every cell
// is wrong cannot exhaust memory.
const DefaultMaxFindings = 100_000

// ErrUsage marks errors in how the engine was asked to run (an unknown
// --dataset, an unreadable file): the command exits 2 for them.
var ErrUsage = errors.New("usage")

// Options tune a validation run (contracts.md §2 `validate` flags).
type Options struct {
	Dataset   string    // --dataset: every file is this dataset
	AsOf      time.Time // the "today" of date rules
	Submitter string    // --submitter: enables REL-20/21
	Refs      []string  // --ref: files or flat folders read for relational rules only
	Workers   int       // partitions read in parallel per table; 0 = GOMAXPROCS
	// MaxFindings caps the findings kept per table (the rest are counted in the
	// summary and File.Truncated); 0 = DefaultMaxFindings, negative = no cap.
	MaxFindings int
	// Progress, if set, is called now and then with bytes done and bytes in all.
	Progress func(done, total int64)
	// Repository, if set, supplies stored records for relational rules (the
	// hub). The caller then checks REL-26 itself, so it is not listed as skipped.
	Repository Repository
	// Spool, if set, is a folder where the run keeps the normalised rows of
	// the tables it checks, for File.Records (the hub stores them from there
	// rather than reading its files again). The caller removes the folder.
	Spool string
}

// Repository gives the engine the national repository's current records.
type Repository interface {
	// Table returns the current records of a dataset as a table whose header
	// holds field ids, or nil when none are stored.
	Table(ctx context.Context, dataset string) (*table.Table, error)
}

// checker is what every row check needs: the standard, today, settings.
type checker struct {
	std         *standard.Standard
	asOf        time.Time
	asOfText    string
	today       int32
	nulls       []string
	nullFirst   [256]bool // first bytes of the null values: most cells are ruled out by one load
	submitter   string
	workers     int
	maxFindings int
	plans       map[*standard.Dataset]*plan
	done        atomic.Int64
	repository  bool   // stored records are in the batch's references (Options.Repository)
	spool       string // Options.Spool
}

// batch is the state shared by the tables of one run.
type batch struct {
	idx    *indexes
	have   map[string]bool     // datasets present in the batch or --ref
	unique map[string][]firsts // dataset → first occurrences of its business keys, per table
	active []firsts            // REL-12: first 存续 certificate of each ship id, per table
	names  []nameEntry
	runs   []*tableRun // every batch table, so a first occurrence can name its file
}

// hashKey returns a 64-bit hash of a key and 32 bits of a second hash (the
// check). The batch keeps first occurrences as hashes: no key text, nothing
// for the collector to scan. A false duplicate needs a 96-bit collision (about
// 1e-17 for a million keys); a 64-bit collision with a different check (about
// 3e-8) only means that key's own repeats go unseen.
func hashKey(s string) (uint64, uint32) {
	return maphash.String(hashSeeds[0], s), uint32(maphash.String(hashSeeds[1], s))
}

var hashSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// Run validates the files as one batch and returns the report.
func Run(ctx context.Context, std *standard.Standard, paths []string, opt Options) (*Report, error) {
	c, forced, err := newChecker(std, opt)
	if err != nil {
		return nil, err
	}
	b := &batch{idx: newIndexes(), have: map[string]bool{}, unique: map[string][]firsts{}}
	refPaths, err := expandRefs(opt.Refs)
	if err != nil {
		return nil, err
	}
	refRuns, refFiles, err := c.open(b, refPaths, nil, true)
	defer closeAll(refFiles)
	if err != nil {
		return nil, err
	}
	runs, files, err := c.open(b, paths, forced, false)
	defer closeAll(files)
	if err != nil {
		return nil, err
	}
	stored, err := c.stored(ctx, b, opt.Repository, runs)
	if err != nil {
		return nil, err
	}
	refRuns = append(stored, refRuns...)
	stop := c.progress(opt.Progress, append(slices.Clone(refRuns), runs...))
	defer stop()
	for _, t := range refRuns {
		if err := c.runTable(ctx, t); err != nil {
			return nil, err
		}
	}
	ordered := slices.Clone(runs)
	sort.SliceStable(ordered, func(i, j int) bool {
		return ordered[i].plan != nil && ordered[j].plan != nil && ordered[i].plan.rank < ordered[j].plan.rank
	})
	for _, t := range ordered {
		if err := c.runTable(ctx, t); err != nil {
			return nil, err
		}
	}
	c.resolveNames(b)
	return c.report(b, runs), nil
}

func newChecker(std *standard.Standard, opt Options) (*checker, *standard.Dataset, error) {
	if std.Regions == nil {
		return nil, nil, fmt.Errorf("standard %s has no region table", std.Version)
	}
	asOf := opt.AsOf
	if asOf.IsZero() {
		asOf = Today()
	}
	c := &checker{std: std, asOf: asOf, repository: opt.Repository != nil, asOfText: asOf.Format(time.DateOnly), today: dayFromTime(asOf),
		nulls: std.Settings.NullValues, submitter: opt.Submitter, workers: opt.Workers, plans: map[*standard.Dataset]*plan{}, spool: opt.Spool}
	if c.workers <= 0 {
		c.workers = runtime.GOMAXPROCS(0)
	}
	for _, n := range c.nulls {
		if n != "" {
			c.nullFirst[n[0]] = true
		}
	}
	switch c.maxFindings = opt.MaxFindings; {
	case c.maxFindings == 0:
		c.maxFindings = DefaultMaxFindings
	case c.maxFindings < 0:
		c.maxFindings = 0
	}
	var forced *standard.Dataset
	if opt.Dataset != "" {
		if forced = std.Dataset(opt.Dataset); forced == nil {
			return nil, nil, fmt.Errorf("%w: 未知的数据集 --dataset %s（可用 shuiyun standard 查看数据集列表）", ErrUsage, opt.Dataset)
		}
	}
	return c, forced, nil
}

// Today is the current date in Asia/Shanghai, the default "today" of date rules.
func Today() time.Time {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	now := time.Now().In(loc)
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}

// expandRefs turns --ref arguments into files: a folder gives its data files (not recursively).
func expandRefs(refs []string) ([]string, error) {
	var out []string
	for _, r := range refs {
		info, err := os.Stat(r)
		if err != nil {
			return nil, fmt.Errorf("%w: --ref %s: %v", ErrUsage, r, err)
		}
		if !info.IsDir() {
			out = append(out, r)
			continue
		}
		entries, err := os.ReadDir(r)
		if err != nil {
			return nil, fmt.Errorf("%w: --ref %s: %v", ErrUsage, r, err)
		}
		for _, e := range entries {
			switch strings.ToLower(filepath.Ext(e.Name())) {
			case ".csv", ".xlsx", ".jsonl", ".ndjson":
				if !e.IsDir() {
					out = append(out, filepath.Join(r, e.Name()))
				}
			}
		}
	}
	return out, nil
}

func closeAll(files []*table.File) {
	for _, f := range files {
		f.Close()
	}
}

// open opens the files and binds each table to its dataset.
func (c *checker) open(b *batch, paths []string, forced *standard.Dataset, fromRef bool) ([]*tableRun, []*table.File, error) {
	var runs []*tableRun
	var files []*table.File
	for arg, path := range paths {
		f, err := table.Open(path, table.Options{})
		if err != nil {
			return nil, files, fmt.Errorf("%w: %v", ErrUsage, err)
		}
		files = append(files, f)
		for sheet, tbl := range f.Tables {
			t, err := c.bind(b, tbl, forced, len(f.Tables), fromRef)
			if err != nil {
				return nil, files, err
			}
			if t == nil {
				continue
			}
			t.arg, t.sheet = arg, sheet
			if !fromRef {
				t.id = int32(len(b.runs))
				b.runs = append(b.runs, t)
			}
			runs = append(runs, t)
		}
	}
	return runs, files, nil
}

// bind makes the run of one table: its dataset, plan and header mapping.
// It returns nil for a --ref table whose dataset cannot be told.
func (c *checker) bind(b *batch, tbl *table.Table, forced *standard.Dataset, sheets int, fromRef bool) (*tableRun, error) {
	ds := forced
	if ds == nil {
		ds = detect(c.std, tbl, sheets)
	}
	t := &tableRun{c: c, b: b, tbl: tbl, fromRef: fromRef, file: &File{Path: tbl.Path, Sheet: tbl.Sheet, Encoding: tbl.Encoding, HeaderRow: tbl.HeaderRow}}
	if col, meant, found := mojibakeHeader(tbl.Header); found {
		if fromRef {
			return nil, nil
		}
		t.skip = true
		if ds == nil {
			ds = byHeader(c.std, meantHeader(tbl.Header))
		}
		if ds != nil {
			t.file.Dataset = ds.Name
		}
		addFileFinding(c.std, t.file, "", "FILE-ENCODING", "", fmt.Sprintf(
			"表头第 %d 列“%s”是乱码，原文应为“%s”：文件曾被按 Windows-1252/Latin-1 编码打开后另存。"+
				"请在 Excel 或 WPS 中用“数据→自文本/CSV”按 UTF-8（或 GBK）编码导入原始 CSV 文件，再另存为 .xlsx", col+1, trim(tbl.Header[col]), meant))
		return t, nil
	}
	if ds == nil {
		if fromRef {
			return nil, nil
		}
		t.skip = true
		part, what := "", "无法确定文件对应的数据集：请用数据集名称命名文件（如 vessel_operating_certificate.csv），或用 --dataset 指定"
		if tbl.Sheet != "" {
			part, what = "sheet", fmt.Sprintf("工作表“%s”不对应任何数据集，已跳过", tbl.Sheet)
		}
		addFileFinding(c.std, t.file, "", "FILE-DATASET", part, what)
		return t, nil
	}
	p, err := c.plan(ds)
	if err != nil {
		return nil, err
	}
	t.plan = p
	t.file.Dataset = ds.Name
	t.init()
	if tbl.HeaderRow > 0 {
		t.bindHeader()
	}
	t.file.Header = make([]string, len(t.colField))
	for col, i := range t.colField {
		if i >= 0 {
			t.file.Header[col] = ds.Fields[i].Name
		} else if col == t.opCol {
			t.file.Header[col] = "op_type"
		}
	}
	b.have[ds.Name] = true
	return t, nil
}

func (c *checker) plan(ds *standard.Dataset) (*plan, error) {
	if p, found := c.plans[ds]; found {
		return p, nil
	}
	p, err := compile(c.std, ds)
	if err != nil {
		return nil, fmt.Errorf("standard %s: %w", c.std.Path, err)
	}
	c.plans[ds] = p
	return p, nil
}

// runTable reads a table's partitions in parallel, then merges their results in order.
func (c *checker) runTable(ctx context.Context, t *tableRun) error {
	if t.skip || t.tbl.HeaderRow == 0 {
		return nil
	}
	parts, err := t.tbl.Partitions(c.workers)
	if err != nil {
		return fmt.Errorf("%w: 读取 %s: %v", ErrUsage, t.name(), err)
	}
	if !t.fromRef {
		t.prepareKeys()
	}
	workers := make([]*worker, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i := range parts {
		workers[i] = t.newWorker(i == 0)
		if !t.fromRef {
			workers[i].reserveKeys(int(t.tbl.Size/300) / len(parts))
		}
	}
	if err := t.openSpools(workers); err != nil {
		for _, rows := range parts {
			rows.Close()
		}
		return err
	}
	for i, rows := range parts {
		wg.Go(func() { errs[i] = c.drain(ctx, workers[i], rows) })
	}
	wg.Wait()
	if err := t.keepSpools(workers, errors.Join(errs...)); err != nil {
		return fmt.Errorf("读取 %s: %w", t.name(), err)
	}
	if !t.fromRef {
		t.resolveKeys(workers)
	}
	for _, w := range workers {
		t.rows += w.rows
		t.file.Findings = append(t.file.Findings, w.findings...)
		t.tally.merge(&w.tally)
		t.b.idx.merge(w.idx)
		t.b.names = append(t.b.names, w.names...)
	}
	return nil
}

func (c *checker) drain(ctx context.Context, w *worker, rows table.Rows) error {
	defer rows.Close()
	var last int64
	for n := 0; rows.Next(); n++ {
		w.process(rows.Row())
		if n&4095 == 4095 {
			if err := ctx.Err(); err != nil {
				return err
			}
			d := rows.Done()
			c.done.Add(d - last)
			last = d
		}
	}
	c.done.Add(rows.Done() - last)
	return rows.Err()
}

// progress calls fn every 200 ms until stop is called.
func (c *checker) progress(fn func(done, total int64), runs []*tableRun) (stop func()) {
	if fn == nil {
		return func() {}
	}
	var total int64
	for _, t := range runs {
		total += t.tbl.Size
	}
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				fn(total, total)
				return
			case <-tick.C:
				fn(min(c.done.Load(), total), total)
			}
		}
	})
	return func() { close(quit); wg.Wait() }
}
