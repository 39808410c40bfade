"""Why a step failed, in words: what the page has instead of a locator's element, which elements it matched, or
what the browser said."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Any

from probe.errors import first_line
from probe.walk import profile as prof

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

# How many candidates or matches a message lists.
LISTED = 5
# Below this similarity a candidate is not worth naming.
CANDIDATE_CUTOFF = 0.35
# Text that never goes into a message: e-mail addresses, card numbers, amounts.
PRIVATE_TEXT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+|\b(?:\d[ -]?){12,19}\b|[$€£¥]\s?\d[\d,.]*|\d[\d,.]*\s?(?:USD|EUR|GBP)"
)

# Every element a person could point at, with its role and accessible name as a profile would write them.
CANDIDATES_SCRIPT = """
() => {
  const implicit = el => {
    const tag = el.tagName.toLowerCase(), type = (el.getAttribute('type') || '').toLowerCase();
    if (tag === 'a' && el.hasAttribute('href')) return 'link';
    if (tag === 'button' || (tag === 'input' && ['submit', 'button', 'reset'].includes(type))) return 'button';
    if (tag === 'input' && type === 'checkbox') return 'checkbox';
    if (tag === 'input' && type === 'radio') return 'radio';
    if (tag === 'input' && !['hidden', 'file', 'image', 'range', 'color'].includes(type)) return 'textbox';
    if (tag === 'textarea') return 'textbox';
    if (tag === 'select') return 'combobox';
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'table') return 'table';
    return null;
  };
  const labelOf = el => {
    if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
    const by = el.getAttribute('aria-labelledby');
    if (by) return by.split(/\\s+/).map(id => document.getElementById(id)?.innerText || '').join(' ');
    if (el.labels && el.labels.length) return Array.from(el.labels).map(l => l.innerText).join(' ');
    return '';
  };
  const out = [];
  const pointable = 'a,button,input,select,textarea,h1,h2,h3,h4,h5,h6,table,[role],[data-testid]';
  for (const el of document.querySelectorAll(pointable)) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if ((box.width === 0 && box.height === 0) || style.visibility === 'hidden') continue;
    const role = el.getAttribute('role') || implicit(el);
    const label = labelOf(el);
    const tag = el.tagName.toLowerCase();
    const isField = ['input', 'select', 'textarea'].includes(tag);
    const text = isField ? '' : (el.innerText || '').trim();
    const name = (label || text || el.getAttribute('title') || el.getAttribute('placeholder') || '').trim();
    out.push({role, name: name.replace(/\\s+/g, ' ').slice(0, 80), label: label.trim().slice(0, 80),
              placeholder: el.getAttribute('placeholder') || '', test_id: el.getAttribute('data-testid') || '',
              text: text.replace(/\\s+/g, ' ').slice(0, 80), tag, id: el.id || ''});
  }
  return out;
}
"""

# One matched element, described without its value.
DESCRIBE_SCRIPT = """
els => els.map(el => {
  const tag = el.tagName.toLowerCase();
  const label = el.getAttribute('aria-label') || (el.labels && el.labels.length ? el.labels[0].innerText : '');
  const text = ['input', 'select', 'textarea'].includes(tag) ? '' : (el.innerText || '').trim();
  const form = el.closest('form');
  const landmark = el.closest('nav,header,footer,aside,[role=navigation],[role=dialog]');
  const named = node => node.getAttribute('aria-label') || node.id || '';
  const where = form ? 'form ' + (named(form) || form.getAttribute('action') || '')
    : landmark ? (landmark.getAttribute('role') || landmark.tagName.toLowerCase()) + ' ' + named(landmark) : '';
  const name = (label || text).replace(/\\s+/g, ' ').slice(0, 60);
  return {tag, id: el.id || '', type: el.getAttribute('type') || '', name, where};
})
"""


def private(text: str) -> str:
    """Text with e-mail addresses, card numbers and amounts replaced, for messages that reach the report."""
    return PRIVATE_TEXT.sub("…", text)


def _wanted(spec: prof.Locator) -> tuple[str, str]:
    """(what to compare candidates by, the text the locator looks for)."""
    if spec.role is not None:
        return "name", spec.name or spec.role
    for kind in ("label", "text", "placeholder", "test_id"):
        value = getattr(spec, kind)
        if value is not None:
            return kind, value
    return "name", spec.css or ""


def _shown(item: dict[str, Any], by: str) -> str:
    if by == "test_id":
        return f"{{test_id: {item['test_id']}}}"
    if by == "label" and item["label"]:
        return f"{{label: {private(item['label'])}}}"
    if by == "placeholder":
        return f"{{placeholder: {private(item['placeholder'])}}}"
    if item["role"] and item["name"]:
        return f"{{role: {item['role']}, name: {private(item['name'])}}}"
    return f"{{text: {private(item['text'] or item['name'])}}}"


async def candidates(page: Page, spec: prof.Locator) -> list[str]:
    """The page's elements closest to what the locator asks for, as locators a profile could use."""
    try:
        items: list[dict[str, Any]] = await page.evaluate(CANDIDATES_SCRIPT)
    except Exception:  # noqa: BLE001 - a page gone mid-diagnosis just has no candidates
        return []
    by, wanted = _wanted(spec)
    field = {"name": "name", "label": "label", "text": "text", "placeholder": "placeholder", "test_id": "test_id"}[by]
    scored: list[tuple[float, str]] = []
    for item in items:
        value = str(item.get(field) or item.get("name") or "")
        if not value:
            continue
        if spec.role is not None and item["role"] != spec.role:
            score = 0.6 * difflib.SequenceMatcher(None, wanted.lower(), value.lower()).ratio()
        else:
            score = difflib.SequenceMatcher(None, wanted.lower(), value.lower()).ratio()
            if wanted.lower() in value.lower():
                score = max(score, 0.9)
        if score >= CANDIDATE_CUTOFF:
            scored.append((score, _shown(item, by)))
    seen: list[str] = []
    for _, shown in sorted(scored, key=lambda pair: -pair[0]):
        if shown not in seen:
            seen.append(shown)
    return seen[:LISTED]


async def not_found(page: Page, spec: prof.Locator, waited_s: float) -> str:
    """The message for a locator that matched nothing: the page loaded, the element is not on it."""
    close = await candidates(page, spec)
    where = private(page.url)
    hint = f"; closest on the page: {', '.join(close)}" if close else "; nothing like it is on the page"
    return f"no element matches {spec.describe()} on {where} after {waited_s:.1f} s{hint}"


async def many(locator: Locator, spec: prof.Locator, count: int) -> str:
    """The message for a locator that matched several elements: which ones, and what to write instead."""
    try:
        found: list[dict[str, str]] = await locator.evaluate_all(DESCRIBE_SCRIPT)
    except Exception:  # noqa: BLE001
        found = []
    listed = []
    for i, item in enumerate(found[:LISTED]):
        bits = [item["tag"] + (f"#{item['id']}" if item["id"] else "")]
        if item["type"]:
            bits.append(f"type={item['type']}")
        if item["name"]:
            bits.append(repr(private(item["name"])))
        if item["where"].strip():
            bits.append(f"in {private(item['where'].strip())}")
        listed.append(f"{i}) {' '.join(bits)}")
    more = f" and {count - LISTED} more" if count > LISTED else ""
    exact = "" if spec.exact or spec.css is not None or spec.test_id is not None else "`exact: true`, "
    return (
        f"{spec.describe()} matches {count} elements: {'; '.join(listed)}{more}; "
        f"add `nth: N` (0 = the first) or narrow it ({exact}a role with a name, or a css selector)"
    )


# Browser errors a person can act on, by the marker in Playwright's message.
CAUSES = (
    ("ERR_CONNECTION_REFUSED", "connection refused at {url}: nothing answers there; is the store running?"),
    ("ERR_TOO_MANY_REDIRECTS", "redirect loop at {url}: the store keeps redirecting"),
    ("ERR_NAME_NOT_RESOLVED", "cannot resolve the host of {url}"),
    ("ERR_EMPTY_RESPONSE", "the server closed the connection without answering at {url}"),
    ("ERR_CONNECTION_RESET", "the connection was reset at {url}"),
    ("Timeout", "the page did not finish loading within {seconds} ({url})"),
)
PLAYWRIGHT_TIMEOUT = re.compile(r"Timeout (\d+(?:\.\d+)?)ms")
TIMED_OUT = "the page did not finish loading"


def explain(exc: BaseException, url: str) -> str:
    """One line saying why a browser action failed."""
    text = str(exc).strip()
    first = first_line(exc)
    took = PLAYWRIGHT_TIMEOUT.search(first)
    seconds = f"{float(took.group(1)) / 1000:.1f} s" if took else "the time left"
    first = PLAYWRIGHT_TIMEOUT.sub(lambda m: f"timeout {float(m.group(1)) / 1000:.1f} s", first)
    for marker, cause in CAUSES:
        if marker in text:
            return cause.format(url=url, first=first, seconds=seconds)
    return first


def describe_action(action: prof.Action) -> str:
    """A profile action as a person would name it in a message."""
    if isinstance(action, prof.Goto):
        return f"goto {action.url}"
    if isinstance(action, prof.WaitFor):
        what = action.locator.describe() if action.locator else action.url or action.state
        return f"wait_for {what}"
    return f"{action.action} {action.locator.describe()}"
