"""The walk without a profile: find the gift card, put it in the cart and prove it, check out as a guest, stop at
payment selection. Every action is a profile action run by the walker (so the refusal rule, the guard and the
screenshots are the same as for a profile), and the actions taken are the profile written for a person."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from probe.detect.place import find_place
from probe.detect.settle import settle
from probe.detect.vocabulary import NO_METHODS_TEXT, PAYMENT_HEADING
from probe.discover import listbox
from probe.discover import reading as read
from probe.discover.failures import SESSION_HINT, DiscoveryFailed, Failure
from probe.discover.fingerprint import SIGNALS_JS, Identified, ask, identify
from probe.discover.form import identity, option_for, text_for
from probe.discover.knowledge import says, vocabulary
from probe.discover.locate import literal, locator_for, role_of
from probe.models import PageKind
from probe.safety.refusal import click_refusal
from probe.walk import profile as prof
from probe.walk.flow import FlowError, Walker

SCAN_JS = Path(__file__).with_name("scan.js").read_text(encoding="utf-8")
# Pop-ups (a newsletter offer) that open a moment after the first page loads are waited for this long, once.
FIRST_POPUP_WAIT_S = 1.0
# How long the cart is watched for the item after add to cart (a drawer that opens after its request).
CART_PROOF_S = 5.0
CART_POLL_S = 0.2
# After adding to the cart: how long the walk waits for the store's requests to finish before reading the page.
ADDED_QUIET_S = 3.0
# How long a one-page checkout that stayed on its address is watched for the payment methods it reveals.
ONE_PAGE_WAIT_S = 10.0
# Pages the search for the gift card may open, and checkout pages the walk may go through.
MAX_SEARCH_PAGES = 6
MAX_CHECKOUT_PAGES = 8


@dataclass
class Ask:
    """What the walk looks for: the gift card's kind and amount, the store's address."""

    url: str
    gift_card: str = "store-digital"
    amount: str = "50"


@dataclass
class Found:
    """What the walk found: the platform, its steps (as a profile's), the one failure (if any)."""

    identified: Identified = field(default_factory=lambda: Identified(None))
    steps: list[prof.Step] = field(default_factory=list)
    failure: DiscoveryFailed | None = None

    def profile(self, url: str) -> prof.Profile:
        """The way found, as an ordinary profile (a failed walk's profile ends where it stopped)."""
        split = urlsplit(url)
        start = (split.path or "/") + (f"?{split.query}" if split.query else "")
        steps = self.steps or [prof.Step(name="open", actions=[prof.Goto(action="goto", url=literal(start))])]
        platform = self.identified.platform or "no known platform"
        return prof.Profile(
            name=split.netloc or url,
            description=f"Found by probe discover on {url} ({platform}). Read it, fix it, replay it.",
            start_url=literal(start),
            steps=steps,
        )


class Explorer:
    """One walk without a profile on one page of one browser context."""

    def __init__(self, walker: Walker, ask: Ask, progress: Any) -> None:
        self.walker = walker
        self.page = walker.page
        self.ask = ask
        self.progress = progress
        self.found = Found()
        self.lang = "en"
        self.seen: dict[str, Any] = {}  # the last scan of the page
        self.visited: set[str] = set()

    # --- the walk ---------------------------------------------------------------------------------------------

    async def run(self) -> Found:
        try:
            await self._open()
            await self._find_gift_card()
            await self._add_to_cart()
            await self._to_checkout()
            await self._checkout()
        except DiscoveryFailed as failed:
            self.found.failure = failed
        return self.found

    async def _open(self) -> None:
        self.progress(f"opening {self.ask.url}")
        try:
            await self.walker.open(self.ask.url, "open store", record_success=False)
        except FlowError as exc:
            with contextlib.suppress(DiscoveryFailed, Exception):
                self.seen = await self.page.evaluate(SCAN_JS)
            if self.seen:
                self._challenge()
            raise DiscoveryFailed("the store did not answer", _cause(exc)) from None
        await self.scan(popups=True)
        cookies = [c["name"] for c in await self.page.context.cookies()]
        signals = await self.page.evaluate(SIGNALS_JS, ask())
        self.found.identified = identify(signals, cookies)
        if self.found.identified.platform:
            self.progress(f"platform: {self.found.identified.platform}")

    async def _find_gift_card(self) -> None:
        self.progress("looking for the gift card")
        searched: list[str] = []
        listing = False  # a page of search results: its gift card's own page is opened, not bought from the list
        for _ in range(MAX_SEARCH_PAGES):
            link = read.best_gift_link(self.seen, self.visited, self.ask.gift_card)
            if read.is_gift_product(self.seen) and not (listing and link is not None):
                break
            listing = False
            if link is not None:
                self.visited.add(link["href"])
                await self._click(link, "gift card", picture=False)
                continue
            search = self._next_search(searched)
            if search is not None:
                searched.append(search[0])
                await self._act("search", search[1], picture=False)
                listing = True
                continue
            recipe = self.found.identified.recipe
            stock = [u for u in (recipe.gift_cards if recipe else []) if urljoin(self.page.url, u) not in self.visited]
            if stock:
                self.visited.add(urljoin(self.page.url, stock[0]))
                await self._act("gift card", prof.Goto(action="goto", url=literal(stock[0])))
                continue
            break
        if not read.is_gift_product(self.seen):
            words = f" (searched for {', '.join(repr(s) for s in searched)})" if searched else ""
            if not self.seen.get("links") and not self.seen.get("buttons"):
                raise DiscoveryFailed("not a shop", f"{self.page.url} shows nothing to follow or press")
            raise DiscoveryFailed("no gift card found", f"no gift card among the links of {self.page.url}{words}")
        await self.walker.picture_last_step(None)

    async def _add_to_cart(self) -> None:
        self.progress(f"choosing the gift card: {self.seen['h1'] or self.seen['title']}")
        before = (read.cart_count(self.seen), tuple(self.seen["cart_text"]))
        actions = await self._choose_amount() + await self._fill(required_only=True)
        button = read.add_button(self.seen)
        assert button is not None  # _is_gift_product saw it
        ref = await self._control(button)
        actions.append(prof.Click(action="click", locator=ref))
        await self._run("gift card into the cart", actions, rescan=False)
        # A cart drawer opened by the add is filled by the store's answer: judged before that answer came, it looks
        # like a pop-up with only a Close, and closing it loses the way to checkout. Wait until the page settles
        # (its requests back, its spinners gone), a few seconds at most.
        with contextlib.suppress(Exception):
            await settle(self.page, timeout_s=min(ADDED_QUIET_S, self.walker.deadline.remaining_ms() / 1000), credit=[])
        await self.scan()
        await self._prove_cart(before)

    async def _to_checkout(self) -> None:
        control = read.control_named(self.seen, "checkout")
        ends = time.monotonic() + CART_PROOF_S
        while control is None and read.control_named(self.seen, "cart") is None and time.monotonic() < ends:
            # A mini-cart drawer slides in a moment after the cart count changes.
            await asyncio.sleep(CART_POLL_S)
            self.seen = await self.page.evaluate(SCAN_JS)
            control = read.control_named(self.seen, "checkout")
        if control is None:
            cart = read.control_named(self.seen, "cart") or None
            recipe = self.found.identified.recipe
            if cart is not None:
                await self._click(cart, "cart")
            elif recipe and recipe.cart:
                await self._act("cart", prof.Goto(action="goto", url=literal(recipe.cart)))
            control = read.control_named(self.seen, "checkout")
        if control is None:
            raise DiscoveryFailed("payment selection not reached", f"no way to checkout on {self.page.url}")
        await self._click(control, "checkout")

    async def _checkout(self) -> None:
        last: tuple[str, tuple[str, ...]] | None = None
        for page_number in range(1, MAX_CHECKOUT_PAGES + 1):
            if await self._at_payment():
                return
            self._challenge()
            guest = read.control_named(self.seen, "guest")
            if guest is not None:
                await self._click(guest, "guest checkout")
                continue
            guest_radio = read.guest_radio(self.seen)
            if self.seen["password"] and not read.address_fields(self.seen) and guest_radio is None:
                if read.control_named(self.seen, "register") is not None:
                    raise DiscoveryFailed(
                        "guest checkout not offered",
                        f"the checkout at {self.page.url} asks to sign in or register; " + SESSION_HINT,
                    )
                raise DiscoveryFailed(
                    "sign-in required", f"the store shows its sign-in page {self.page.url}; {SESSION_HINT}"
                )
            here = (self.page.url, tuple(self.seen["alerts"]))
            if last is not None and here[0] == last[0] and (self.seen["alerts"] or self.seen["invalid"]):
                self._refused()
            if last is not None and here == last:
                if await self._reveals_payment():
                    return
                raise DiscoveryFailed("payment selection not reached", f"the checkout came back to {self.page.url}")
            last = here
            await listbox.choose(self)
            actions = await self._fill(required_only=False, auth=guest_radio is not None)
            actions += await self._choose_radios(guest_radio)
            nxt = read.next_control(self.seen, read.forms_of(self.seen) if actions else set())
            if nxt is None:
                raise DiscoveryFailed("payment selection not reached", read.dead_end(self.seen, self.page.url))
            actions.append(prof.Click(action="click", locator=await self._control(nxt)))
            await self._run(f"checkout page {page_number}", actions)
        if not await self._at_payment():
            raise DiscoveryFailed("payment selection not reached", f"still no payment methods after {self.page.url}")

    # --- looking ----------------------------------------------------------------------------------------------

    async def scan(self, *, popups: bool = False) -> dict[str, Any]:
        """Scan the page (dismissing a consent banner or pop-up first); bot protection stops the walk."""
        await self._settled()
        self.seen = await self.page.evaluate(SCAN_JS)
        self.lang = self.seen["lang"] or self.lang
        if popups and not self.seen["overlays"]:
            waited = time.monotonic() + FIRST_POPUP_WAIT_S
            while time.monotonic() < waited and not self.seen["overlays"]:
                await asyncio.sleep(CART_POLL_S)
                self.seen = await self.page.evaluate(SCAN_JS)
        self._challenge()
        for _ in range(3):
            if not await self._dismiss():
                break
        return self.seen

    async def _settled(self) -> None:
        try:
            await self.page.wait_for_load_state("load", timeout=self.walker.deadline.remaining_ms())
        except Exception:  # noqa: BLE001 - a page still loading is scanned as it is
            return

    def _challenge(self) -> None:
        what = read.challenge(self.seen, vocabulary().words["challenge"].frames)
        if what is not None:
            raise DiscoveryFailed(
                "bot protection", f"{self.page.url} shows a challenge ({what}); probe does not solve it"
            )

    async def _dismiss(self) -> bool:
        """Press a consent banner's reject / necessary-only, or a pop-up's close / no thanks; True when pressed."""
        for overlay in self.seen["overlays"]:
            controls = overlay["controls"]
            if any(says("checkout", c["name"]) for c in controls):
                continue  # a mini-cart drawer: its checkout control is the way on, not a pop-up to close
            consent = says("consent_words", overlay["text"])
            pick = next((c for c in controls if consent and says("consent_reject", c["name"])), None)
            pick = pick or next((c for c in controls if says("dismiss", c["name"])), None)
            if pick is None or click_refusal(role_of(pick), pick["name"], pick["tag"]) is not None:
                continue
            what = "consent banner" if consent else "pop-up"
            self.progress(f"dismissing the {what}: {pick['name']!r}")
            await self._click(pick, f"dismiss the {what}", picture=False, rescan=False)
            await asyncio.sleep(CART_POLL_S)
            self.seen = await self.page.evaluate(SCAN_JS)
            return True
        return False

    def _next_search(self, searched: list[str]) -> tuple[str, prof.Action] | None:
        recipe = self.found.identified.recipe
        found = read.search_address(self.seen["search"], recipe.search if recipe else None, self.lang, searched)
        if found is None:
            return None
        return found[0], prof.Goto(action="goto", url=literal(found[1]))

    async def _at_payment(self) -> bool:
        place = await find_place(
            self.page, no_methods=NO_METHODS_TEXT, title=self.seen["title"], heading=self.seen["h1"]
        )
        # An order button alone proves nothing about payment methods: the walk goes on (or stops, never pressing it).
        methods = [e for e in place.evidence if not e.startswith("an order button")]
        if place.kind is PageKind.payment and methods:
            heading = self.seen["h1"]
            wait: prof.WaitFor
            if heading and re.search(PAYMENT_HEADING, heading, re.I):
                wait = prof.WaitFor(
                    action="wait_for", locator=prof.Locator(role="heading", name=literal(heading), exact=True)
                )
            else:
                wait = prof.WaitFor(action="wait_for", url=literal("**" + urlsplit(self.page.url).path))
            self.found.steps.append(prof.Step(name="payment selection", guide_step=5, actions=[wait]))
            return True
        return False

    async def _reveals_payment(self) -> bool:
        """A one-page checkout shows its payment methods a moment after its section's request: watch for them."""
        ends = time.monotonic() + ONE_PAGE_WAIT_S
        while time.monotonic() < ends:
            await asyncio.sleep(CART_POLL_S)
            self.seen = await self.page.evaluate(SCAN_JS)
            if await self._at_payment():
                return True
        return False

    def _refused(self) -> None:
        raise DiscoveryFailed("the address form was refused", read.refusal(self.seen, self.page.url))

    # --- acting -----------------------------------------------------------------------------------------------

    async def _choose_amount(self) -> list[prof.Action]:
        for f in self.seen["fields"]:
            if f["tag"] == "select" and not f["overlay"] and (says("amount", f["label"]) or says("amount", f["name"])):
                value = read.amount_option(f["options"], self.ask.amount)
                if value is not None:
                    return [
                        prof.Select(action="select", locator=await locator_for(self.walker, f), value=literal(value))
                    ]
        for group in self.seen["radios"]:
            labels = [o["label"] for o in group["options"]]
            if says("amount", group["name"]) or all(re.search(r"\d", label) for label in labels):
                pick = read.amount_radio(group["options"], self.ask.amount)
                if pick is not None:
                    spec = await locator_for(self.walker, {**pick, "name": pick["label"]}, role="radio")
                    return [prof.Check(action="check", locator=spec)]
        return []

    async def _fill(self, *, required_only: bool, auth: bool = False) -> list[prof.Action]:
        """Fill the empty fields (only the required ones when asked); a sign-in form's only when checking out as a
        guest through it (its e-mail; never a password)."""
        who = identity(self.lang)
        actions: list[prof.Action] = []
        for f in self.seen["fields"]:
            if f["overlay"] or (f["auth"] and not auth) or f["value"] or (required_only and not f["required"]):
                continue
            if f["type"] in ("checkbox", "combobox"):
                continue
            spec = await locator_for(self.walker, f)
            if f["tag"] == "select":
                value = option_for(f, who)
                if value is not None:
                    actions.append(prof.Select(action="select", locator=spec, value=literal(value)))
                continue
            text = text_for(f, who)
            if text is not None:
                actions.append(prof.Fill(action="fill", locator=spec, value=literal(text)))
        return actions

    async def _choose_radios(self, guest: dict[str, Any] | None = None) -> list[prof.Action]:
        """The guest choice where there is one; in every other group with nothing chosen, the first option."""
        actions: list[prof.Action] = []
        for group in self.seen["radios"]:
            if guest is not None and any(o["ref"] == guest["ref"] for o in group["options"]):
                pick: dict[str, Any] | None = guest
            elif any(o["checked"] for o in group["options"]):
                continue
            else:
                pick = next((o for o in group["options"] if not o["disabled"]), None)
            if pick is not None:
                spec = await locator_for(self.walker, {**pick, "name": pick["label"]}, role="radio")
                actions.append(prof.Check(action="check", locator=spec))
        return actions

    async def _control(self, entry: dict[str, Any]) -> prof.Locator:
        return await locator_for(self.walker, entry, role=role_of(entry))

    async def _click(
        self, entry: dict[str, Any], name: str, *, picture: bool = True, rescan: bool = True
    ) -> prof.Action:
        action = prof.Click(action="click", locator=await self._control(entry))
        return await self._act(name, action, picture=picture, rescan=rescan)

    async def _act(self, name: str, action: prof.Action, *, picture: bool = True, rescan: bool = True) -> prof.Action:
        await self._run(name, [action], picture=picture, rescan=rescan)
        return action

    async def _run(self, name: str, actions: list[prof.Action], *, picture: bool = True, rescan: bool = True) -> None:
        """Run actions as one profile step through the walker (refusal rule, guard, screenshot), keep it, rescan."""
        step = prof.Step(name=name, actions=actions)
        self.progress(f"step: {name}")
        try:
            await self.walker.run_step(step, picture=picture)
        except FlowError as exc:
            self.found.steps.append(step)
            filled = any(isinstance(a, prof.Fill | prof.Select) for a in actions)
            with contextlib.suppress(Exception):
                self.seen = await self.page.evaluate(SCAN_JS)
            if filled and (self.seen["invalid"] or self.seen["alerts"]) and not self.seen["password"]:
                self._refused()
            failure: Failure = "payment selection not reached"
            if self.walker.sign_in_cause() is not None:
                failure = "sign-in required"
            raise DiscoveryFailed(failure, _cause(exc)) from None
        self.found.steps.append(step)
        if rescan:
            await self.scan()

    async def _prove_cart(self, before: tuple[int | None, tuple[str, ...]]) -> None:
        """The cart count (or total) went up, a mini-cart or the store's notice shows the gift card, or the cart page
        lists it; else the step failed."""
        ends = time.monotonic() + CART_PROOF_S
        count_before, text_before = before
        while True:
            if self.seen["password"]:
                raise DiscoveryFailed("sign-in required", f"adding to the cart led to {self.page.url}; {SESSION_HINT}")
            count = read.cart_count(self.seen)
            if count is not None and count > (count_before or 0):
                return
            if any(says("gift_card", panel) for panel in self.seen["panels"]):
                return
            if any(says("gift_card", n) and says("cart", n) for n in self.seen["notices"]):
                return
            text = tuple(self.seen["cart_text"])
            if text and text_before and text != text_before and any(re.search(r"[1-9]", t) for t in text):
                return
            on_cart_page = says("cart", self.seen["h1"]) or says("cart", urlsplit(self.page.url).path)
            if (
                on_cart_page
                and says("gift_card", self.seen["text"])
                and read.control_named(self.seen, "checkout") is not None
            ):
                return
            if time.monotonic() >= ends:
                shows = count if count is not None else (text[0] if text else "no count")
                raise DiscoveryFailed(
                    "the cart did not change after add to cart", f"the cart shows {shows!r} at {self.page.url}"
                )
            await asyncio.sleep(CART_POLL_S)
            self.seen = await self.page.evaluate(SCAN_JS)


def _cause(exc: Exception) -> str:
    return re.sub(r"^step '[^']*' failed: ", "", str(exc))
