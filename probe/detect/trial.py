"""A trial selection: click the credit option as a shopper would and see whether the page takes it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Dialog, ElementHandle, Frame, Page
from playwright.async_api import Error as PlaywrightError

from probe.detect.apply import may_press, undo, undo_candidates, wait_for_answer
from probe.detect.scan import Handles
from probe.detect.scanned import ScannedOption
from probe.detect.settle import settle
from probe.detect.signals import Weight
from probe.detect.vocabulary import REASON_WORDS
from probe.models import Evidence, Note, OptionState
from probe.money import MONEY
from probe.safety.refusal import click_refusal
from probe.timing import DEFAULT_TIMING, Timing

HIT_JS = r"""
(target, control) => {
  const up = (el) => el.parentElement || (el.parentNode && el.parentNode.host) || null;
  const contains = (a, b) => { for (let x = b; x; x = up(x)) if (x === a) return true; return false; };
  const v = target.getBoundingClientRect();
  if (v.top < 0 || v.left < 0 || v.bottom > innerHeight || v.right > innerWidth)
    target.scrollIntoView({ block: "center" });
  const r = target.getBoundingClientRect();
  const x = r.left + Math.min(r.width / 2, 40), y = r.top + r.height / 2;
  let hit = document.elementFromPoint(x, y);
  while (hit && hit.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  const labels = control.labels ? [...control.labels] : [];
  const ours = !!hit && [target, control, ...labels].some((o) => contains(o, hit));
  const d = (el) => el ? el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/)[0] : "")
    : "nothing";
  const link = hit && hit.closest ? hit.closest("a[href]") : null;
  const badLink = !!link && link !== control && !(link.getAttribute("href") || "").startsWith("#");
  const btn = hit && hit.closest ? hit.closest("button, input[type=submit], a, [role=button]") : null;
  const words = btn ? (btn.getAttribute("aria-label") || btn.textContent || btn.value || "") : "";
  // The pressable thing under the pointer, for the guard's refusal rule (role defaults to button).
  return { ours, hit: d(hit), x: x - r.left, y: y - r.top, bad_link: badLink, button_words: words.trim().slice(0, 80),
           button_role: btn ? (btn.getAttribute("role") || "button") : "",
           button_tag: btn ? btn.tagName.toLowerCase() : "",
           button_type: btn ? (btn.getAttribute("type") || "").toLowerCase() : "" };
}
"""
STATE_JS = r"""
(el) => {
  if (el.tagName === "OPTION") return el.selected;
  if (el.tagName === "INPUT" && /^(radio|checkbox)$/i.test(el.type)) return el.checked;
  const aria = ["aria-checked", "aria-selected", "aria-pressed", "aria-expanded"];
  if (aria.some((a) => el.getAttribute(a) === "true")) return true;
  // A tab or tile whose script marks the choice by class only (class="nav-link active").
  if (aria.some((a) => el.hasAttribute(a))) return false;
  const marks = /\b(active|selected|is-selected|is-active|checked)\b/;
  const marked = (x) => !!x && typeof x.className === "string" && marks.test(x.className);
  return marked(el) || (!!el.parentElement && el.parentElement.tagName === "LI" && marked(el.parentElement));
}
"""
LINES_JS = r"""
() => {
  const out = [];
  const add = (t) => {
    for (const l of (t || "").split("\n")) { const s = l.replace(/\s+/g, " ").trim(); if (s) out.push(s); }
  };
  add(document.body ? document.body.innerText : "");
  const walk = (root) => { for (const el of root.querySelectorAll("*")) if (el.shadowRoot) {
    for (const c of el.shadowRoot.children) if (c.tagName !== "STYLE") add(c.innerText); walk(el.shadowRoot); } };
  walk(document);
  return out;
}
"""
QUIET_JS = r"""
([quietMs, maxMs]) => new Promise((resolve) => {
  // With the tracker, only the payment area's changes count (a ticking clock does not hold the trial).
  const st = window.__probeTrack;
  const later = (st && st.later) || setTimeout;
  let last = performance.now();
  const start = last;
  const mo = st ? null : new MutationObserver(() => { last = performance.now(); });
  if (mo) mo.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  const tick = () => {
    const now = performance.now();
    if (st) last = st.lastPay;  // a click that changed nothing near the options needs no wait
    if (now - last >= quietMs || now - start >= maxMs) { if (mo) mo.disconnect(); resolve(now - start); }
    else later(tick, Math.max(5, Math.min(quietMs - (now - last), maxMs - (now - start))));  // when quiet may be due
  };
  later(tick, 30);  // a click's own effects (a frame, a microtask) land within this
})
"""
PREVIOUS_JS = r"""
(el) => {
  // What the shopper had chosen before the trial, so the page can be put back as it was.
  if (el.tagName === "OPTION") {
    const s = el.closest("select");
    const cur = s ? s.options[s.selectedIndex] : null;
    return cur && cur !== el ? cur : null;
  }
  if (el.tagName === "INPUT" && el.type === "radio") {
    if (!el.name) return null;
    const root = el.form || el.getRootNode();
    const radios = [...root.querySelectorAll("input[type=radio]")];
    return radios.find((r) => r !== el && r.name === el.name && r.checked) || null;
  }
  if (/^(radio|menuitemradio|option|tab)$/.test(el.getAttribute("role") || "")) {
    const group = el.closest("[role=radiogroup], [role=listbox], [role=tablist], [role=menu]") || el.parentElement;
    if (!group) return null;
    return [...group.querySelectorAll("[role]")].find((r) => r !== el &&
      ["aria-checked", "aria-selected"].some((a) => r.getAttribute(a) === "true")) || null;
  }
  if (el.tagName === "BUTTON" && el.getAttribute("aria-pressed") === "false") {
    const group = el.parentElement && el.parentElement.closest("[role=group], [role=radiogroup], ul, div");
    const pressed = group ? [...group.querySelectorAll("[aria-pressed=true]")].filter((b) => b !== el) : [];
    return pressed.length === 1 ? pressed[0] : null;
  }
  return null;
}
"""
RESTORE_JS = r"""
(el) => {
  const s = el.tagName === "OPTION" ? el.closest("select") : null;
  if (s) { el.selected = true; s.dispatchEvent(new Event("input", { bubbles: true }));
           s.dispatchEvent(new Event("change", { bubbles: true })); return true; }
  el.click();
  return true;
}
"""
# What the guard's refusal rule needs to know about a control before the trial presses it.
CONTROL_JS = r"""
(el) => ({ name: el.getAttribute("aria-label") || el.textContent || el.value || "", role: el.getAttribute("role") || "",
           tag: el.tagName.toLowerCase(), type: (el.getAttribute("type") || "").toLowerCase() })
"""
TOGGLE_KINDS = {"checkbox", "switch", "aria-checkbox"}
SELECTING_KINDS = {"radio", "checkbox", "switch", "option", "aria-radio", "aria-checkbox", "aria-option", "toggle"}
_REASON = re.compile(REASON_WORDS, re.IGNORECASE)


@dataclass
class TrialResult:
    """The evidence a trial gave, what it did (notes), and the page's refusal message if it showed one."""

    evidence: list[Evidence] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    message: str | None = None
    balance: str | None = None

    def note(self, value: str, signal: str = "trial_selection") -> None:
        """Say what the trial did, pointing to no state."""
        self.notes.append(Note(signal=signal, value=value))


def skip_reason(option: ScannedOption) -> str | None:
    """Why this option must not (or need not) be clicked, or None when a trial is fine."""
    if option.invisible:
        return "not shown"
    if option.submit_like:
        return "it would submit a form"
    if not option.safe_link:
        return "a link that leaves the page"
    refusal = click_refusal(option.role, option.name, option.tag, option.type)
    if refusal:
        return refusal
    disabled = option.disabled_by_page
    if disabled:
        return f"disabled by the page ({disabled})"
    if option.checked:
        return "already selected"
    return None


async def _lines(frame: Frame) -> list[str]:
    try:
        lines: list[str] = await frame.evaluate(LINES_JS)
    except PlaywrightError:
        return []
    return lines


async def run_trial(
    page: Page,
    frame: Frame,
    option: ScannedOption,
    handles: Handles,
    credit: list[str],
    timing: Timing = DEFAULT_TIMING,
    *,
    apply: bool = True,
) -> TrialResult:
    """Click the option (never a submit or order button) and read what the page did.

    Without `apply`, a button or link (an apply press) is left alone: only selections are tried.
    """
    result = TrialResult()
    control, target, select = handles.control, handles.target, handles.select
    selecting = option.kind in SELECTING_KINDS
    why = skip_reason(option)
    if not why and not apply and not selecting:
        why = "pressing apply controls is off (--no-apply)"
    if not why and not selecting and not may_press(option.name):
        why = "the guard refuses to press it"
    if why:
        result.note(f"not tried: {why}")
        return result
    try:
        hit: dict[str, Any] = await target.evaluate(HIT_JS, control)
    except PlaywrightError as exc:
        result.note(f"not tried: {exc.message[:80]}")
        return result
    if not hit["ours"]:
        result.evidence.append(
            Evidence(
                signal="overlay",
                value=f"{hit['hit']} takes the clicks at the option's centre",
                points_to=OptionState.greyed_out,
                weight=Weight.DECLARED,
            )
        )
        return result
    pressed = (hit["button_role"], hit["button_words"], hit["button_tag"], hit["button_type"])
    if hit["bad_link"] or click_refusal(*pressed):
        result.note("not tried: unsafe click target")
        return result
    dialogs: list[str] = []

    async def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        try:
            await dialog.dismiss()
        except PlaywrightError:
            pass

    before = set(await _lines(frame))
    url_before = page.url
    shown_before = await undo_candidates(frame) if not selecting else None
    previous = await _previous(control, option)
    page.on("dialog", on_dialog)
    try:
        if select is not None:
            await select.select_option(element=control, timeout=timing.select_option_ms)
        else:
            box = await target.bounding_box()
            if box is None:
                raise PlaywrightError("the option has no box to click")
            await page.mouse.click(box["x"] + hit["x"], box["y"] + hit["y"])
        await frame.evaluate(QUIET_JS, [timing.trial_quiet_ms, timing.trial_quiet_max_ms])
        await settle(page, timeout_s=timing.trial_settle_s, credit=credit, timing=timing)
        selected = bool(await control.evaluate(STATE_JS))
    except PlaywrightError as exc:
        result.note(f"click failed: {exc.message[:80]}")
        return result
    finally:
        page.remove_listener("dialog", on_dialog)
    new = [line for line in await _lines(frame) if line not in before]
    if not new and not dialogs and not selecting:
        # A button that asks the server answers late: wait for the store's message or new totals.
        notes, late = await wait_for_answer(frame, before, timing)
        new = [*notes, *late]
    refusal = next((m for m in dialogs), None) or next((n for n in new if _REASON.search(n)), None)
    if selected and not option.balance:
        result.balance = _revealed_balance(new)
    if selected:
        await _restore(page, frame, control, option, previous, result, timing)
    if selecting:
        if selected:
            result.evidence.append(
                Evidence(
                    signal="trial_selection",
                    value="clicked it: the option became selected",
                    points_to=OptionState.selectable,
                    weight=Weight.TRIED,
                )
            )
        else:
            said = f"; the page said {refusal!r}" if refusal else ""
            result.evidence.append(
                Evidence(
                    signal="trial_selection",
                    value=f"clicked it: the option stayed unselected{said}",
                    points_to=OptionState.greyed_out,
                    weight=Weight.TRIED,
                )
            )
            result.message = refusal or (new[0] if new else None)
        return result
    if refusal:
        result.evidence.append(
            Evidence(
                signal="trial_selection",
                value=f"clicked it: the page refused: {refusal!r}",
                points_to=OptionState.greyed_out,
                weight=Weight.ANSWERED,
            )
        )
        result.message = refusal
    elif new or selected:
        shown = f": {new[0]!r} appeared" if new else ""
        if not selecting:
            result.note(await undo(page, frame, shown_before, url_before, timing), "trial_restored")
        result.evidence.append(
            Evidence(
                signal="trial_selection",
                value=f"clicked it: the page responded{shown}",
                points_to=OptionState.selectable,
                weight=Weight.IN_USE,
            )
        )
    else:
        # A button or link with nothing to show may act on the server ("Use Store Credit" posts and re-renders):
        # silence alone does not prove a refusal.
        result.note("clicked it: nothing visible changed")
    return result


_MONEY = re.compile(MONEY, re.IGNORECASE)
_BALANCE_LINE = re.compile(r"\b(balance|available|remaining|funds|credit|wallet)\b", re.IGNORECASE)


def _revealed_balance(new_lines: list[str]) -> str | None:
    """The balance a selection revealed ("Available balance: $42.00" in a payment box that opened)."""
    for line in new_lines:
        money = _MONEY.search(line)
        if money and _BALANCE_LINE.search(line) and len(line) < 160:
            return money.group(0).strip()
    return None


async def _previous(control: ElementHandle, option: ScannedOption) -> ElementHandle | None:
    """The control the shopper had chosen before the trial (the same group's checked radio, say)."""
    if option.kind in TOGGLE_KINDS:
        return control
    try:
        handle = await control.evaluate_handle(PREVIOUS_JS)
    except PlaywrightError:
        return None
    return handle.as_element()


async def _restore(
    page: Page,
    frame: Frame,
    control: ElementHandle,
    option: ScannedOption,
    previous: ElementHandle | None,
    result: TrialResult,
    timing: Timing,
) -> None:
    """Put the page back as the shopper left it: re-choose what was chosen before, or toggle the box back off."""
    if previous is None:
        return
    try:
        was: dict[str, str] = await previous.evaluate(CONTROL_JS)
        if click_refusal(was["role"], was["name"], was["tag"], was["type"]):
            return
        await previous.evaluate(RESTORE_JS)
        await frame.evaluate(QUIET_JS, [timing.trial_quiet_ms, timing.trial_quiet_max_ms])
        back = not bool(await control.evaluate(STATE_JS))
    except PlaywrightError:
        return
    what = "toggled it back off" if previous is control else "re-selected the shopper's previous choice"
    result.note(what if back else f"tried to restore ({what}); the page kept the credit", "trial_restored")
