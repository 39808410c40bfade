"""Drop-downs that are not <select>s: a button with role=combobox opening a listbox of role=option (the WAI-ARIA
select-only combobox, as Base UI, Radix and Headless UI build it). Its options exist only once it is open, so each
empty one is opened, read and chosen as its own step, like a person would; a country first, since the province's
options follow the country chosen."""

from __future__ import annotations

from typing import Any, Protocol

from playwright.async_api import Page

from probe.discover.form import identity, kind_of, option_for
from probe.discover.locate import literal, locator_for
from probe.walk import profile as prof
from probe.walk.flow import Walker


class Explorer(Protocol):
    """What a choice needs of the walk that finds its way (discover/explore.py's Explorer)."""

    walker: Walker
    page: Page
    lang: str
    seen: dict[str, Any]

    async def _run(
        self, name: str, actions: list[prof.Action], *, picture: bool = True, rescan: bool = True
    ) -> None: ...


# The open listbox's options, as a person sees them (a disabled one is a placeholder such as "Country").
OPTIONS_JS = """() => [...document.querySelectorAll('[role=listbox] [role=option]')]
  .filter((o) => o.getBoundingClientRect().height > 0)
  .map((o) => ({ text: (o.innerText || o.textContent || '').replace(/\\s+/g, ' ').trim(),
                 disabled: o.getAttribute('aria-disabled') === 'true' || o.hasAttribute('data-disabled') }))
  .filter((o) => o.text && !o.disabled).slice(0, 400)"""
# Comboboxes chosen on one checkout page at most (a country and its province, a title, a delivery slot…).
MAX_CHOICES = 6


def empty_comboboxes(seen: dict[str, Any]) -> list[dict[str, Any]]:
    """The page's empty drop-downs of this kind that need an answer, a country first."""
    boxes = [f for f in seen["fields"] if f["tag"] == "combobox" and not f["value"] and not f["overlay"]]
    boxes = [f for f in boxes if f["required"] or kind_of(f) in ("country", "state")]
    return sorted(boxes, key=lambda f: kind_of(f) != "country")


async def choose(explorer: Explorer) -> None:
    """Open each empty drop-down, choose the identity's country or province (else the first real option)."""
    who = identity(explorer.lang)
    tried: set[str] = set()
    for _ in range(MAX_CHOICES):
        box = next((f for f in empty_comboboxes(explorer.seen) if f["label"] not in tried), None)
        if box is None:
            return
        tried.add(box["label"])
        opener = await locator_for(explorer.walker, {**box, "name": box["label"]}, role="combobox")
        await explorer._run(f"open {box['label']}", [prof.Click(action="click", locator=opener)], picture=False)
        options = await explorer.page.evaluate(OPTIONS_JS)
        pick = option_for({**box, "options": [{"value": o["text"], "text": o["text"]} for o in options]}, who)
        if pick is None:
            await explorer.page.keyboard.press("Escape")
            continue
        option = prof.Locator(role="option", name=literal(pick), exact=True)
        await explorer._run(f"choose {box['label']}", [prof.Click(action="click", locator=option)], picture=False)
