#!/usr/bin/env bash
# The hub over HTTP with 1,000,000 vessel records stored: search latency
# (p50/p99 of filtered pages through /api/v1, 50 concurrent clients on
# loopback) and the full-dataset CSV export rate, with the server's peak RSS.
# Usage: bench/web.sh [ROWS] [PG_URL]   (PG_URL "" skips PostgreSQL)
#   defaults 1000000, postgres://postgres@127.0.0.1:5432/test (a scratch
#   database shuiyun_webbench is made there). Data under bench/out/web (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}; pg=${2-postgres://postgres@127.0.0.1:5432/test}
out=bench/out/web; mkdir -p "$out"
go build -o "$out/shuiyun" ./cmd/shuiyun
go build -o "$out/webload" ./bench/webload
src="$out/src-$rows"
[ -f "$src/vessel_operating_certificate.csv" ] ||
  "$out/shuiyun" gen --out "$src" --dataset vessel_operating_certificate --rows "$rows" --error-rate 0 \
    --submitter 320000 --as-of 2026-11-26 --seed 11 >/dev/null
pkg="$out/pkg/320000_20261125_000001.zip"
[ -f "$pkg" ] || "$out/shuiyun" pack --sender 320000 --seq 1 --mode full --data-date 2026-11-25 --out "$out/pkg" \
  "$src/vessel_operating_certificate.csv" >/dev/null
echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3), $(date -u +%FT%TZ), rows=$rows"

bench() { # label store-flags...
  local label=$1; shift
  "$out/shuiyun" ingest "$@" --exchange "$out/exchange" "$pkg" >/dev/null
  "$out/shuiyun" user add "$@" --login bench --name 基准测试 --role ministry_viewer >/dev/null 2>&1 || true
  local token
  token=$("$out/shuiyun" user token "$@" --login bench --name "bench-$(date +%s)" 2>/dev/null)
  "$out/shuiyun" serve "$@" --exchange "$out/exchange" --addr 127.0.0.1:18181 --rescan 1h >"$out/serve.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do curl -sf http://127.0.0.1:18181/healthz >/dev/null && break; sleep 0.2; done
  echo "== $label"
  # The server's anonymous memory (its heap), sampled: with the SQLite file
  # mapped (serve maps it), peak RSS also counts the file's pages it has read,
  # which are the page cache shared with the kernel rather than memory of its own.
  (while kill -0 $pid 2>/dev/null; do awk '/RssAnon/ {print $2}' /proc/$pid/status 2>/dev/null; sleep 0.2; done |
    sort -n | tail -1 >"$out/anon") &
  local sampler=$!
  "$out/webload" -url http://127.0.0.1:18181 -token "$token" -csv "$src/vessel_operating_certificate.csv" -clients 50 -duration 15s
  echo "server peak RSS: $(awk '/VmHWM/ {print int($2/1024) " MB"}' /proc/$pid/status)"
  kill $pid; wait $pid 2>/dev/null || true
  wait $sampler || true # the last sample may find the process gone
  echo "server peak anonymous memory (heap and stacks): $(( $(cat "$out/anon") / 1024 )) MB"
}
rm -rf "$out/data" "$out/exchange"
bench sqlite --data "$out/data"
if [ -n "$pg" ]; then
  psql -q "$pg" -c "DROP DATABASE IF EXISTS shuiyun_webbench WITH (FORCE)" -c "CREATE DATABASE shuiyun_webbench" >/dev/null
  rm -rf "$out/exchange"
  bench postgres --data "$out/pgdata" --db "${pg%/*}/shuiyun_webbench"
fi
