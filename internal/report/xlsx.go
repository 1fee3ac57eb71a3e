package report

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"shuiyun/internal/standard"
	"shuiyun/internal/validate"
)

// XLSXOptions tune the annotated workbook.
type XLSXOptions struct {
	// MaxCommentRows is the largest table (in data rows) whose annotations are
	// cell comments; a larger table gets a 校验意见 column instead. 0 means 50,000.
	MaxCommentRows int
	// MaxComments is the largest number of annotated cells in one table written
	// as comments; above it the table gets a 校验意见 column too. excelize adds
	// comments in quadratic time (10,000 take 1.5 s, 50,000 over 2 minutes), so
	// this bounds the time as MaxCommentRows bounds the size. 0 means 10,000.
	MaxComments int
	// OnlyFindings copies only the rows that have findings (still at their own
	// row numbers): the hub's errors.xlsx for a package of a million rows.
	OnlyFindings bool
}

const (
	defaultMaxCommentRows = 50_000
	defaultMaxComments    = 10_000
)

func (o XLSXOptions) withDefaults() XLSXOptions {
	if o.MaxCommentRows == 0 {
		o.MaxCommentRows = defaultMaxCommentRows
	}
	if o.MaxComments == 0 {
		o.MaxComments = defaultMaxComments
	}
	return o
}

// WriteXLSX writes the annotated workbook a clerk corrects and submits again.
//
// The first sheet, 校验汇总, holds the verdict, the counts by rule with their
// titles, every file with its sheet, the skipped rules and the full list of
// findings (file, row, field, rule, severity, value, message), each with a
// link (a HYPERLINK formula) to its cell. Its header is frozen. Its name
// matches no dataset, so validating the workbook again skips it with a
// FILE-DATASET warning.
//
// Then, for every report file whose dataset is known, the source table is
// read again (table.Open) and copied into a sheet named by the dataset's
// Chinese label (its id when the label is longer than Excel's 31 characters or
// holds a character Excel forbids, like the "/" of 国际海运经营（许可/备案）;
// "（2）" added for a dataset seen twice). A file whose dataset is unknown is
// not copied: none of its rows was checked. Every row keeps its row number, so the
// header sits on its original row, blank rows stay blank and the row numbers
// in messages match. Every cell is written as text in text-formatted ("@")
// columns, so Excel cannot turn identifiers into numbers. The header is frozen.
//
// A cell with an error finding is filled red, one with only warnings yellow.
// A finding about a whole row (no field, or a field without a column) marks the
// row's first cell, its comment starting with "本行"; file-level findings
// (row 0) are in the summary only, linked to the header.
//
// The explanations go into cell comments (author "shuiyun") while the table
// has at most MaxCommentRows data rows and MaxComments annotated cells. A
// larger table is still written through excelize's StreamWriter like every
// sheet, but without comments: the explanations of each row go into an extra
// last column headed 校验意见 (for a row wider than the header, just after its
// last cell). Memory stays bounded: rows are streamed from the source to the
// sheet (excelize spills sheets over 16 MB to temporary files) and only the
// annotations are held, so a table of 200,000 rows or more is fine.
//
// The workbook is written to a temporary file beside path and renamed into
// place. path must not be one of the report's source files.
func WriteXLSX(path string, r *validate.Report, std *standard.Standard, opt XLSXOptions) error {
	if err := checkNotSource(path, r); err != nil {
		return err
	}
	w, err := newWorkbook(r, std, opt.withDefaults())
	if err != nil {
		return fmt.Errorf("写标注工作簿 %s：%w", path, err)
	}
	defer w.f.Close()
	if err := w.write(); err != nil {
		return fmt.Errorf("写标注工作簿 %s：%w", path, err)
	}
	if err := saveWorkbook(w.f, path); err != nil {
		return fmt.Errorf("写标注工作簿 %s：%w", path, err)
	}
	return nil
}

// workbook is an annotated workbook being written.
type workbook struct {
	f      *excelize.File
	r      *validate.Report
	cat    *catalog
	st     *xlsxStyles
	opt    XLSXOptions
	sheets []*dataSheet // per report file; nil when the file is not copied
}

// dataSheet is what the summary needs to know of a copied table.
type dataSheet struct {
	name      string
	header    []string // the source's header cells
	fields    []string // the field of each column
	headerRow int
}

func newWorkbook(r *validate.Report, std *standard.Standard, opt XLSXOptions) (*workbook, error) {
	f := excelize.NewFile()
	w := &workbook{f: f, r: r, cat: newCatalog(std), opt: opt, sheets: make([]*dataSheet, len(r.Files))}
	if err := f.SetSheetName(f.GetSheetName(0), summarySheet); err != nil {
		f.Close()
		return nil, err
	}
	st, err := newXLSXStyles(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	w.st = st
	return w, nil
}

func (w *workbook) write() error {
	for i, name := range sheetNames(w.r.Files, w.cat) {
		if name == "" {
			continue
		}
		ds, err := w.writeDataSheet(w.r.Files[i], name)
		if err != nil {
			return err
		}
		w.sheets[i] = ds
	}
	if err := w.writeSummary(); err != nil {
		return fmt.Errorf("工作表 %s：%w", summarySheet, err)
	}
	// The summary, first, is the active sheet of a new file already. Do not call
	// SetActiveSheet: it parses every worksheet, undoing the streaming.
	return w.f.SetDocProps(&excelize.DocProperties{Creator: "shuiyun", Title: "数据校验结果"})
}

// checkNotSource refuses to write the workbook over a file it reads.
func checkNotSource(path string, r *validate.Report) error {
	out, err := os.Stat(path)
	if err != nil {
		return nil // does not exist yet, so it is no source
	}
	for _, f := range r.Files {
		if in, err := os.Stat(f.Path); err == nil && os.SameFile(in, out) {
			return fmt.Errorf("标注工作簿 %s 不能覆盖被校验的文件，请换一个文件名", path)
		}
	}
	return nil
}

// saveWorkbook writes f to a temporary file beside path, then renames it, so a
// failure never leaves half a workbook under the name the user asked for.
func saveWorkbook(f *excelize.File, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if _, err := f.WriteTo(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
