#!/bin/sh
# Build the real EverShop store of tests/real_stores: @evershop/evershop from npm, pinned by package-lock.json
# (`npm ci` into .real-stores/evershop/app), its storefront compiled by its own `evershop build`, and a database
# seeded by seed.py through the store's own admin API, dumped to .real-stores/evershop/seeded.sql. Re-running is a
# no-op while the lock file and the seed are unchanged: the packages and the build are redone only when
# package-lock.json changes, the dump only when seed.py or this script does. Tests restore the dump into PostgreSQL
# servers of their own, never into one kept here. Needs Node 20 with npm, and Debian's PostgreSQL (initdb, pg_ctl).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
STATE=${EVERSHOP_STATE:-$ROOT/.real-stores/evershop}
PYTHON=${PYTHON:-python3}
mkdir -p "$STATE"
exec 9>"$STATE/.lock"
flock 9
started=$(date +%s)

digest() { cat "$@" | sha256sum | cut -d' ' -f1; }
PACKAGES=$(cd "$HERE" && digest package.json package-lock.json)
SEED=$(cd "$HERE" && digest install.sh seed.py package-lock.json)

if [ "$(cat "$STATE/app.stamp" 2>/dev/null)" != "$PACKAGES" ]; then
    echo "real store: installing @evershop/evershop (pinned by package-lock.json) into $STATE/app"
    rm -rf "$STATE/app" "$STATE/seed.stamp"
    mkdir -p "$STATE/app"
    cp "$HERE/package.json" "$HERE/package-lock.json" "$STATE/app/"
    # No install scripts: the native parts (sharp, @swc/core) come as prebuilt npm packages of their own.
    (cd "$STATE/app" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    echo "real store: compiling the storefront (evershop build)"
    (cd "$STATE/app" && SUPPRESS_NO_CONFIG_WARNING=1 \
        node node_modules/@evershop/evershop/dist/bin/evershop.js build >"$STATE/build.log" 2>&1) || {
        tail -40 "$STATE/build.log"
        exit 1
    }
    [ -d "$STATE/app/.evershop/build" ] || { tail -40 "$STATE/build.log"; echo "real store: the build made nothing"; exit 1; }
    echo "$PACKAGES" >"$STATE/app.stamp"
fi

if [ "$(cat "$STATE/seed.stamp" 2>/dev/null)" != "$SEED" ] || [ ! -f "$STATE/seeded.sql" ]; then
    echo "real store: seeding $STATE/seeded.sql through the store's admin API"
    "$PYTHON" "$HERE/seed.py" "$STATE/app" "$STATE/building.sql"
    mv "$STATE/building.sql" "$STATE/seeded.sql"
    echo "$SEED" >"$STATE/seed.stamp"
else
    echo "real store: already installed ($STATE)"
fi
echo "real store: evershop ready in $(($(date +%s) - started)) s"
