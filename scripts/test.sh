#!/usr/bin/env bash
# The test command (README): vet, then every test, fuzz seed corpora included.
# The store suite also runs on PostgreSQL when one is reachable (scripts/postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
go vet ./...
go test -count=1 ./...
