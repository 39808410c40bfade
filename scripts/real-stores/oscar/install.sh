#!/bin/sh
# Build the real django-oscar + django-oscar-accounts store of tests/real_stores: pinned packages from PyPI in a venv
# of its own (.real-stores/oscar/venv), a migrated SQLite database seeded with the gift card and the customers
# (.real-stores/oscar/seeded.sqlite3), and the seed's manifest (customers.json). Re-running is a no-op while
# requirements.txt and the shop's files are unchanged: the venv is rebuilt only when requirements.txt changes, the
# database only when the shop's files do. Tests work on throw-away copies of the database, never on it.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
STATE=${GIFTSHOP_STATE:-$ROOT/.real-stores/oscar}
PYTHON=${PYTHON:-python3}
mkdir -p "$STATE"
exec 9>"$STATE/.lock"
flock 9

digest() { cat "$@" | sha256sum | cut -d' ' -f1; }
REQS=$(digest "$HERE/requirements.txt")
SHOP=$(cd "$HERE" && digest install.sh requirements.txt manage.py $(find giftshop -type f \( -name '*.py' -o -name '*.html' \) | sort))

if [ "$(cat "$STATE/venv.stamp" 2>/dev/null)" != "$REQS" ]; then
    echo "real store: installing django-oscar + django-oscar-accounts (pinned) into $STATE/venv"
    rm -rf "$STATE/venv" "$STATE/db.stamp"
    "$PYTHON" -m venv "$STATE/venv"
    "$STATE/venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
    echo "$REQS" >"$STATE/venv.stamp"
fi

if [ "$(cat "$STATE/db.stamp" 2>/dev/null)" != "$SHOP" ] || [ ! -f "$STATE/seeded.sqlite3" ]; then
    echo "real store: migrating and seeding $STATE/seeded.sqlite3"
    rm -f "$STATE/building.sqlite3"
    cd "$HERE"
    GIFTSHOP_STATE="$STATE" GIFTSHOP_DB="$STATE/building.sqlite3" "$STATE/venv/bin/python" manage.py migrate --verbosity 0
    GIFTSHOP_STATE="$STATE" GIFTSHOP_DB="$STATE/building.sqlite3" "$STATE/venv/bin/python" -m giftshop.seed "$STATE/customers.json"
    mv "$STATE/building.sqlite3" "$STATE/seeded.sqlite3"
    echo "$SHOP" >"$STATE/db.stamp"
else
    echo "real store: already installed ($STATE)"
fi
