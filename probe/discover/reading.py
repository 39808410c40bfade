"""Reading a scanned page (scan.js's answer): which link leads to the gift card, which control adds it to the cart,
goes to checkout or on, which fields belong to a sign-in form. Pure functions of the scan: no browser here."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote_plus, urlencode, urlsplit

from probe.discover.knowledge import says, search_words
from probe.discover.locate import role_of
from probe.safety.refusal import click_refusal

Seen = dict[str, Any]
Entry = dict[str, Any]
PRODUCT_HREF = re.compile(r"/(p|product|products|item|items|dp|gift-?cards?|giftcertificates?)[/.-]", re.IGNORECASE)
SIGN_IN_WORDS = re.compile(r"sign[\s-]*in|log[\s-]*in|anmelden|connexion|iniciar|accedi|inloggen|entrar|ログイン", re.I)
# The delivery words a gift-card kind prefers, and the ones it avoids.
KIND_WORDS = {"store-digital": ("digital", "physical"), "store-physical": ("physical", "digital")}


def pressable(seen: Seen) -> list[Entry]:
    """Buttons and links with a name, but a search form's."""
    return [c for c in [*seen["buttons"], *seen["links"]] if c["name"] and not c.get("search")]


def add_button(seen: Seen) -> Entry | None:
    return next((b for b in pressable(seen) if says("add_to_cart", b["name"])), None)


def is_gift_product(seen: Seen) -> bool:
    """A gift card's own page: its heading names one (not its balance or terms), and it can be added to the cart."""
    heading = f"{seen['h1']} {seen['title']}"
    return says("gift_card", heading) and not says("avoid", seen["h1"]) and add_button(seen) is not None


def best_gift_link(seen: Seen, visited: set[str], gift_card: str) -> Entry | None:
    """The link most likely to lead to a gift card of the kind asked (named one beats addressed one, a product
    address beats a category, the kind's delivery words help), never one already followed."""
    want, avoid = KIND_WORDS.get(gift_card, ("digital", "physical"))
    best: tuple[int, Entry] | None = None
    for link in seen["links"]:
        href = link.get("href") or ""
        if link["overlay"] or href in visited or not href.startswith(("http:", "https:", "file:")):
            continue
        named, addressed = says("gift_card", link["name"]), says("gift_card", href)
        if not (named or addressed) or says("avoid", link["name"]) or says("avoid", href):
            continue
        score = 3 * named + addressed + 2 * bool(PRODUCT_HREF.search(href))
        score += 2 * says(want, link["name"]) - 2 * says(avoid, link["name"])
        if best is None or score > best[0]:
            best = (score, link)
    return best[1] if best else None


def control_named(seen: Seen, kind: str) -> Entry | None:
    """The first control named like `kind` (checkout, cart, guest, register, next) that the refusal rule allows."""
    for control in pressable(seen):
        if not says(kind, control["name"]) or (kind != "add_to_cart" and says("add_to_cart", control["name"])):
            continue
        if click_refusal(role_of(control), control["name"], control["tag"]) is None:
            return control
    return None


def forms_of(seen: Seen) -> set[int]:
    """The forms holding the page's empty fields and choices (their submit is the way on)."""
    entries = [*seen["fields"], *(o for g in seen["radios"] for o in g["options"])]
    return {e["fi"] for e in entries if e["fi"] >= 0 and not e.get("value") and not e.get("auth")}


def next_control(seen: Seen, forms: set[int] | None = None) -> Entry | None:
    """A control named like going on, else the submit button of a form being filled (never an order control)."""
    named = control_named(seen, "next")
    if named is not None:
        return named
    buttons: list[Entry] = seen["buttons"]
    for b in buttons:
        if b["form"] is None or b["type"] not in ("submit", "") or b["search"] or (forms and b["fi"] not in forms):
            continue
        if not b["overlay"] and b["name"] and click_refusal(role_of(b), b["name"], b["tag"], b["type"]) is None:
            if not SIGN_IN_WORDS.search(b["name"]) and not says("add_to_cart", b["name"]):
                return b
    return None


def cart_count(seen: Seen) -> int | None:
    numbers: list[int] = seen["cart_numbers"]
    return max(numbers) if numbers else None


def address_fields(seen: Seen) -> list[Entry]:
    """Text fields to fill that are not a sign-in or registration form's (a form with a password field)."""
    return [
        f
        for f in seen["fields"]
        if not f["overlay"] and not f["auth"] and f["tag"] != "select" and f["type"] != "email"
    ]


def guest_radio(seen: Seen) -> Entry | None:
    """A "check out as a guest" choice among radio buttons (a sign-in / guest / register form)."""
    for group in seen["radios"]:
        for option in group["options"]:
            if says("guest", option["label"]) and not option["disabled"]:
                return dict(option)
    return None


def dead_end(seen: Seen, url: str) -> str:
    """Why nothing leads on: the only way on is an order control (never pressed), or there is none at all."""
    for b in seen["buttons"]:
        if b["form"] is not None and not b["search"] and b["name"]:
            why = click_refusal(role_of(b), b["name"], b["tag"], b["type"])
            if why is not None:
                return f"the only way on from {url} is {b['name']!r}, which probe never presses ({why})"
    return f"nothing leads on from {url}"


def refusal(seen: Seen, url: str) -> str:
    """What the store said when it refused the form: the field it marked, its words."""
    field_name = seen["invalid"][0] if seen["invalid"] else None
    said = seen["alerts"][0] if seen["alerts"] else "the page came back unchanged"
    return f"{field_name + ': ' if field_name else ''}{said} ({url})"


def challenge(seen: Seen, frame_words: list[str]) -> str | None:
    """What shows a bot-protection challenge (its words, or a challenge frame), or None."""
    frames = [str(f) for f in seen["frames"] if re.search("|".join(frame_words), f, re.I)]
    if says("challenge", f"{seen['title']} {seen['text'][:1500]}") or frames:
        return frames[0][:60] if frames else str(seen["title"] or seen["h1"])
    return None


def amount_option(options: list[dict[str, str]], amount: str) -> str | None:
    """The drop-down option (its value) for the amount asked, else the first real one."""
    real = [str(o["value"]) for o in options if o["value"]]
    for o in options:
        if o["value"] and (re.search(rf"(?<![\d.,]){re.escape(amount)}(?![\d])", o["text"]) or o["value"] == amount):
            return str(o["value"])
    return real[0] if real else None


def amount_radio(options: list[Entry], amount: str) -> Entry | None:
    """The radio button for the amount asked, else the first that can be chosen."""
    usable = [o for o in options if not o["disabled"]]
    for o in usable:
        if re.search(rf"(?<![\d.,]){re.escape(amount)}(?![\d])", o["label"]):
            return o
    return usable[0] if usable else None


def search_address(
    box: Entry | None, recipe_search: str | None, lang: str, searched: list[str]
) -> tuple[str, str] | None:
    """The next catalogue search for the gift card: the words (the page's language first, then English) and the
    address that asks for them, through the page's own search form (a GET one) or the platform recipe's search
    address (`{q}` the words); None when every word was searched or there is no way to search."""
    words = next((w for w in search_words(lang) if w not in searched), None)
    if words is None:
        return None
    if box is None:
        return (words, recipe_search.replace("{q}", quote_plus(words))) if recipe_search else None
    if not box["get"]:
        return None
    query = urlencode([*[(n, v) for n, v in box["hidden"] if n], (box["name"], words)])
    return words, f"{urlsplit(box['action']).path or '/'}?{query}"
