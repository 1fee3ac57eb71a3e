// Package gen writes deterministic, realistic synthetic data for every dataset of the
// standard (D01–D12), with defects injected at known rows and an answer file listing
// every finding the validator must report on them — no more, no less.
//
// The data hang together the way real data do: each 营运证 (D03) belongs to an active
// licence (D02) of an operator (D01), names its ship as registered with the MSA (D11),
// and the ship holds a valid survey certificate (D12); port licences (D08) belong to
// port enterprises (D07) and carry dangerous-goods annexes (D09). A defect breaks one
// thing on one row; the answers say which findings that causes, by the engine's
// semantics (package validate, doc.go). Quirks are real-data spellings (2023年5月6日,
// 存续 for 1, half-width brackets…) the validator must accept silently.
//
// Memory stays bounded for a million ships: operators and the small datasets live in
// memory, ships and port enterprises are rebuilt from their index in each pass, and
// rows stream to the writer.
package gen

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"shuiyun/internal/standard"
)

// Options says what to generate.
type Options struct {
	Seed uint64
	Rows int // rows of vessel_operating_certificate (D03, at least 3); other datasets scale from it
	// ErrorRate is the share of rows of each dataset that get an injected defect (0 =
	// clean). While rows last, each defect kind gets at least one row it fits, so small
	// datasets (D04, D10) carry more than the share.
	ErrorRate float64
	AsOf      time.Time // the "today" of date rules; required (no time.Now inside gen)
	Datasets  []string  // dataset names to write; empty = all 12
	Format    string    // "csv" or "xlsx" (xlsx: one workbook data.xlsx, one sheet per dataset named by its Chinese label)
	Encoding  string    // csv only: "UTF-8" or "GB18030"
	Header    string    // "id" (field ids) or "label" (Chinese labels)
	Submitter string    // "" = national data; an agency code (contracts.md §1) = only that agency's records
	Quirks    bool      // sprinkle real-data quirks that must NOT produce findings
	Dir       string    // output folder
}

// Result describes what was written.
type Result struct {
	Files   []string       // paths of the data files and answers.csv
	Rows    map[string]int // data rows per dataset name
	Defects []Defect       // one per expected finding, as in answers.csv
}

// Defect is one expected finding (a line of answers.csv): where it is, which rule
// reports it and with what severity (the standard's), and the defect kind behind it.
type Defect struct {
	File, Sheet string // file name (data.xlsx for XLSX) and sheet (XLSX only)
	Row         int    // as a spreadsheet shows it: header row 1, data from row 2
	Field, Rule string
	Severity    string
	Note        string // the defect kind that caused it
}

// Stream labels for the deterministic generators.
const (
	hOperators uint64 = iota + 1
	hShips
	hSkel
	hShipID
	hSurvey
	hPorts
	hAnnex
	hMgmt
	hFiling
	hIntl
	hProjects
	hMisc
	hPlan
	hDefect
	hQuirk
)

type generator struct {
	std         *standard.Standard
	opt         Options
	seed        uint64
	asOf        day
	reg         *regionPool
	w           *world
	shipIDs     []cnShipCode
	surveyStart []int32 // D12 rows of ship i: surveyStart[i] … surveyStart[i+1]−1
	nPorts      int
	annexStart  []int32 // D09 rows of port enterprise j
	plans       map[string]*plan
	written     map[string]bool
	answers     []Defect
	rows        map[string]int
	// forceAnnexes makes the first three port enterprises dangerous-goods operators
	// with an annex each (for data too small to have three by chance).
	forceAnnexes bool
	layouts      map[string]*layout
	trace        func(traced) // tests: sees every row written
}

// Generate writes the data files and answers.csv into opt.Dir.
func Generate(std *standard.Standard, opt Options) (*Result, error) {
	g, err := newGenerator(std, opt)
	if err != nil {
		return nil, err
	}
	return g.run()
}

func (g *generator) run() (*Result, error) {
	opt := g.opt
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", opt.Dir, err)
	}
	g.build()
	g.planDefects()
	files, err := g.writeAll()
	if err != nil {
		return nil, err
	}
	ans, err := g.writeAnswers()
	if err != nil {
		return nil, err
	}
	return &Result{Files: append(files, ans), Rows: g.rows, Defects: g.answers}, nil
}

func newGenerator(std *standard.Standard, opt Options) (*generator, error) {
	if std == nil || std.Regions == nil {
		return nil, errors.New("gen: no standard")
	}
	if opt.AsOf.IsZero() {
		return nil, errors.New("gen: AsOf is required")
	}
	if opt.ErrorRate < 0 || opt.ErrorRate > 1 {
		return nil, fmt.Errorf("gen: error rate %g is not between 0 and 1", opt.ErrorRate)
	}
	opt.Rows = max(opt.Rows, 3)
	opt.Format = cmp.Or(opt.Format, "csv")
	opt.Encoding = cmp.Or(opt.Encoding, "UTF-8")
	opt.Header = cmp.Or(opt.Header, "id")
	if opt.Format != "csv" && opt.Format != "xlsx" {
		return nil, fmt.Errorf("gen: unknown format %q (csv or xlsx)", opt.Format)
	}
	if opt.Encoding != "UTF-8" && opt.Encoding != "GB18030" {
		return nil, fmt.Errorf("gen: unknown encoding %q (UTF-8 or GB18030)", opt.Encoding)
	}
	if opt.Header != "id" && opt.Header != "label" {
		return nil, fmt.Errorf("gen: unknown header %q (id or label)", opt.Header)
	}
	g := &generator{std: std, opt: opt, seed: opt.Seed, asOf: dayOf(opt.AsOf), rows: map[string]int{}, layouts: map[string]*layout{}}
	g.written = map[string]bool{}
	for _, name := range opt.Datasets {
		ds := std.Dataset(name)
		if ds == nil {
			return nil, fmt.Errorf("gen: unknown dataset %q", name)
		}
		g.written[ds.Name] = true
	}
	if len(g.written) == 0 {
		for _, name := range allDatasets {
			g.written[name] = true
		}
	}
	for name := range g.written {
		if std.Dataset(name) == nil || !slices.Contains(allDatasets, name) {
			return nil, fmt.Errorf("gen: dataset %q is not one gen knows", name)
		}
	}
	reg, err := newRegionPool(std, opt.Submitter, g.asOf.String())
	if err != nil {
		return nil, fmt.Errorf("gen: %w", err)
	}
	g.reg = reg
	return g, nil
}

// build makes the in-memory world and the ship and port indexes.
func (g *generator) build() {
	g.w = &world{g: g, usedNames: map[string]bool{}}
	g.buildOperators()
	g.buildMgmt()
	g.buildFilings()
	g.buildIntl()
	g.buildProjects()
	g.buildShipIDs()
	g.nPorts = max(3, round(float64(g.opt.Rows)/6))
	g.annexStart = make([]int32, g.nPorts+1)
	if !g.portsWritten() {
		return
	}
	for j := 0; j < g.nPorts; j++ {
		g.annexStart[j+1] = g.annexStart[j] + int32(g.cleanPortCo(j).annexes)
	}
	if g.annexStart[g.nPorts] < 3 { // tiny data: make the first enterprises hold annexes
		g.forceAnnexes = true
		for j := 0; j < g.nPorts; j++ {
			g.annexStart[j+1] = g.annexStart[j] + int32(g.cleanPortCo(j).annexes)
		}
	}
}

// portsWritten reports whether any port dataset is written; otherwise port enterprises
// are never built.
func (g *generator) portsWritten() bool {
	return g.written[dsPortOp] || g.written[dsPortLic] || g.written[dsAnnex]
}
