package report

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"shuiyun/internal/validate"
)

// summarySheet is the first sheet of an annotated workbook. Its name matches no
// dataset, so validating the workbook again skips it with a FILE-DATASET warning.
const summarySheet = "校验汇总"

// maxSheetName is Excel's limit on the length of a sheet name.
const maxSheetName = 31

// sheetNames chooses the sheet of the annotated workbook for every report file:
// the dataset's Chinese label, else (too long for Excel, or holding a character
// Excel forbids) its id. A dataset seen again gets "（2）", "（3）"… (on the id
// or the code when the label has no room), which validation reads as a
// trailing note, so the sheet is still recognised as the dataset. Files whose dataset is unknown get "": they are not
// copied (their rows could not be checked) and appear in the summary only.
func sheetNames(files []*validate.File, c *catalog) []string {
	used := map[string]bool{strings.ToLower(summarySheet): true}
	names := make([]string, len(files))
	for i, f := range files {
		if f.Dataset == "" {
			continue
		}
		names[i] = uniqueSheetName(sheetCandidates(f.Dataset, c), used)
		used[strings.ToLower(names[i])] = true
	}
	return names
}

// sheetCandidates lists the names a dataset's sheet may take, best first.
func sheetCandidates(dataset string, c *catalog) []string {
	var out []string
	if d := c.datasets[dataset]; d != nil {
		out = append(out, d.Label, d.Name, d.Code)
	}
	out = append(out, dataset)
	return slices.DeleteFunc(out, func(s string) bool { return !validSheetName(s) })
}

// uniqueSheetName returns the best candidate if it is free, else the first
// candidate that fits with a "（n）" suffix. Without candidates (a dataset id
// Excel cannot take, unknown to the standard) it falls back to "数据（n）":
// validation then tells the dataset from the header.
func uniqueSheetName(candidates []string, used map[string]bool) string {
	if len(candidates) > 0 && !used[strings.ToLower(candidates[0])] {
		return candidates[0]
	}
	for n := 2; ; n++ {
		for _, s := range append(candidates, "数据") {
			t := fmt.Sprintf("%s（%d）", s, n)
			if validSheetName(t) && !used[strings.ToLower(t)] {
				return t
			}
		}
	}
}

// validSheetName reports whether Excel accepts s as a sheet name.
func validSheetName(s string) bool {
	n := utf8.RuneCountInString(s)
	return n > 0 && n <= maxSheetName && !strings.ContainsAny(s, `:\/?*[]"`) &&
		!strings.HasPrefix(s, "'") && !strings.HasSuffix(s, "'") && !strings.EqualFold(s, "History")
}
