#!/usr/bin/env bash
# Make sure the PostgreSQL server named by the URL answers; start the local cluster if not.
# Tests never skip PostgreSQL: if it cannot be reached, this fails loudly.
set -euo pipefail
url=${1:?usage: ensure-postgres.sh postgres://user@host:port/db}
hostport=${url#*@}; hostport=${hostport%%/*}
host=${hostport%%:*}; port=${hostport##*:}
[ "$port" = "$host" ] && port=5432
if pg_isready -q -h "$host" -p "$port" 2>/dev/null; then
  exit 0
fi
if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "Starting the local PostgreSQL $version cluster"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -h "$host" -p "$port" && exit 0
    sleep 1
  done
fi
echo "PostgreSQL at $host:$port does not answer. Start it, or set TEST_DATABASE_URL." >&2
exit 1
