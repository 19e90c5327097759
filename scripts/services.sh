#!/usr/bin/env bash
# Installs (if missing) and starts the services production uses, on this machine:
# PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379. Idempotent: a running
# service is left alone. Used by `make services` and by CI (.ci/run).
set -euo pipefail

sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"

need=()
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
command -v pg_isready >/dev/null || need+=(postgresql-client)
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-cli >/dev/null || need+=(redis-tools)
if ((${#need[@]})); then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${need[@]}" >/dev/null
fi

cluster="$(ls /etc/postgresql | sort -V | tail -1)"
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  $sudo pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
fi
for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
# A fresh cluster asks for a password over TCP; this local one trusts its own machine.
if ! psql -h 127.0.0.1 -U postgres -tAc "select 1" >/dev/null 2>&1; then
  hba="/etc/postgresql/$cluster/main/pg_hba.conf"
  $sudo sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
  $sudo pg_ctlcluster --skip-systemctl-redirect "$cluster" main reload
  for _ in $(seq 10); do psql -h 127.0.0.1 -U postgres -tAc "select 1" >/dev/null 2>&1 && break; sleep 1; done
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 10); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

echo "PostgreSQL: postgres://postgres@127.0.0.1:5432/  ($(psql -h 127.0.0.1 -U postgres -tAc 'show server_version'))"
echo "Redis:      redis://127.0.0.1:6379/  ($(redis-cli -h 127.0.0.1 -p 6379 ping))"
