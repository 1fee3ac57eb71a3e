package progress

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"shuiyun/internal/exchange"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
	"shuiyun/internal/validate"
)

// Recovered says what Recover did.
type Recovered struct {
	Deliveries int // deliveries whose submissions were recovered
	Rejected   int // rejected rows recovered with their keys
	Missing    int // deliveries whose archived package is gone or unreadable
}

// Recover records the submissions of applied deliveries that have none —
// those applied before ingest called the SubmissionRecorder hook: the
// datasets and row counts from the archived package's manifest, the
// rejected rows from the error findings of its receipt, each row's key read
// from the package's file. A package no longer in the archive is left out.
func (s *Service) Recover(ctx context.Context, root exchange.Root) (Recovered, error) {
	var out Recovered
	list, err := s.st.UnrecordedDeliveries(ctx)
	if err != nil {
		return out, err
	}
	for _, d := range list {
		n, err := s.recoverOne(ctx, root, d)
		switch {
		case errors.Is(err, errGone):
			out.Missing++
		case err != nil:
			return out, fmt.Errorf("recover delivery #%d (%s): %w", d.ID, d.Name, err)
		default:
			out.Deliveries++
			out.Rejected += n
		}
	}
	return out, nil
}

var errGone = errors.New("archived package gone")

// archived is where ingest archived a delivery's package: <name> for the
// first delivery of the name, <stem>.<n>.zip after.
func archived(root exchange.Root, d *store.Delivery) string {
	name := d.Name
	if d.N > 1 {
		ext := filepath.Ext(name)
		name = fmt.Sprintf("%s.%d%s", strings.TrimSuffix(name, ext), d.N, ext)
	}
	return filepath.Join(root.Archive(d.Inbox), name)
}

func (s *Service) recoverOne(ctx context.Context, root exchange.Root, d *store.Delivery) (int, error) {
	dir, err := os.MkdirTemp(s.TempDir, "shuiyun-recover-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	pkg, err := exchange.Open(archived(root, d), dir, exchange.DefaultLimits())
	var xe *exchange.Error
	if errors.Is(err, fs.ErrNotExist) || errors.As(err, &xe) {
		return 0, errGone
	}
	if err != nil {
		return 0, err
	}
	var rc exchange.Receipt
	if err := json.Unmarshal(d.Receipt, &rc); err != nil {
		return 0, fmt.Errorf("read receipt: %w", err)
	}
	rejected := map[string]map[int][]string{} // file → row → rules
	for _, f := range rc.Findings {
		if f.Severity == string(standard.Error) && f.Row > 0 {
			if rejected[f.File] == nil {
				rejected[f.File] = map[int][]string{}
			}
			rejected[f.File][f.Row] = append(rejected[f.File][f.Row], f.Rule)
		}
	}
	n := 0
	for i, mf := range pkg.Manifest.Files {
		ds := s.std.Dataset(mf.Dataset)
		if ds == nil {
			continue
		}
		sub := store.Submission{Dataset: ds.Name, Rows: mf.Rows}
		if rows := rejected[mf.Name]; len(rows) > 0 {
			err := validate.Records(ctx, s.std, pkg.Files[i], ds.Name, func(_ validate.RecordTable, r *validate.Record) error {
				if rules, ok := rows[r.Row]; ok {
					sub.Rejected = append(sub.Rejected, store.RejectedRow{Row: r.Row, Key: r.Key, Rules: rules})
				}
				return nil
			})
			if err != nil {
				return 0, err
			}
		}
		if err := s.st.RecordSubmissionOf(ctx, d.JobID, d.Sender, d.ProcessedAt, sub); err != nil {
			return 0, err
		}
		n += len(sub.Rejected)
	}
	return n, nil
}
