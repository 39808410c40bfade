"""Find a Chromium to drive and launch it with the flags a closed network needs."""

from __future__ import annotations

import glob
import os
import platform
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from probe.errors import ProbeError, first_line

if TYPE_CHECKING:
    from playwright.async_api import Browser, Playwright

# Playwright turns these Chromium features off with a --disable-features of its own. Chromium keeps only the last
# --disable-features it is given, so ours repeats Playwright's (tests/test_browser_flags.py holds it to the installed
# Playwright's list) before adding to it.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
# WebUIOmniboxPopup: the address bar's drop-down as a web page, which a headless window builds for every context
# and nobody sees (a third of a core-second per context, in a renderer of its own and the browser process).
DISABLED_FEATURES = (*PLAYWRIGHT_DISABLED_FEATURES, "WebUIOmniboxPopup")
LAUNCH_ARGS = (
    "--disable-features=" + ",".join(DISABLED_FEATURES),
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-gpu",
    "--disable-quic",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--password-store=basic",
)
SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
ENV_VAR = "PROBE_BROWSER_PATH"


class BrowserNotFound(ProbeError):
    """No usable Chromium: the message says what to install. Exit 2."""

    exit_code = 2


class BrowserUnreachable(ProbeError):
    """A --cdp-endpoint / --ws-endpoint that does not answer. Exit 2."""

    exit_code = 2


@dataclass(frozen=True)
class BrowserChoice:
    """The Chromium probe will launch, and why it was chosen."""

    path: Path
    source: str
    why: str

    def version(self) -> str:
        """The browser's own version string, or a note saying it could not be read."""
        try:
            done = subprocess.run(
                [str(self.path), "--version"], capture_output=True, text=True, timeout=15, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"unknown ({exc.__class__.__name__})"
        return (done.stdout or done.stderr).strip() or "unknown"


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def playwright_browsers_dir() -> Path:
    """Where `playwright install` puts its browsers on this platform."""
    env = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if env and env != "0":
        return Path(env).expanduser()
    system = platform.system()
    if system == "Darwin":
        return Path.home() / "Library" / "Caches" / "ms-playwright"
    if system == "Windows":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "ms-playwright"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ms-playwright"


def _playwright_chromium() -> Path | None:
    root = playwright_browsers_dir()
    patterns = (
        "chromium-*/chrome-linux*/chrome",
        "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
        "chromium-*/chrome-mac*/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
        "chromium-*/chrome-win*/chrome.exe",
        "chromium_headless_shell-*/chrome-*/headless_shell",
        "chromium_headless_shell-*/chrome-*/chrome-headless-shell",
        "chromium_headless_shell-*/chrome-*/headless_shell.exe",
    )
    found = [Path(p) for pattern in patterns for p in glob.glob(str(root / pattern))]
    found = [p for p in found if _executable(p)]
    return max(found, key=lambda p: str(p)) if found else None


def find_browser(explicit: str | None = None) -> BrowserChoice:
    """The first Chromium found: --browser-path, $PROBE_BROWSER_PATH, Playwright's own, then the system's."""
    if explicit:
        path = Path(explicit).expanduser()
        if not _executable(path):
            raise BrowserNotFound(f"--browser-path {explicit}: no executable file there; give a Chromium binary")
        return BrowserChoice(path, "--browser-path", "given on the command line")
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env).expanduser()
        if not _executable(path):
            raise BrowserNotFound(f"${ENV_VAR}={env}: no executable file there; fix or unset it")
        return BrowserChoice(path, ENV_VAR, f"${ENV_VAR} is set")
    bundled = _playwright_chromium()
    if bundled:
        return BrowserChoice(bundled, "playwright", f"installed by `playwright install` in {playwright_browsers_dir()}")
    for name in SYSTEM_NAMES:
        which = shutil.which(name)
        if which:
            return BrowserChoice(Path(which), "system", f"`{name}` found on PATH")
    raise BrowserNotFound(
        "no Chromium found: install Debian's `chromium` and `fonts-liberation` (apt-get install chromium "
        "fonts-liberation), or run `playwright install chromium`, or set PROBE_BROWSER_PATH to a Chromium binary"
    )


async def launch(playwright: Playwright, choice: BrowserChoice, *, headed: bool = False) -> Browser:
    """Launch the chosen Chromium, headless unless asked, with the closed-network flags."""
    return await playwright.chromium.launch(
        executable_path=str(choice.path), headless=not headed, args=list(LAUNCH_ARGS)
    )


async def connect(
    playwright: Playwright, *, cdp: str | None = None, ws: str | None = None, timeout_s: float = 30.0
) -> Browser:
    """Attach to a browser that already runs: a Chromium DevTools endpoint (`cdp`) or a Playwright server (`ws`)."""
    from playwright.async_api import Error as PlaywrightError

    if (cdp is None) == (ws is None):
        raise ProbeError("give exactly one of --cdp-endpoint or --ws-endpoint")
    endpoint = cdp or ws or ""
    option = "--cdp-endpoint" if cdp else "--ws-endpoint"
    try:
        if cdp is not None:
            return await playwright.chromium.connect_over_cdp(cdp, timeout=timeout_s * 1000)
        return await playwright.chromium.connect(endpoint, timeout=timeout_s * 1000)
    except PlaywrightError as exc:
        first = first_line(exc)
        raise BrowserUnreachable(
            f"{option} {endpoint}: cannot connect ({first}); is the browser running there?"
        ) from None
