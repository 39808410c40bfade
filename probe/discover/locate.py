"""A profile locator for an element the scan found: the way a person would name it, proven to find that element."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from probe.walk import profile as prof

if TYPE_CHECKING:
    from playwright.async_api import JSHandle

    from probe.walk.flow import Walker

INDEX_JS = "(els, target) => els.indexOf(target)"
# A CSS path to the element, the last resort: ids where there are ids, else tag:nth-of-type from the nearest id.
PATH_JS = """(el) => {
  const parts = [];
  for (let e = el; e && e.nodeType === 1 && e !== document.documentElement; e = e.parentElement) {
    if (e.id && /^[A-Za-z][\\w-]*$/.test(e.id)) { parts.unshift('#' + e.id); break; }
    const same = [...(e.parentElement ? e.parentElement.children : [])].filter((s) => s.tagName === e.tagName);
    parts.unshift(e.tagName.toLowerCase() + (same.length > 1 ? `:nth-of-type(${same.indexOf(e) + 1})` : ''));
  }
  return parts.join(' > ');
}"""


def literal(text: str) -> str:
    """Text as a profile string: `$$` and `${` are doubled (profiles expand ${variables}); "$50" stays as it is."""
    return re.sub(r"\$(?=[${])", "$$", text)


async def handle(walker: Walker, ref: int) -> JSHandle:
    return await walker.page.evaluate_handle("(i) => window.__probeFound[i]", ref)


async def _pinned(walker: Walker, spec: prof.Locator, element: JSHandle) -> prof.Locator | None:
    """`spec` if it finds the element (with `nth` when it finds others too), else None."""
    try:
        found = walker.locate(spec)
        index = await found.evaluate_all(INDEX_JS, element)
        if index < 0:
            return None
        count = await found.count()
    except Exception:  # noqa: BLE001 - a locator the page cannot answer is no locator
        return None
    return spec if count == 1 else spec.model_copy(update={"nth": index})


async def locator_for(walker: Walker, entry: dict[str, Any], *, role: str | None = None) -> prof.Locator:
    """The first of role+name, label, placeholder, id, name, CSS path that finds exactly this element."""
    element = await handle(walker, entry["ref"])
    tries: list[prof.Locator] = []
    name = entry.get("name") or entry.get("label") or ""
    if role and name:
        tries.append(prof.Locator(role=role, name=literal(name), exact=True))
    if entry.get("label") and not role:
        tries.append(prof.Locator(label=literal(entry["label"]), exact=True))
    if entry.get("placeholder"):
        tries.append(prof.Locator(placeholder=literal(entry["placeholder"]), exact=True))
    if entry.get("id"):
        tries.append(prof.Locator(css=f"[id={literal(entry['id'])!r}]".replace("'", '"')))
    if entry.get("name") and entry.get("tag") in ("input", "select", "textarea"):
        tries.append(prof.Locator(css=f'{entry["tag"]}[name="{literal(entry["name"])}"]'))
    for spec in tries:
        pinned = await _pinned(walker, spec, element)
        if pinned is not None:
            return pinned
    path = str(await element.evaluate(PATH_JS))
    spec = prof.Locator(css=literal(path))
    return await _pinned(walker, spec, element) or spec


def role_of(entry: dict[str, Any]) -> str:
    """The ARIA role Playwright gives a scanned control."""
    if entry.get("role"):
        return str(entry["role"])
    return "link" if entry.get("tag") == "a" else "button"
