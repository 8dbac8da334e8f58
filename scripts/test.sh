#!/usr/bin/env bash
# The whole suite on SQLite, then again on PostgreSQL 15 when it is installed (always in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
LINT_PATHS=(src tests)
[[ -d bench ]] && LINT_PATHS+=(bench)  # bench/ holds only untracked output until a benchmark lands

echo "== lint"
$BIN/ruff check "${LINT_PATHS[@]}"
$BIN/mypy src
echo "== tests on SQLite"
SHOUWANG_DATABASE_URL="sqlite:///$PWD/var/test.sqlite3" $BIN/pytest

if command -v pg_ctlcluster >/dev/null 2>&1 || [[ "${CI:-}" == "true" ]]; then
  bash scripts/system-deps.sh postgres
  if ! pg_lsclusters -h 2>/dev/null | grep -q "^15 *main .*online"; then
    pg_ctlcluster 15 main start
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  if [[ $(id -u) -eq 0 ]]; then
    su postgres -c "psql -q -tc \"SELECT 1 FROM pg_roles WHERE rolname='shouwang'\" | grep -q 1 || psql -q -c \"CREATE ROLE shouwang LOGIN CREATEDB PASSWORD 'shouwang'\""
    su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname='shouwang'\" | grep -q 1 || createdb -O shouwang shouwang"
  fi
  echo "== tests on PostgreSQL 15"
  SHOUWANG_DATABASE_URL="postgres://shouwang:shouwang@127.0.0.1:5432/shouwang" $BIN/pytest -m "not browser"
fi
