"""How far each option's evidence went: the store's answer to a submit, or why nothing was tried (SPEC: answer)."""

from __future__ import annotations

from playwright.async_api import Page

from probe.detect.reply import Context
from probe.detect.scan import Handles
from probe.detect.scanned import ScannedOption
from probe.detect.submit import find_way, needs_submit, pays_at_once, submit_credit
from probe.models import CreditOption, Evidence, OptionState, StoreAnswer
from probe.money import parse_balance
from probe.timing import Timing

ONE_CLICK = "offered; the store decides only at payment"


def _from_apply(option: CreditOption) -> tuple[StoreAnswer, str] | None:
    """The answer an in-page apply press heard (a refusal or a deduction), if it heard one."""
    for ev in option.evidence:
        if ev.signal == "apply_press" and ev.points_to is OptionState.greyed_out:
            return StoreAnswer.refused, ev.value
        if ev.signal == "apply_press" and ev.points_to is OptionState.selectable:
            return StoreAnswer.accepted, ev.value
    return None


def _unsubmitted(option: CreditOption) -> CreditOption:
    """An option nothing was submitted for: what its state rests on, in the answer's words."""
    heard = _from_apply(option)
    if heard is not None:
        return option.model_copy(update={"answer": heard[0], "answer_why": heard[1]})
    why = {
        OptionState.selectable: "choosing it on the page is the store's answer (no server step before the order)",
        OptionState.greyed_out: "the page does not let it be chosen: nothing to submit",
        OptionState.absent: "not offered: nothing to submit",
        OptionState.unknown: "not observed",
    }[option.option_state]
    return option.model_copy(update={"answer": StoreAnswer.not_tried, "answer_why": why})


async def answer_options(
    page: Page,
    found: list[tuple[ScannedOption, Handles]],
    options: list[CreditOption],
    ctx: Context,
    timing: Timing,
) -> list[CreditOption]:
    """Submit each credit that takes effect only once submitted and put the store's answer on its option."""
    out: list[CreditOption] = []
    for (scanned, handles), option in zip(found, options, strict=True):
        if option.option_state in (OptionState.absent, OptionState.greyed_out, OptionState.unknown):
            out.append(_unsubmitted(option))
            continue
        paying = pays_at_once(scanned)
        if paying is not None:
            why = f"not pressed: {paying}: {ONE_CLICK}"
            out.append(
                option.model_copy(
                    update={
                        "option_state": OptionState.unknown,
                        "reason_text": None,
                        "answer": StoreAnswer.not_tried,
                        "answer_why": why,
                    }
                )
            )
            continue
        way = await find_way(handles.control, handles.apply)
        if way is None or not needs_submit(scanned, way):
            out.append(_unsubmitted(option))
            continue
        done = await submit_credit(page, scanned, handles.control, way, ctx, timing)
        update: dict[str, object] = {
            "answer": done.answer,
            "answer_why": done.error or done.why,
            "answer_picture": done.picture,
            "evidence": (*option.evidence, *done.evidence),
            "notes": (*option.notes, *done.notes),
        }
        if done.state is not None:
            update["option_state"] = done.state
            update["reason_text"] = done.reason
        if done.state is OptionState.unknown:
            update["evidence"] = (
                *option.evidence,
                Evidence(signal="store_answer", value=done.why, points_to=OptionState.unknown, weight=9),
            )
        if done.amount and not option.balance_text:
            update["balance_text"] = done.amount
            update["balance"] = parse_balance(done.amount)
        out.append(option.model_copy(update=update))
    return out
