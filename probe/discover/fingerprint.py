"""Which storefront platform a page is built on, from the signals in probe/data/fingerprints.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from probe.discover.knowledge import Recipe, fingerprints, recipes

# The page's own signals, read once: generator metas, script and asset addresses, resource addresses, the page's
# globals among the names asked about, and whether its markup holds each HTML pattern asked about.
SIGNALS_JS = """(ask) => {
  const metas = [...document.querySelectorAll('meta[name=generator i]')].map((m) => m.content || "");
  const scripts = [...document.querySelectorAll('script[src], link[href]')].map((s) => s.src || s.href).slice(0, 300);
  const endpoints = performance.getEntriesByType('resource').map((r) => r.name).slice(0, 300);
  const globals = ask.globals.filter((g) => { try { return window[g] !== undefined; } catch (e) { return false; } });
  const html = document.documentElement.outerHTML.slice(0, 300000);
  const hits = ask.html.filter((p) => new RegExp(p, 'i').test(html));
  return { metas, scripts, endpoints: [location.href, ...endpoints], globals, hits };
}"""


@dataclass(frozen=True)
class Identified:
    """The platform found (or None) and the signals that named it."""

    platform: str | None
    evidence: tuple[str, ...] = ()
    recipe: Recipe | None = field(default=None, compare=False)


def _global_names(pattern: str) -> list[str]:
    """The global names a `^A$|^(B|C)$` pattern asks about."""
    inner = pattern.strip("^$").strip("()")
    return [n for n in inner.split("|") if re.fullmatch(r"[A-Za-z_$][\w$]*", n)]


def ask() -> dict[str, list[str]]:
    """What the page is asked: every global name and HTML pattern the fingerprints name."""
    globals_: list[str] = []
    html: list[str] = []
    for platform in fingerprints().platforms:
        for s in platform.signals:
            if s.kind == "global":
                globals_ += _global_names(s.pattern)
            elif s.kind == "html":
                html.append(s.pattern)
    return {"globals": sorted(set(globals_)), "html": html}


def identify(seen: dict[str, list[str]], cookies: list[str]) -> Identified:
    """The platform with the most matching signals (at least one), with what matched."""
    best: tuple[int, str, list[str]] | None = None
    for platform in fingerprints().platforms:
        hits: list[str] = []
        for s in platform.signals:
            rx = re.compile(s.pattern, re.IGNORECASE)
            values = {
                "meta": seen.get("metas", []),
                "cookie": cookies,
                "script": seen.get("scripts", []),
                "global": seen.get("globals", []),
                "endpoint": seen.get("endpoints", []),
                "html": [p for p in seen.get("hits", []) if p == s.pattern],
            }[s.kind]
            match = next((v for v in values if (v == s.pattern if s.kind == "html" else rx.search(v))), None)
            if match is not None:
                hits.append(f"{s.kind} {match[:80]!r} ({s.source})")
        if hits and (best is None or len(hits) > best[0]):
            best = (len(hits), platform.name, hits)
    if best is None:
        return Identified(None)
    return Identified(best[1], tuple(best[2]), recipes().get(best[1]))
