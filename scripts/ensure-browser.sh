#!/bin/sh
# Make sure a Chromium exists for Playwright: Debian's package where apt-get works, else Playwright's own.
set -u
VENV=${VENV:-.venv}
if "$VENV/bin/probe" doctor --quiet >/dev/null 2>&1; then
    exit 0
fi
echo "probe: no Chromium found; installing one" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; }; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq chromium fonts-liberation >&2
    if "$VENV/bin/probe" doctor --quiet >/dev/null 2>&1; then exit 0; fi
fi
if "$VENV/bin/playwright" install chromium >&2; then
    if "$VENV/bin/probe" doctor --quiet >/dev/null 2>&1; then exit 0; fi
fi
echo "probe: could not install a Chromium. Install Debian's 'chromium' and 'fonts-liberation'," >&2
echo "       or run '$VENV/bin/playwright install chromium', or set PROBE_BROWSER_PATH to a Chrome/Chromium binary." >&2
exit 1
