#!/bin/sh
# Make sure PostgreSQL's server programs (initdb, pg_ctl) exist for the run-history tests, which start a server of
# their own in a temporary folder: Debian's `postgresql` package where apt-get works. Without it those tests skip,
# saying why; nothing else needs PostgreSQL.
set -u
found() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; }
if found; then
    exit 0
fi
echo "probe: PostgreSQL not found; installing Debian's postgresql for the history tests" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; }; then
    export DEBIAN_FRONTEND=noninteractive
    # The package starts a cluster of its own on port 5432 where it can; the tests use their own server instead.
    $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq postgresql >&2
fi
if found; then
    exit 0
fi
echo "probe: could not install PostgreSQL; the PostgreSQL history tests will skip (install Debian's 'postgresql')" >&2
exit 0
