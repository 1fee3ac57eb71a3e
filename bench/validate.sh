#!/usr/bin/env bash
# Validation throughput, end to end, against bare encoding/csv on the same files in the same run.
# Usage: bench/validate.sh [ROWS_CSV] [ROWS_XLSX]   (defaults 1000000 and 200000)
# Writes data under bench/out/ (git-ignored). Figures: rows/s and peak RSS (MB).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}; xrows=${2:-200000}
out=bench/out; mkdir -p "$out"
go build -o "$out/shuiyun" ./cmd/shuiyun
go build -o "$out/csvparse" ./bench/csvparse
asof=2026-11-26
gen() { # dir rows format encoding
  [ -f "$1/vessel_operating_certificate.${3}" ] || [ -f "$1/data.xlsx" ] ||
    "$out/shuiyun" gen --out "$1" --dataset vessel_operating_certificate --rows "$2" --format "$3" \
      --encoding "$4" --error-rate 0.01 --as-of $asof --seed 7 >/dev/null
}
gen "$out/csv" "$rows" csv utf-8
gen "$out/gbk" "$rows" csv gb18030
gen "$out/xlsx" "$xrows" xlsx utf-8

run() { # label rows cmd...
  local label=$1 n=$2; shift 2
  local t0 t1 rss
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$out/rss" "$@" >/dev/null 2>"$out/err" || [ $? = 1 ]
  t1=$(date +%s.%N)
  rss=$(( $(tail -1 "$out/rss") / 1024 ))
  awk -v l="$label" -v n="$n" -v a="$t0" -v b="$t1" -v r="$rss" \
    'BEGIN { s=b-a; printf "%-34s rows=%-8d seconds=%7.3f rows/s=%9.0f peak_rss_mb=%d\n", l, n, s, n/s, r }'
}
csv=$out/csv/vessel_operating_certificate.csv
gbk=$out/gbk/vessel_operating_certificate.csv
xlsx=$out/xlsx/data.xlsx
echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3), $(date -u +%FT%TZ)"
"$out/csvparse" -ranges 1 "$csv"
"$out/csvparse" -ranges 2 "$csv"
run "validate CSV UTF-8 (all rules)" "$rows" "$out/shuiyun" validate --quiet --format json --as-of $asof "$csv"
run "validate CSV GB18030 (all rules)" "$rows" "$out/shuiyun" validate --quiet --format json --as-of $asof "$gbk"
run "validate XLSX (all rules)" "$xrows" "$out/shuiyun" validate --quiet --format json --as-of $asof "$xlsx"
