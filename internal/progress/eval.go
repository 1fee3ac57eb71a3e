package progress

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"shuiyun/internal/standard"
	"shuiyun/internal/store"
	"shuiyun/internal/table"
	"shuiyun/internal/validate"
)

// batch is versions written as CSV files, one per dataset, for one run of
// the validation engine: row n of a file is one version, so the findings of
// row n are that version's.
type batch struct {
	dir   string
	std   *standard.Standard
	mu    sync.Mutex // guards files and order: datasets are written concurrently, each by one goroutine
	files map[string]*batchFile
	order []string
}

type batchFile struct {
	path string
	f    *os.File
	bw   *bufio.Writer
	cw   *csv.Writer
	line int     // the line the next row starts on
	refs []int32 // per line from line 2: the reference of the version whose row starts there, -1 for none
}

// outcome is a version's failed rules (see ruleBits).
type outcome struct{ err, warn uint64 }

func newBatch(dir string, std *standard.Standard) (*batch, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return &batch{dir: dir, std: std, files: map[string]*batchFile{}}, nil
}

// add writes a version's values as the next row of its dataset's file.
func (b *batch) add(dataset string, v *store.VersionRow, ref int32) error {
	return b.addValues(dataset, v.Values, v.Packed, ref)
}

// addValues writes values as the next row: packed (the values joined by
// 0x1F, or "") goes out as it is when no value needs quoting.
func (b *batch) addValues(dataset string, values []string, packed string, ref int32) error {
	b.mu.Lock()
	bf := b.files[dataset]
	if bf == nil {
		var err error
		if bf, err = b.open(dataset); err != nil {
			b.mu.Unlock()
			return err
		}
	}
	b.mu.Unlock()
	for len(bf.refs) < bf.line-2 { // lines continuing a row that held a line break
		bf.refs = append(bf.refs, -1)
	}
	bf.refs = append(bf.refs, ref)
	bf.line++
	if packed != "" && !strings.ContainsAny(packed, ",\"\r\n") && !strings.HasPrefix(packed, " ") {
		for len(packed) > 0 {
			i := strings.IndexByte(packed, 0x1f)
			if i < 0 {
				i = len(packed)
			}
			bf.bw.WriteString(packed[:i])
			if i < len(packed) {
				bf.bw.WriteByte(',')
				i++
			}
			packed = packed[i:]
		}
		return bf.bw.WriteByte('\n')
	}
	// A value holding a line break makes its row span lines; the engine
	// numbers a row by its first line.
	for _, v := range values {
		bf.line += strings.Count(v, "\n")
	}
	if err := bf.cw.Write(values); err != nil {
		return err
	}
	bf.cw.Flush() // the packed lines above go straight to bw: keep the order
	return bf.cw.Error()
}

func (b *batch) open(dataset string) (*batchFile, error) {
	ds := b.std.Dataset(dataset)
	path := filepath.Join(b.dir, ds.Name+".csv")
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	bf := &batchFile{path: path, f: f, bw: bufio.NewWriterSize(f, 1<<16), line: 2}
	bf.cw = csv.NewWriter(bf.bw)
	header := make([]string, len(ds.Fields))
	for i, fd := range ds.Fields {
		header[i] = fd.Name
	}
	if err := bf.cw.Write(header); err != nil {
		f.Close()
		return nil, err
	}
	bf.cw.Flush()
	b.files[dataset] = bf
	b.order = append(b.order, dataset)
	return bf, nil
}

// run validates the files with std as of asOf and returns the outcome of
// every version with a finding. repo supplies the stored records the
// relational rules read (nil when the batch holds the whole state).
func (b *batch) run(ctx context.Context, std *standard.Standard, asOf Day, repo validate.Repository) (map[int32]outcome, error) {
	defer os.RemoveAll(b.dir)
	var paths []string
	for _, name := range b.order {
		bf := b.files[name]
		bf.cw.Flush()
		err := bf.cw.Error()
		if err == nil {
			err = bf.bw.Flush()
		}
		if cerr := bf.f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", bf.path, err)
		}
		paths = append(paths, bf.path)
	}
	out := map[int32]outcome{}
	if len(paths) == 0 {
		return out, nil
	}
	at := time.Date(asOf.Start().Year(), asOf.Start().Month(), asOf.Start().Day(), 0, 0, 0, 0, time.UTC)
	rep, err := validate.Run(ctx, std, paths, validate.Options{AsOf: at, MaxFindings: -1, Repository: repo})
	if err != nil {
		return nil, fmt.Errorf("evaluate versions: %w", err)
	}
	for i, f := range rep.Files {
		refs := b.files[b.order[i]].refs
		for _, fd := range f.Findings {
			bit := ruleBits[fd.Rule]
			if fd.Row < 2 || fd.Row-2 >= len(refs) || refs[fd.Row-2] < 0 || bit == 0 {
				continue
			}
			ref := refs[fd.Row-2]
			o := out[ref]
			if fd.Severity == string(standard.Error) {
				o.err |= bit
			} else {
				o.warn |= bit
			}
			out[ref] = o
		}
	}
	return out, nil
}

// refLookup is one kind of lookup the relational rules make: rows of On
// find the record of Target whose key (or, with Prefix, whose key's first
// field) is the value of Field. It mirrors the engine's lookups (package
// validate, batch.go); TestRefLookupsCoverEngine keeps the two in step.
type refLookup struct {
	On, Field, Target string
	Prefix            bool
}

var refLookups = []refLookup{
	{"vessel_operating_certificate", "operator_license_no", "waterway_transport_license", false},
	{"vessel_operating_certificate", "ship_id", "msa_vessel_registration", false},
	{"vessel_operating_certificate", "ship_id", "vessel_survey", true},
	{"vessel_operating_certificate", "manager_license_no", "ship_management_license", false},
	{"port_dg_annex", "port_license_no", "port_operation_license", false},
	{"port_operation_license", "holder_uscc", "port_operator", false},
}

// keyedRepository gives the engine, for a batch of some versions, the
// stored records those versions refer to as they stood at an instant: a
// day's new versions are checked against the state at the end of the day
// without reading whole datasets.
type keyedRepository struct {
	st   *store.Store
	at   int64
	mu   sync.Mutex
	keys map[string]map[string]bool // target dataset → keys referred to
}

func newKeyedRepository(st *store.Store, at int64) *keyedRepository {
	return &keyedRepository{st: st, at: at, keys: map[string]map[string]bool{}}
}

// note collects the keys a version of dataset refers to.
func (k *keyedRepository) note(std *standard.Standard, dataset string, values []string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	ds := std.Dataset(dataset)
	for _, l := range refLookups {
		if l.On != dataset {
			continue
		}
		if i := ds.FieldIndex(l.Field); i >= 0 && values[i] != "" {
			if k.keys[l.Target] == nil {
				k.keys[l.Target] = map[string]bool{}
			}
			k.keys[l.Target][values[i]] = true
		}
	}
}

// Table implements validate.Repository.
func (k *keyedRepository) Table(ctx context.Context, dataset string) (*table.Table, error) {
	if dataset == "port_operator" {
		// REL-17 reads the operator of the licence an annex names: the
		// holders of the referenced licences are referred to as well.
		if err := k.holders(ctx); err != nil {
			return nil, err
		}
	}
	keys := make([]string, 0, len(k.keys[dataset]))
	for key := range k.keys[dataset] {
		keys = append(keys, key)
	}
	prefix := dataset == "vessel_survey"
	return k.st.RecordsAt(ctx, dataset, k.at, keys, prefix)
}

func (k *keyedRepository) holders(ctx context.Context) error {
	licences := k.keys["port_operation_license"]
	if len(licences) == 0 {
		return nil
	}
	keys := make([]string, 0, len(licences))
	for key := range licences {
		keys = append(keys, key)
	}
	rows, _, err := k.st.RecordValuesAt(ctx, "port_operation_license", k.at, keys, false)
	if err != nil {
		return err
	}
	holder := k.st.Standard().Dataset("port_operation_license").FieldIndex("holder_uscc")
	for _, r := range rows {
		if r[holder] == "" {
			continue
		}
		if k.keys["port_operator"] == nil {
			k.keys["port_operator"] = map[string]bool{}
		}
		k.keys["port_operator"][r[holder]] = true
	}
	return nil
}
