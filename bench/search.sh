#!/usr/bin/env bash
# Search latency at scale: ROWS generated vessel certificates are ingested
# through `shuiyun ingest` (as bench/ingest.sh does) into SQLite and, when a
# URL is given, PostgreSQL; then BenchmarkSearch runs against each store: 50
# concurrent clients issue filtered-page searches, ~10 s per kind of search,
# and it prints p50/p99 latency and queries/s.
# Usage: bench/search.sh [ROWS] [PG_URL] [BENCHTIME]
#   defaults 1000000, no PostgreSQL, 10s. A loaded store is reused (the load is
#   timed when it happens); RELOAD=1 loads again. Data under bench/out/search/
#   (git-ignored); on PostgreSQL a scratch database shuiyun_search is made.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}; pg=${2:-}; benchtime=${3:-10s}
out=bench/out/search; mkdir -p "$out"
go build -o "$out/shuiyun" ./cmd/shuiyun
go test -c -o "$out/store.test" ./internal/store
gen=$out/gen-$rows; csv=$gen/vessel_operating_certificate.csv
# A clean Jiangsu register: every record is 320000's, as in bench/ingest.sh;
# no quirks, so the values the benchmark samples from the CSV are stored as written.
[ -f "$csv" ] || "$out/shuiyun" gen --out "$gen" --dataset vessel_operating_certificate --rows "$rows" --error-rate 0 \
  --no-quirks --submitter 320000 --as-of 2026-11-26 --seed 11 >/dev/null
pkg=$out/pkg-$rows/320000_20261125_000001.zip
[ -f "$pkg" ] || "$out/shuiyun" pack --sender 320000 --seq 1 --mode full --data-date 2026-11-25 --out "$out/pkg-$rows" "$csv" >/dev/null

load() { # label db-flags: ingest the package, timed
  local t0 t1
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$out/shuiyun" ingest $2 --format json "$pkg" >"$out/receipt.json" 2>"$out/err" || { cat "$out/err" >&2; exit 1; }
  t1=$(date +%s.%N)
  grep -q '"status":"accepted"' "$out/receipt.json" || { echo "not accepted:" >&2; head -c 600 "$out/receipt.json" >&2; exit 1; }
  awk -v l="$1" -v n="$rows" -v a="$t0" -v b="$t1" 'BEGIN { s=b-a; printf "%-36s rows=%-8d seconds=%7.2f rows/s=%8.0f\n", l, n, s, n/s }'
}
bench() { # label env...: run BenchmarkSearch against a loaded store
  echo "== $1"; shift
  env "$@" SHUIYUN_SEARCH_CSV="$csv" "$out/store.test" -test.run '^$' -test.bench '^BenchmarkSearch$' \
    -test.benchtime "$benchtime" | grep -E '^Benchmark|^ok|FAIL'
}
echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3), $(date -u +%FT%TZ)"

sqlite=$out/sqlite-$rows
if [ "${RELOAD:-}" = 1 ] || [ ! -f "$sqlite/loaded" ]; then
  rm -rf "$sqlite"
  load "sqlite: load (full snapshot)" "--data $sqlite"
  touch "$sqlite/loaded"
fi
cat "$sqlite/shuiyun.db" >/dev/null # a warm page cache, as performance.md measures
bench "sqlite, $rows rows" SHUIYUN_SEARCH_DATA="$sqlite"

if [ -n "$pg" ]; then
  db=${pg%/*}/shuiyun_search
  if [ "${RELOAD:-}" = 1 ] || [ ! -f "$out/pg-$rows.loaded" ]; then
    psql -q "$pg" -c "DROP DATABASE IF EXISTS shuiyun_search WITH (FORCE)" -c "CREATE DATABASE shuiyun_search" >/dev/null
    rm -rf "$out/data-pg"; rm -f "$out"/pg-*.loaded
    load "postgres: load (full snapshot)" "--data $out/data-pg --db $db"
    psql -q "$db" -c "VACUUM ANALYZE" >/dev/null # what autovacuum does soon after a big load
    touch "$out/pg-$rows.loaded"
  fi
  bench "postgres, $rows rows" SHUIYUN_SEARCH_DB="$db"
fi
