"""Two-step payment: submit the credit (its code, its own Apply / Select, the step's Continue), let the store answer
(probe/detect/reply.py reads it), and open the payment step again. Never the order.

Saving a payment choice is not an order; the review page's order button is, and it is never pressed (the refusal
rule refuses it, the guard blocks its request).
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import ElementHandle, JSHandle, Page, Request
from playwright.async_api import Error as PlaywrightError

from probe.detect.apply import may_press, press
from probe.detect.reply import MARK_JS, Context, Submitted, answer_page, page_lines, wait_for_store
from probe.detect.scanned import ScannedOption
from probe.models import OptionState, StoreAnswer
from probe.safety.refusal import click_refusal
from probe.timing import Timing

# Words of a form button that submits the credit itself (oscar-accounts' "Select account", "Check balance").
OWN_SUBMIT_WORDS = r"^\s*(select|use|apply|redeem|allocate|check balance)\b"

# How the credit takes effect: a box for its code near it, the button that submits it, the form's own buttons.
WAY_JS = r"""
(el, [applyEl, ownWords]) => {
  const shown = (x) => { const r = x.getBoundingClientRect(); const cs = getComputedStyle(x);
    return r.width > 0 && r.height > 0 && cs.visibility !== "hidden"; };
  const wordsOf = (x) => (x.getAttribute("aria-label") || x.textContent || x.value || "").replace(/\s+/g, " ").trim();
  const codeRx = /code|number|\bpin\b|secret|voucher|gift.?card|claim/i;
  const labelOf = (i) => [i.name, i.id, i.placeholder, i.getAttribute("aria-label"),
    ...[...(i.labels || [])].map((l) => l.textContent)].join(" ");
  // A payment card's fields are never a credit's code box: nothing is ever typed into them.
  const cardRx = /\bcvc|\bcvv|\bcsc\b|expir|security.?code|\bmm\s*\/\s*yy/i;
  const cardNumberRx = /card.?(number|no\b)/i, creditWordsRx = /gift|voucher|store|account|certificate|coupon/i;
  const paymentCard = (i) => /^cc-/i.test(i.getAttribute("autocomplete") || "") || cardRx.test(labelOf(i)) ||
    (cardNumberRx.test(labelOf(i)) && !creditWordsRx.test(labelOf(i)));
  const typed = (root) => [...root.querySelectorAll("input")].filter((i) =>
    /^(|text|password|tel|search)$/i.test(i.getAttribute("type") || "") && !i.disabled && !i.readOnly && shown(i) &&
    !paymentCard(i));
  const group = el.type === "radio" && el.name ? el.name : null;
  const others = (root) => !!group &&
    [...root.querySelectorAll("input[type=radio]")].some((r) => r !== el && r.name === group);
  const submitting = (b) => b.tagName !== "BUTTON" || (b.getAttribute("type") || "submit").toLowerCase() === "submit";
  const pressable = (root) => [...root.querySelectorAll("button, input[type=submit], input[type=image]")]
    .filter((b) => shown(b) && !b.disabled && submitting(b));
  let box = null, code = null;
  for (let x = el.parentElement, n = 0; x && n < 5 && x !== document.body; x = x.parentElement, n++) {
    if (others(x)) break;
    const found = typed(x).find((i) => codeRx.test(labelOf(i)));
    // A code box with a button of its own beside it is a separate redeem box (another credit), not this option's.
    if (found && found.parentElement && pressable(found.parentElement).length) break;
    if (found) { box = x; code = found; break; }
  }
  let button = applyEl && shown(applyEl) ? applyEl : null;
  if (!button && box) button = pressable(box).find((b) => b !== el) || null;
  const form = (code && code.form) || el.form || null;
  const submits = form ? pressable(form).filter((b) => b !== el) : [];
  const own = new RegExp(ownWords, "i");
  const ownSubmit = !code && !button && form && (form.getAttribute("method") || "get").toLowerCase() === "post"
    ? submits.find((b) => own.test(wordsOf(b))) || null : null;
  return { code, button: button || ownSubmit, submits, words: (button || ownSubmit) ? wordsOf(button || ownSubmit) : "",
           submit_words: submits.map(wordsOf), own: !!ownSubmit };
}
"""


# A further step the store asks for: an amount to allocate, proposed by the store, and the button that records it.
@dataclass
class Way:
    """How the credit takes effect on this page, read before anything is pressed."""

    code: ElementHandle | None
    button: ElementHandle | None
    words: str
    submit_words: list[str]
    own: bool


def pays_at_once(option: ScannedOption) -> str | None:
    """Why a credit shown only as a button that pays ("Pay with Store Credit") cannot be tried, or None."""
    if option.kind not in ("button", "link"):
        return None
    refusal = click_refusal(option.role or "button", option.name, option.tag, option.type)
    return f"pressing {option.name[:60]!r} would pay ({refusal})" if refusal else None


async def find_way(control: ElementHandle, apply_el: ElementHandle | None) -> Way | None:
    """The credit's code box, the button that submits it and the form's buttons (None: the page could not say)."""
    try:
        found: JSHandle = await control.evaluate_handle(WAY_JS, [apply_el, OWN_SUBMIT_WORDS])
        props = await found.get_properties()
        plain = await found.json_value()
    except PlaywrightError:
        return None
    return Way(
        code=props["code"].as_element() if "code" in props else None,
        button=props["button"].as_element() if "button" in props else None,
        words=str(plain.get("words") or ""),
        submit_words=[str(w) for w in plain.get("submit_words") or []],
        own=bool(plain.get("own")),
    )


def needs_submit(option: ScannedOption, way: Way | None) -> bool:
    """Whether the credit takes effect only once submitted: a code to type, a form button of its own, a submitting
    apply control (a radio chosen with no server step before the order is its own answer, as it always was)."""
    if option.apply and option.apply_submits:
        return True
    if option.kind in ("button", "link") and option.submit_like:
        return True
    typed = way is not None and way.code is not None and option.kind in ("radio", "aria-radio")
    return typed or (way is not None and way.own)


def _not_tried(why: str, error: str) -> Submitted:
    return Submitted(answer=StoreAnswer.not_tried, why=why, state=OptionState.unknown, error=error)


async def submit_credit(
    page: Page,
    option: ScannedOption,
    control: ElementHandle,
    way: Way,
    ctx: Context,
    timing: Timing,
) -> Submitted:
    """Type the code (if any), press what submits the credit, read the store's answer, then go back to the step."""
    if way.code is not None and not ctx.code:
        why = "no code given: the store needs the credit's code"
        return _not_tried(
            why, "the store needs the credit's code: give --credit-code-env NAME (an environment variable)"
        )
    button = control if option.kind in ("button", "link") else way.button
    if button is None:
        pressable = [w for w in way.submit_words if may_press(w)]
        if not pressable:
            said = way.submit_words[0] if way.submit_words else "nothing"
            why = f"pressing would pay: the step's only button is {said[:40]!r}"
            return _not_tried(why, f"{why}; offered; the store decides only at payment")
        button = None
        words = pressable[0]
    else:
        words = option.name if button is control else way.words
    if not may_press(words):
        why = f"pressing would pay: {words[:40]!r} is an order control"
        return _not_tried(why, f"{why}; offered; the store decides only at payment")
    if not ctx.apply:
        why = "not pressed because --no-apply"
        return _not_tried(why, f"the store's answer was not read ({why}): the credit takes effect only once submitted")
    url_before = page.url
    before = await page_lines(page)
    blocked_before = len(ctx.blocked())
    sent: list[Request] = []

    def on_request(request: Request) -> None:
        sent.append(request)

    page.on("request", on_request)
    try:
        if option.kind in ("radio", "checkbox") and not await control.is_checked():
            await control.check(timeout=timing.press_timeout_ms, force=True)
        if way.code is not None and ctx.code:
            await way.code.fill(ctx.code, timeout=timing.press_timeout_ms)
        await page.evaluate(MARK_JS)
        if button is None:
            button = await _form_button(control, way.code, words)
        if button is None:
            return _not_tried("the step's button could not be found", "the store's answer was not read")
        if ctx.look is not None:
            await ctx.look()
        sent.clear()
        await press(page, button, timing)
        waited = await wait_for_store(page, blocked_before, ctx, timing, before, lambda: len(sent))
    except PlaywrightError as exc:
        await _back(page, url_before, timing)
        return _not_tried(f"pressing {words!r} failed", f"the store's answer was not read: {exc.message[:80]}")
    finally:
        page.remove_listener("request", on_request)
    if waited == "inert":
        if way.code is not None:
            await _back(page, url_before, timing)
        # No server step happened: what the page shows stays the evidence, as for a radio chosen in place.
        why = f"pressed {words[:40]!r}: nothing was sent and nothing changed (the page kept the press to itself)"
        return Submitted(answer=StoreAnswer.not_tried, why=why)
    try:
        return await answer_page(page, option, ctx, timing, before, blocked_before, waited == "blocked", words, control)
    finally:
        await _back(page, url_before, timing)


async def _form_button(control: ElementHandle, code: ElementHandle | None, words: str) -> ElementHandle | None:
    """The form's submit button with these words (the step's Continue)."""
    handle = await (code or control).evaluate_handle(
        """(el, words) => { const f = el.form; if (!f) return null;
          return [...f.querySelectorAll("button, input[type=submit]")].find((b) =>
            (b.getAttribute("aria-label") || b.textContent || b.value || "").replace(/\\s+/g, " ").trim() === words)
            || null; }""",
        words,
    )
    return handle.as_element()


async def _back(page: Page, url: str, timing: Timing) -> None:
    """Back to the payment step as a fresh page (no typed value restored by the browser's history)."""
    try:
        await page.goto(url, wait_until="load", timeout=timing.back_timeout_ms)
    except PlaywrightError:
        pass
