package publish

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"shuiyun/internal/standard"
	"shuiyun/internal/textwidth"
)

// Sheet names of a template besides the data sheet. The engine skips both with a
// FILE-DATASET warning: neither names a dataset.
const (
	GuideSheet = "填写说明"
	ListSheet  = "代码表"
)

// Template layout: labels on row 1, field ids on row 2, data from row 3.
const (
	LabelRow     = 1
	IDRow        = 2
	FirstDataRow = 3
	lastExcelRow = 1048576
)

// textFormat is Excel's built-in number format 49, "@" (text).
const textFormat = 49

// maxSheetName is Excel's limit on a sheet name, in UTF-16 units.
const maxSheetName = 31

// TemplateSheetName is the name of a dataset's data sheet: its Chinese label
// when Excel accepts that as a sheet name, else its code (D03).
func TemplateSheetName(ds *standard.Dataset) string {
	l := ds.Label
	if l == "" || len(utf16.Encode([]rune(l))) > maxSheetName ||
		strings.ContainsAny(l, `:\/?*[]`) || strings.HasPrefix(l, "'") || strings.HasSuffix(l, "'") {
		return ds.Code
	}
	return l
}

// TemplateFileName is the file name WriteTemplates gives a dataset's template:
// D03_vessel_operating_certificate.xlsx.
func TemplateFileName(ds *standard.Dataset) string {
	return ds.Code + "_" + ds.Name + ".xlsx"
}

// WriteTemplate writes the Excel template of one dataset to path.
func WriteTemplate(path string, std *standard.Standard, ds *standard.Dataset) error {
	f, err := buildTemplate(std, ds)
	if err != nil {
		return fmt.Errorf("build template of %s: %w", ds.Code, err)
	}
	defer f.Close()
	if err := f.SaveAs(path); err != nil {
		return fmt.Errorf("write template %s: %w", path, err)
	}
	return nil
}

// WriteTemplateTo writes the Excel template of one dataset to w (for downloads).
func WriteTemplateTo(w io.Writer, std *standard.Standard, ds *standard.Dataset) error {
	f, err := buildTemplate(std, ds)
	if err != nil {
		return fmt.Errorf("build template of %s: %w", ds.Code, err)
	}
	defer f.Close()
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write template of %s: %w", ds.Code, err)
	}
	return nil
}

// WriteTemplates writes one template per dataset into dir, named by TemplateFileName.
func WriteTemplates(dir string, std *standard.Standard) error {
	for _, ds := range std.Datasets {
		if err := WriteTemplate(filepath.Join(dir, TemplateFileName(ds)), std, ds); err != nil {
			return err
		}
	}
	return nil
}

// templateStyles are the style ids a template uses.
type templateStyles struct {
	label, labelRequired, id, text, date, guideHeader, guideCell int
}

func buildTemplate(std *standard.Standard, ds *standard.Dataset) (*excelize.File, error) {
	f := excelize.NewFile()
	sheet := TemplateSheetName(ds)
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		f.Close()
		return nil, fmt.Errorf("sheet name %q: %w", sheet, err)
	}
	st, err := newTemplateStyles(f)
	if err == nil {
		err = writeDataSheet(f, sheet, std, ds, st)
	}
	if err == nil {
		err = writeGuideSheet(f, std, ds, st)
	}
	if err == nil {
		err = writeDropDowns(f, sheet, std, ds)
	}
	if err == nil {
		err = f.SetDocProps(&excelize.DocProperties{
			Title: ds.Code + " " + ds.Label, Subject: "数据标准 " + std.Version + " 填报模板", Creator: "shuiyun",
		})
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	f.SetActiveSheet(0)
	return f, nil
}

func newTemplateStyles(f *excelize.File) (templateStyles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	dateFormat := "yyyy-mm-dd"
	specs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true}, Fill: fill, Border: border, Alignment: center, NumFmt: textFormat},
		{Font: &excelize.Font{Bold: true, Color: "FF0000"}, Fill: fill, Border: border, Alignment: center, NumFmt: textFormat},
		{Font: &excelize.Font{Size: 8, Color: "808080"}, Border: border, Alignment: center, NumFmt: textFormat},
		{NumFmt: textFormat},
		{CustomNumFmt: &dateFormat},
		{Font: &excelize.Font{Bold: true}, Fill: fill, Border: border, Alignment: center},
		{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, NumFmt: textFormat},
	}
	ids := make([]int, len(specs))
	for i, s := range specs {
		id, err := f.NewStyle(s)
		if err != nil {
			return templateStyles{}, fmt.Errorf("new style: %w", err)
		}
		ids[i] = id
	}
	return templateStyles{ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6]}, nil
}

// writeDataSheet writes the two header rows, the column formats, the header
// comments and the frozen panes.
func writeDataSheet(f *excelize.File, sheet string, std *standard.Standard, ds *standard.Dataset, st templateStyles) error {
	for i, fd := range ds.Fields {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := writeHeaderColumn(f, sheet, col, std, ds, fd, st); err != nil {
			return fmt.Errorf("column %s (%s): %w", col, fd.Name, err)
		}
	}
	if err := f.SetRowHeight(sheet, LabelRow, 30); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: IDRow, TopLeftCell: fmt.Sprintf("A%d", FirstDataRow), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: fmt.Sprintf("A%d", FirstDataRow), ActiveCell: fmt.Sprintf("A%d", FirstDataRow), Pane: "bottomLeft"}},
	})
}

func writeHeaderColumn(f *excelize.File, sheet, col string, std *standard.Standard, ds *standard.Dataset, fd *standard.Field, st templateStyles) error {
	colStyle := st.text
	switch fd.Type {
	case standard.TypeDate:
		colStyle = st.date
	case standard.TypeDecimal, standard.TypeInteger:
		colStyle = 0 // General: Excel keeps numbers as numbers
	}
	if colStyle != 0 {
		if err := f.SetColStyle(sheet, col, colStyle); err != nil {
			return err
		}
	}
	w := float64(max(textwidth.Width(fd.Label), textwidth.Width(fd.Name), 8)) + 4
	if err := f.SetColWidth(sheet, col, col, min(w, 40)); err != nil {
		return err
	}
	label, id := fmt.Sprintf("%s%d", col, LabelRow), fmt.Sprintf("%s%d", col, IDRow)
	labelStyle := st.label
	if fd.Required == standard.Mandatory {
		labelStyle = st.labelRequired
	}
	for _, c := range []struct {
		cell, value string
		style       int
	}{{label, fd.Label, labelStyle}, {id, fd.Name, st.id}} {
		if err := f.SetCellStr(sheet, c.cell, c.value); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, c.cell, c.cell, c.style); err != nil {
			return err
		}
	}
	return f.AddComment(sheet, headerComment(label, std, ds, fd))
}

// headerComment explains a column where the person filling it in looks: type,
// format, whether it must be filled and when, its codes.
func headerComment(cell string, std *standard.Standard, ds *standard.Dataset, fd *standard.Field) excelize.Comment {
	bold := &excelize.Font{Bold: true}
	runs := []excelize.RichTextRun{}
	if fd.Required == standard.Mandatory {
		runs = append(runs, excelize.RichTextRun{Text: "＊必填\n", Font: &excelize.Font{Bold: true, Color: "FF0000"}})
	}
	add := func(k, v string) {
		if v != "" {
			runs = append(runs, excelize.RichTextRun{Text: k + "：", Font: bold}, excelize.RichTextRun{Text: v + "\n"})
		}
	}
	add(fd.Label, fd.Name)
	add("类型", typeText(std, fd))
	add("格式", formatText(fd))
	if fd.Required != standard.Mandatory {
		add("填写", requiredText(ds, fd))
	}
	add("代码", commentCodes(codeList(std, fd.CodeList)))
	add("参照", strings.TrimPrefix(refText(std, fd), "参照 "))
	add("说明", fd.Note)
	last := &runs[len(runs)-1]
	last.Text = strings.TrimSuffix(last.Text, "\n")
	return excelize.Comment{Cell: cell, Author: "shuiyun", Paragraph: runs, Width: 320, Height: 180}
}

// commentCodes lists a few codes of a list for a comment; long lists point to the guide sheet.
func commentCodes(cl *standard.CodeList) string {
	if cl == nil {
		return ""
	}
	const shown = 12
	var parts []string
	for i, c := range cl.Codes {
		if i == shown {
			parts = append(parts, fmt.Sprintf("…共 %d 个，见“%s”", len(cl.Codes), GuideSheet))
			break
		}
		parts = append(parts, c.Code+" "+c.Name)
	}
	return strings.Join(parts, "；")
}
