#!/usr/bin/env bash
# Sourced by scripts/test.sh: makes a fresh PostgreSQL database for the store
# suite and exports SHUIYUN_TEST_POSTGRES, starting the local server if it is
# down. Without a server the suite runs on SQLite only, unless
# SHUIYUN_REQUIRE_POSTGRES=1 (CI), when that is an error.
pg_host=${PGHOST:-127.0.0.1}
pg_port=${PGPORT:-5432}
pg_user=${PGUSER:-postgres}

pg_up() { pg_isready -q -h "$pg_host" -p "$pg_port" 2>/dev/null; }

if [ -z "${SHUIYUN_TEST_POSTGRES:-}" ]; then
  if ! pg_up && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 30); do pg_up && break; sleep 1; done
  fi
  if pg_up && command -v psql >/dev/null 2>&1; then
    pg_db="shuiyun_test_$$_$(date +%s)"
    psql -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "${PGDATABASE:-test}" -c "CREATE DATABASE $pg_db" >/dev/null
    export SHUIYUN_TEST_POSTGRES="postgres://$pg_user@$pg_host:$pg_port/$pg_db?sslmode=disable"
    drop_test_db() { psql -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "${PGDATABASE:-test}" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true; }
    trap drop_test_db EXIT
    echo "test: PostgreSQL store suite on database $pg_db"
  elif [ "${SHUIYUN_REQUIRE_POSTGRES:-}" = 1 ]; then
    echo "test: PostgreSQL is required (SHUIYUN_REQUIRE_POSTGRES=1) but not reachable on $pg_host:$pg_port" >&2
    exit 1
  else
    echo "test: no PostgreSQL on $pg_host:$pg_port; the store suite runs on SQLite only" >&2
  fi
fi
