package validate

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	"shuiyun/internal/standard"
	"shuiyun/internal/table"
)

// BenchmarkRow measures the checks of one vessel-certificate row, without I/O.
func BenchmarkRow(b *testing.B) {
	std, err := standard.Default()
	if err != nil {
		b.Fatal(err)
	}
	header := strings.Split("cert_no,ship_name_cn,former_name,ship_id,ship_reg_no,survey_reg_no,mmsi,imo_no,port_of_registry,operator_name,operator_license_no,owner_name,manager_name,manager_license_no,ship_type,ship_type_code,hull_material,build_date,rebuild_date,gross_tonnage,net_tonnage,dwt,passenger_capacity,teu,vehicle_slots,cubic_meters,engine_count,engine_kw,licensed_scope,ship_scope,own_ship,issuing_authority,issue_date,valid_to,status,cancel_date,cancel_reason", ",")
	rec, err := csv.NewReader(strings.NewReader("赣交营20260000002,赣九江货2690,,CN20166903179,231816112648,2016P8624172,414103789,,九江,赣州信业船务有限公司,交赣XK000002,赣州信业船务有限公司,景德镇润发物流有限公司,交赣CG00138,GEN,0301,01,2016-09-25,,273.054,180.215,367.18,,,,,2,123.67,11,11,1,赣州市交通运输局,2026-10-21,2031-06-14,1,,\n")).Read()
	if err != nil {
		b.Fatal(err)
	}
	c, _, err := newChecker(std, Options{AsOf: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	bt := &batch{idx: newIndexes(), have: map[string]bool{}, unique: map[string][]firsts{}}
	t, err := c.bind(bt, &table.Table{Path: "x.csv", Header: header, HeaderRow: 1}, std.Dataset("D03"), 1, false)
	if err != nil {
		b.Fatal(err)
	}
	t.prepareKeys()
	w := t.newWorker(false)
	row := &table.Row{Cells: rec}
	for i := 0; b.Loop(); i++ {
		row.Num = i + 2
		w.process(row)
		w.keys, w.keyBytes[0] = w.keys[:0], w.keyBytes[0][:0] // reuse the first block
	}
	if len(w.findings) > 0 {
		b.Fatalf("unexpected findings: %v", w.findings[0])
	}
	_ = os.Stdout
}
