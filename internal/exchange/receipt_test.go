package exchange

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"shuiyun/internal/golden"
)

func TestReceiptJSON(t *testing.T) {
	rejected := Receipt{
		Package: "320000_20261125_000017.zip", Sender: "320000", Sequence: 17,
		SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Status: Rejected,
		ReceivedAt: "2026-11-26T01:05:00+08:00", ProcessedAt: "2026-11-26T01:05:02+08:00",
	}
	partial := rejected
	partial.Status, partial.Standard = Partial, "1.0"
	partial.Rows = RowCounts{Total: 1200, Accepted: 1188, Rejected: 12, Warnings: 3}
	partial.Findings = []Finding{{
		File: "vessel_operating_certificate.csv", Row: 14, Field: "ship_id", Rule: "ID-CNSHIP",
		Severity: "error", Value: "CN2018123456", Message: "船舶识别号应为 <CN + 11 位数字> & 校验位正确",
	}}
	partial.MissingSequences = []int64{15, 16}
	withReason := rejected
	withReason.Reason = (&Error{Code: ZipUnsafe, Message: "压缩包条目“../x.csv”的路径不安全：含上级目录“..”"}).Reason()
	tests := []struct {
		golden string
		r      Receipt
	}{
		{"receipt.golden.json", rejected}, // empty lists as [], no reason as null
		{"receipt_partial.golden.json", partial},
		{"receipt_reason.golden.json", withReason},
	}
	for _, tt := range tests {
		got, err := tt.r.Encode()
		if err != nil {
			t.Fatal(err)
		}
		golden.Compare(t, tt.golden, got)
		path := filepath.Join(t.TempDir(), ReceiptName(tt.r.Package, 1))
		if err := WriteReceipt(path, tt.r); err != nil {
			t.Fatal(err)
		}
		back, err := ReadReceipt(path)
		if err != nil {
			t.Fatal(err)
		}
		tt.r.Format = ReceiptFormat
		if diff := cmp.Diff(tt.r, back, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("ReadReceipt(WriteReceipt(r)) (-want +got):\n%s", diff)
		}
	}
}
