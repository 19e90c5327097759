#!/usr/bin/env bash
# Boots the site the way a deploy does (production settings, PostgreSQL, Redis,
# gunicorn, a Celery worker and beat, and OpenSearch when OPENSEARCH_URL is set),
# then walks a production journey over HTTP against it (scripts/production_journey.py).
# Called by CI (.ci/run) after the test suite; needs the services of `make services`.
#
#   scripts/production_journey.sh                                        # database search
#   OPENSEARCH_URL=http://127.0.0.1:9200 scripts/production_journey.sh   # the engine answers
#
# Everything it writes is its own: database bac_journey (dropped and created afresh),
# Redis databases 11 (cache) and 12 (broker), files under a temporary directory, and
# search indexes named journey-<pid>-* (deleted on exit).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY="$ROOT/.venv/bin/python"
BIN="$ROOT/.venv/bin"

# Each phase with the seconds since the start, so a slow one shows.
log() { printf '\n-- [%3d s] %s\n' "$SECONDS" "$*"; }

WORK="$(mktemp -d -t bac-journey.XXXXXX)"
mkdir -p "$WORK/media" "$WORK/private_media" "$WORK/static" "$WORK/opendata"
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE_URL="http://127.0.0.1:$PORT"
DB_NAME="bac_journey"
REDIS_CACHE_DB=11
REDIS_BROKER_DB=12

export DJANGO_SETTINGS_MODULE="bac_collection.settings.production"
export SECRET_KEY="journey-$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 60)"
export ALLOWED_HOSTS="127.0.0.1,localhost"
# No TLS proxy in front here; every other production setting stays as deployed. The
# journey says it came over https (X-Forwarded-Proto, trusted by SECURE_PROXY_SSL_HEADER)
# so secure cookies and CSRF behave as behind the real proxy.
export SECURE_SSL_REDIRECT=false
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB_NAME"
export REDIS_URL="redis://127.0.0.1:6379/$REDIS_CACHE_DB"
export CELERY_BROKER_URL="redis://127.0.0.1:6379/$REDIS_BROKER_DB"
export MEDIA_ROOT="$WORK/media" PRIVATE_MEDIA_ROOT="$WORK/private_media"
export STATIC_ROOT="$WORK/static" OPENDATA_DUMP_DIR="$WORK/opendata"
export SERVE_MEDIA=true
export WAGTAILADMIN_BASE_URL="$BASE_URL"
# The journey fills in the memory form at machine speed.
export MEMORIES_FORM_MIN_SECONDS=0
export LOG_LEVEL=INFO
# Indexes of this run only, on an engine others may share.
export SEARCH_INDEX_PREFIX="journey-$$"
OPENSEARCH_URL="${OPENSEARCH_URL:-}"
if [[ -n "$OPENSEARCH_URL" ]]; then export OPENSEARCH_URL; else unset OPENSEARCH_URL; fi
unset ELASTICSEARCH_URL

pids=()
logs=()

# Starts "$@" in the background with its output in $WORK/<name>.log.
start() {
  local name="$1"
  shift
  "$@" >"$WORK/$name.log" 2>&1 &
  pids+=("$!")
  logs+=("$WORK/$name.log")
}

cleanup() {
  local status=$?
  # Stop gunicorn, the worker and beat (each stops its own children on TERM), then wait.
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n "${OPENSEARCH_URL:-}" ]]; then
    curl -s -o /dev/null -X DELETE "$OPENSEARCH_URL/$SEARCH_INDEX_PREFIX-*" || true
  fi
  log "Stopped (exit status $status)"
  if ((status != 0)); then
    local file
    for file in "${logs[@]}"; do
      printf '\n== last lines of %s\n' "$file"
      tail -n 40 "$file" || true
    done
    echo "Production journey FAILED (files kept in $WORK)"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT

log "Fresh database $DB_NAME, Redis databases $REDIS_CACHE_DB and $REDIS_BROKER_DB"
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
psql -h 127.0.0.1 -U postgres -q -c "CREATE DATABASE $DB_NAME"
# A throwaway database need not wait for the disk at each commit: migrations run
# about a third faster, and nothing the site does changes.
psql -h 127.0.0.1 -U postgres -q -c "ALTER DATABASE $DB_NAME SET synchronous_commit = off"
redis-cli -h 127.0.0.1 -n "$REDIS_CACHE_DB" flushdb >/dev/null
redis-cli -h 127.0.0.1 -n "$REDIS_BROKER_DB" flushdb >/dev/null

log "Build: migrate, collectstatic, demo archive and stories, search index"
# collectstatic needs no database: it runs while migrate waits on PostgreSQL.
"$PY" manage.py collectstatic --noinput -v 0 &
collectstatic=$!
"$PY" manage.py migrate --noinput -v 0
wait "$collectstatic"
# The demo loaders are development tools (the devtools app), not installed in
# production: they run once under the development settings, on the same database,
# media and broker, as an operator's import would before the site goes live.
DJANGO_SETTINGS_MODULE=bac_collection.settings.dev DEBUG=false "$PY" manage.py load_demo_archive
DJANGO_SETTINGS_MODULE=bac_collection.settings.dev DEBUG=false "$PY" manage.py load_demo_stories
"$PY" manage.py search_index rebuild

log "Staff: a member of Moderators and one of Publishers"
# create_local_admin refuses without DEBUG (rightly): these accounts live only as long
# as this database, with random passwords handed to the journey.
JOURNEY_MODERATOR_PASSWORD="$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
JOURNEY_EDITOR_PASSWORD="$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
export JOURNEY_MODERATOR_PASSWORD JOURNEY_EDITOR_PASSWORD
"$PY" manage.py shell -v 0 -c "
import os
from django.contrib.auth.models import Group, User
for username, group, password in [
    ('journey-moderator', 'Moderators', os.environ['JOURNEY_MODERATOR_PASSWORD']),
    ('journey-editor', 'Publishers', os.environ['JOURNEY_EDITOR_PASSWORD']),
]:
    user = User.objects.create_user(username, f'{username}@example.org', password)
    user.groups.add(Group.objects.get(name=group))
"

log "Start gunicorn on $BASE_URL, a Celery worker and beat"
start gunicorn "$BIN/gunicorn" bac_collection.wsgi -b "127.0.0.1:$PORT" -w 2 \
  --access-logfile - --error-logfile -
start worker "$BIN/celery" -A bac_collection worker -Q celery,images,search --concurrency 2 \
  -n "journey-$$@%h" -l info
start beat "$BIN/celery" -A bac_collection beat -l info -s "$WORK/celerybeat-schedule" \
  --pidfile "$WORK/celerybeat.pid"

# Up means answering: gunicorn's /healthz, the worker's "ready" line.
deadline=$((SECONDS + 60))
until curl -s -o /dev/null "$BASE_URL/healthz"; do
  ((SECONDS < deadline)) || { echo "gunicorn did not answer within 60 s"; exit 1; }
  sleep 0.5
done
until grep -q " ready\." "$WORK/worker.log"; do
  ((SECONDS < deadline)) || { echo "the Celery worker was not ready within 60 s"; exit 1; }
  sleep 0.5
done

log "Journey"
"$PY" scripts/production_journey.py "$BASE_URL"
