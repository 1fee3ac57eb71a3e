// Package pack turns checked data files into an exchange package
// (contracts.md §4): the rows of each dataset, in normal form, as one UTF-8
// CSV with a header of field ids, plus the manifest. `shuiyun pack` and the
// web's upload and manual entry all submit through it, so a package from a
// clerk's browser is the same as one from a front-end machine.
package pack

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"shuiyun/internal/exchange"
	"shuiyun/internal/standard"
	"shuiyun/internal/validate"
)

// Options say what package to build.
type Options struct {
	Sender      string
	Seq         int64
	Mode        string // incremental or full
	DataDate    time.Time
	AllowShrink bool
	// KeepErrors packs rows the report rejected too (the hub then rejects
	// them in its receipt); by default they are left out.
	KeepErrors bool
	// Dataset, if set, is the dataset of every file (else found from the
	// file name, sheet name or header, as validate does).
	Dataset string
}

// Build writes the package for the files the report rep checked into dir and
// returns its path and manifest.
func Build(ctx context.Context, std *standard.Standard, rep *validate.Report, paths []string, dir string, o Options) (string, exchange.Manifest, error) {
	tmp, err := os.MkdirTemp("", "shuiyun-pack-")
	if err != nil {
		return "", exchange.Manifest{}, err
	}
	defer os.RemoveAll(tmp)
	sink := &sink{dir: tmp, files: map[string]*csvOut{}}
	for _, path := range paths {
		err := validate.Records(ctx, std, path, o.Dataset, func(t validate.RecordTable, r *validate.Record) error {
			f := reportFile(rep, path, t.Sheet)
			if f != nil && f.Rejected(r.Row) && !o.KeepErrors {
				return nil
			}
			return sink.write(t.Dataset, r)
		})
		if err != nil {
			return "", exchange.Manifest{}, fmt.Errorf("pack %s: %w", path, err)
		}
	}
	files, err := sink.close()
	if err != nil {
		return "", exchange.Manifest{}, err
	}
	if len(files) == 0 {
		return "", exchange.Manifest{}, fmt.Errorf("没有可打包的数据行")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", exchange.Manifest{}, err
	}
	name := exchange.Name{Sender: o.Sender, Date: o.DataDate.Format("20060102"), Seq: o.Seq}.String()
	out := filepath.Join(dir, name)
	m := exchange.Manifest{Sender: o.Sender, Sequence: o.Seq, DataDate: o.DataDate.Format(time.DateOnly), Standard: std.Version,
		Mode: o.Mode, AllowShrink: o.AllowShrink}
	m, err = exchange.Build(out, m, files)
	return out, m, err
}

func reportFile(rep *validate.Report, path, sheet string) *validate.File {
	for _, f := range rep.Files {
		if f.Path == path && f.Sheet == sheet {
			return f
		}
	}
	return nil
}

// sink collects rows into one CSV per dataset.
type sink struct {
	dir   string
	files map[string]*csvOut
	order []string
}

type csvOut struct {
	f *os.File
	w *csv.Writer
}

func (s *sink) write(ds *standard.Dataset, r *validate.Record) error {
	out := s.files[ds.Name]
	if out == nil {
		f, err := os.Create(filepath.Join(s.dir, ds.Name+".csv"))
		if err != nil {
			return err
		}
		out = &csvOut{f: f, w: csv.NewWriter(f)}
		s.files[ds.Name] = out
		s.order = append(s.order, ds.Name)
		if err := out.w.Write(append(ds.FieldNames(), "op_type")); err != nil {
			return err
		}
	}
	return out.w.Write(append(r.Values, string(r.Op)))
}

func (s *sink) close() ([]exchange.BuildFile, error) {
	var files []exchange.BuildFile
	for _, name := range s.order {
		out := s.files[name]
		out.w.Flush()
		if err := out.w.Error(); err != nil {
			return nil, err
		}
		if err := out.f.Close(); err != nil {
			return nil, err
		}
		files = append(files, exchange.BuildFile{Path: out.f.Name(), Dataset: name})
	}
	return files, nil
}
