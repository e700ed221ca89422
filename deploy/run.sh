#!/bin/sh
# Deploy Community Insight on PostgreSQL: compile the translations, migrate the database, store the
# questionnaires, check the configuration with `insight doctor`, then serve it with gunicorn, its
# workers sharing rate limits in Redis. Run it from anywhere, after `make .venv/.installed`;
# tests/test_deploy.py runs it on loopback. It stops at the first step that fails.
#
# Required: DATABASE_URL (postgresql://user@host/db), SECRET_KEY (the same on every machine),
#           PUBLIC_URL (the address respondents use, https://...).
# Optional: BIND (127.0.0.1:8000), WEB_CONCURRENCY (workers, 4),
#           RATELIMIT_STORAGE_URI (redis://127.0.0.1:6379), TRUSTED_PROXY_HOPS (1: one TLS proxy in front),
#           RESPONSE_BATCH (10: responses join the tables ten at a time, in a random order).
set -eu
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL=postgresql://user@host/db}"
: "${SECRET_KEY:?set SECRET_KEY, for example to the output of: python3 -c 'import secrets; print(secrets.token_hex(32))'}"
: "${PUBLIC_URL:?set PUBLIC_URL to the address respondents use, such as https://insight.example.org}"
export DATABASE_URL SECRET_KEY PUBLIC_URL
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-4}"
export RATELIMIT_STORAGE_URI="${RATELIMIT_STORAGE_URI:-redis://127.0.0.1:6379}"
export TRUSTED_PROXY_HOPS="${TRUSTED_PROXY_HOPS:-1}"
export RESPONSE_BATCH="${RESPONSE_BATCH:-10}"
BIND="${BIND:-127.0.0.1:8000}"

.venv/bin/insight translations compile
.venv/bin/insight db upgrade
.venv/bin/insight questionnaires sync
.venv/bin/insight doctor
# No access log: client addresses and times must not be recorded (see the README).
exec .venv/bin/gunicorn --workers "$WEB_CONCURRENCY" --bind "$BIND" wsgi:app
