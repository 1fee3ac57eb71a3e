#!/usr/bin/env bash
# Ingest throughput, end to end through `shuiyun ingest` (unzip, checksums,
# validation against the repository, apply with history, receipt), on SQLite
# and PostgreSQL: a 100,000-row incremental package, a 1,000,000-row full
# snapshot, and the same snapshot again (unchanged: no new versions).
# Usage: [BACKENDS="sqlite postgres"] bench/ingest.sh [FULL_ROWS] [INCR_ROWS] [PG_URL]
#   defaults 1000000, 100000, postgres://postgres@127.0.0.1:5432/test (a
#   scratch database shuiyun_bench is made there). Data under bench/out/ (git-ignored).
# The store is made before the timed runs, as at an installation (creating
# its tables took 0.3 s of the 100,000-row package on PostgreSQL). Each
# timed run starts settled: the page cache written back and, on
# PostgreSQL, a checkpoint taken, so that no run pays for the writes of the
# one before it (a re-apply straight after a first load shared the disk with
# that load's checkpoint: 5.9 s instead of 4.7 s).
set -euo pipefail
cd "$(dirname "$0")/.."
full=${1:-1000000}; incr=${2:-100000}; pg=${3:-postgres://postgres@127.0.0.1:5432/test}
out=bench/out/ingest; mkdir -p "$out"
go build -o "$out/shuiyun" ./cmd/shuiyun
asof=2026-11-26
mk() { # dir rows: a clean Jiangsu vessel register
  [ -f "$1/vessel_operating_certificate.csv" ] ||
    "$out/shuiyun" gen --out "$1" --dataset vessel_operating_certificate --rows "$2" --error-rate 0 \
      --submitter 320000 --as-of $asof --seed 11 >/dev/null
}
mk "$out/full-$full" "$full"
mk "$out/incr-$incr" "$incr"
pack() { # dir seq mode -> path
  rm -f "$out/pkg/320000_20261125_$(printf %06d "$2").zip"
  "$out/shuiyun" pack --sender 320000 --seq "$2" --mode "$3" --data-date 2026-11-25 --out "$out/pkg" \
    "$1/vessel_operating_certificate.csv" >/dev/null
  echo "$out/pkg/320000_20261125_$(printf %06d "$2").zip"
}
mkdir -p "$out/pkg"
p_incr=$(pack "$out/incr-$incr" 1 incremental)
p_full=$(pack "$out/full-$full" 2 full)
p_again=$(pack "$out/full-$full" 3 full)

settle() { # the writes of earlier runs out of the way
  sync
  if [ "$backend" = postgres ]; then psql -q "${pg%/*}/shuiyun_bench" -c CHECKPOINT; fi
}
run() { # label rows db-flags package
  local label=$1 n=$2 db=$3 pkg=$4
  local t0 t1 rss
  settle
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  /usr/bin/time -f '%M' -o "$out/rss" "$out/shuiyun" ingest $db --format json "$pkg" >"$out/receipt.json" 2>"$out/err" ||
    { cat "$out/err" >&2; exit 1; }
  t1=$(date +%s.%N)
  rss=$(( $(tail -1 "$out/rss") / 1024 ))
  awk -v l="$label" -v n="$n" -v a="$t0" -v b="$t1" -v r="$rss" \
    'BEGIN { s=b-a; printf "%-44s rows=%-8d seconds=%7.2f rows/s=%8.0f peak_rss_mb=%d\n", l, n, s, n/s, r }'
  grep -q '"status":"accepted"' "$out/receipt.json" || { echo "not accepted:" >&2; head -c 600 "$out/receipt.json" >&2; exit 1; }
}
timed() { # label rows cmd...: time a command whose output is discarded
  local label=$1 n=$2; shift 2
  local t0 t1
  settle
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$out/rss" "$@" >/dev/null 2>"$out/err" || { cat "$out/err" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v l="$label" -v n="$n" -v a="$t0" -v b="$t1" -v r="$(( $(tail -1 "$out/rss") / 1024 ))" \
    'BEGIN { s=b-a; printf "%-44s rows=%-8d seconds=%7.2f rows/s=%8.0f peak_rss_mb=%d\n", l, n, s, n/s, r }'
}
echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3), $(date -u +%FT%TZ)"
reset() { # backend: an empty store, its tables made as at installation (`shuiyun migrate`)
  if [ "$1" = sqlite ]; then
    rm -rf "$out/data"; db="--data $out/data"
  else
    psql -q "$pg" -c "DROP DATABASE IF EXISTS shuiyun_bench WITH (FORCE)" -c "CREATE DATABASE shuiyun_bench" >/dev/null
    rm -rf "$out/data-pg"; db="--data $out/data-pg --db ${pg%/*}/shuiyun_bench"
  fi
  # shellcheck disable=SC2086
  "$out/shuiyun" migrate $db >/dev/null
}
for backend in ${BACKENDS:-sqlite postgres}; do
  reset $backend
  run "$backend: incremental package, new records" "$incr" "$db" "$p_incr"
  # shellcheck disable=SC2086
  timed "$backend: export XLSX" "$incr" "$out/shuiyun" export $db --dataset D03 --format xlsx
  reset $backend
  run "$backend: full snapshot into an empty store" "$full" "$db" "$p_full"
  run "$backend: same full snapshot again (unchanged)" "$full" "$db" "$p_again"
  # shellcheck disable=SC2086
  timed "$backend: export CSV" "$full" "$out/shuiyun" export $db --dataset D03
done
