#!/usr/bin/env bash
# The test command (README): vet, then every test, fuzz seed corpora included.
# The store suite also runs on PostgreSQL when one is reachable (scripts/postgres.sh),
# and then the ingest suite runs a second time with the hub on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
go vet ./...
go test -count=1 ./...
if [ -n "${SHUIYUN_TEST_POSTGRES:-}" ]; then
  echo "test: the ingest suite again, on PostgreSQL"
  SHUIYUN_TEST_INGEST_POSTGRES=$SHUIYUN_TEST_POSTGRES go test -count=1 ./internal/ingest
fi
