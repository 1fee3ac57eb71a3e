package publish

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"shuiyun/internal/standard"
)

// guideColumns are the columns of the 填写说明 sheet; one row per field follows.
var guideColumns = []struct {
	title string
	width float64
}{
	{"序号", 6}, {"中文名称", 22}, {"字段标识", 22}, {"类型", 22}, {"长度/格式", 36},
	{"必填", 8}, {"必填条件", 28}, {"代码及名称", 40}, {"参照", 30}, {"共享分类", 16}, {"说明", 30},
}

// writeGuideSheet writes the 填写说明 sheet: a header, one row per field in
// column order, a blank row, then general notes.
func writeGuideSheet(f *excelize.File, std *standard.Standard, ds *standard.Dataset, st templateStyles) error {
	if _, err := f.NewSheet(GuideSheet); err != nil {
		return fmt.Errorf("sheet %s: %w", GuideSheet, err)
	}
	header := make([]any, len(guideColumns))
	for i, c := range guideColumns {
		header[i] = c.title
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(GuideSheet, col, col, c.width); err != nil {
			return err
		}
	}
	if err := setRow(f, GuideSheet, 1, header, st.guideHeader); err != nil {
		return err
	}
	for i, fd := range ds.Fields {
		if err := setRow(f, GuideSheet, i+2, guideRow(std, ds, i, fd), st.guideCell); err != nil {
			return err
		}
	}
	if err := f.SetPanes(GuideSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return writeGuideNotes(f, std, len(ds.Fields)+3)
}

func guideRow(std *standard.Standard, ds *standard.Dataset, i int, fd *standard.Field) []any {
	cond := ""
	if fd.Required == standard.Conditional && fd.When != nil {
		cond = conditionText(ds, fd.When)
	}
	return []any{
		strconv.Itoa(i + 1), fd.Label, fd.Name, typeText(std, fd), formatText(fd),
		string(fd.Required) + " " + name(requiredNames, fd.Required), cond,
		guideCodes(codeList(std, fd.CodeList)), strings.TrimPrefix(refText(std, fd), "参照 "),
		sharingText(fd.Sharing), fd.Note,
	}
}

// guideCodes lists every code of a list, one a line, with the other spellings
// the engine accepts for it.
func guideCodes(cl *standard.CodeList) string {
	if cl == nil {
		return ""
	}
	lines := make([]string, 0, len(cl.Codes))
	for _, c := range cl.Codes {
		line := c.Code + " " + c.Name
		if len(c.Aliases) > 0 {
			line += "（也可填：" + strings.Join(c.Aliases, "、") + "）"
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func setRow(f *excelize.File, sheet string, row int, values []any, style int) error {
	first := fmt.Sprintf("A%d", row)
	if err := f.SetSheetRow(sheet, first, &values); err != nil {
		return fmt.Errorf("%s row %d: %w", sheet, row, err)
	}
	last, _ := excelize.CoordinatesToCellName(len(values), row)
	return f.SetCellStyle(sheet, first, last, style)
}

// writeGuideNotes writes the general instructions below the field rows.
func writeGuideNotes(f *excelize.File, std *standard.Standard, row int) error {
	nulls := strings.Join(missingValues(std)[1:], "、")
	notes := []string{
		"填写须知",
		fmt.Sprintf("1. 第 %d 行为中文表头，第 %d 行为字段标识，请勿修改、删除或调换列；数据从第 %d 行开始填写。", LabelRow, IDRow, FirstDataRow),
		"2. 红色表头为必填项；条件必填项在“必填条件”成立时必须填写。表头批注说明了每列的类型、格式和代码。",
		"3. 日期填写为 YYYY-MM-DD，如 2024-05-06。",
		"4. 代码列可从下拉列表选择中文名称，也可直接填写代码；代码集（可多选）的多个代码或名称用 | 分隔，如 11|12。是否列选择 是 或 否（也可填 1 或 0）。",
		"5. 证件号码、编号、代码列已设为文本格式，请勿改为数值，否则 Excel 会把 913501… 显示为 9.13501E+17 或去掉前导 0。",
		"6. 空白以及 " + nulls + " 均视为未填写。",
		"7. 填好后可先用“shuiyun validate 文件名.xlsx”自行校验，再提交。",
	}
	for i, n := range notes {
		if err := f.SetCellStr(GuideSheet, fmt.Sprintf("A%d", row+i), n); err != nil {
			return err
		}
	}
	return nil
}

// writeDropDowns adds the drop-down lists: code names (or codes) for code and
// code-set columns from the hidden 代码表 sheet, 是/否 for booleans.
func writeDropDowns(f *excelize.File, sheet string, std *standard.Standard, ds *standard.Dataset) error {
	lists := map[string]string{} // code list id → its range on the list sheet
	for i, fd := range ds.Fields {
		col, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s%d:%s%d", col, FirstDataRow, col, lastExcelRow)
		cl := codeList(std, fd.CodeList)
		switch {
		case fd.Type == standard.TypeBoolean:
			if err := dv.SetDropList([]string{"是", "否"}); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleWarning, "是否", "请选择 是 或 否（也可填 1 或 0）。")
		case (fd.Type == standard.TypeCode || fd.Type == standard.TypeCodes) && cl != nil:
			ref, err := listRange(f, lists, cl)
			if err != nil {
				return err
			}
			dv.SetSqrefDropList(ref)
			setCodeError(dv, fd, cl)
		default:
			continue
		}
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return fmt.Errorf("drop-down on %s (%s): %w", col, fd.Name, err)
		}
	}
	return nil
}

// setCodeError sets the alert shown for a value not in the list. It never
// blocks input: the engine also accepts codes, and code sets join several values.
func setCodeError(dv *excelize.DataValidation, fd *standard.Field, cl *standard.CodeList) {
	if fd.Type == standard.TypeCodes {
		dv.SetError(excelize.DataValidationErrorStyleInformation, cl.Name,
			"可多选：多个代码或名称用 | 分隔，如 "+sampleSet(cl)+"。")
		return
	}
	dv.SetError(excelize.DataValidationErrorStyleWarning, cl.Name,
		"不是下拉列表中的名称。若填写的是 "+cl.ID+" "+cl.Name+" 的代码，请点“是”；否则请点“否”重新选择。")
}

func sampleSet(cl *standard.CodeList) string {
	var s []string
	for i := 0; i < len(cl.Codes) && i < 2; i++ {
		s = append(s, cl.Codes[i].Code)
	}
	return strings.Join(s, "|")
}

// listRange writes a code list onto the hidden list sheet (once) and returns
// the absolute range of its drop-down values.
func listRange(f *excelize.File, lists map[string]string, cl *standard.CodeList) (string, error) {
	if ref, ok := lists[cl.ID]; ok {
		return ref, nil
	}
	if len(lists) == 0 {
		if _, err := f.NewSheet(ListSheet); err != nil {
			return "", fmt.Errorf("sheet %s: %w", ListSheet, err)
		}
		if err := f.SetSheetVisible(ListSheet, false); err != nil {
			return "", err
		}
	}
	col, _ := excelize.ColumnNumberToName(len(lists) + 1)
	values := []any{cl.ID + " " + cl.Name}
	for _, c := range cl.Codes {
		values = append(values, DropDownValue(cl, c))
	}
	if err := f.SetSheetCol(ListSheet, col+"1", &values); err != nil {
		return "", fmt.Errorf("code list %s: %w", cl.ID, err)
	}
	ref := fmt.Sprintf("'%s'!$%s$2:$%s$%d", ListSheet, col, col, len(cl.Codes)+1)
	lists[cl.ID] = ref
	return ref, nil
}

// DropDownValue is what a template's drop-down offers for a code: its Chinese
// name when the list's lookup maps that name back to this code (so the engine
// reads it as the code), else the code itself.
func DropDownValue(cl *standard.CodeList, c standard.Code) string {
	if c.Name == "" {
		return c.Code
	}
	if got, ok := cl.Lookup(c.Name); ok && got == c.Code {
		return c.Name
	}
	return c.Code
}
