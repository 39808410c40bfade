"""Choose the option the report is about, resolve what is known of each option's credit, and run the rules."""

from __future__ import annotations

import datetime as dt

from probe.decide.credit import match_line, resolve, source_from_words
from probe.decide.rules import RuleTable, evaluate
from probe.models import (
    AccountLine,
    CreditContext,
    CreditOption,
    CreditSource,
    Evidence,
    Facts,
    Frozen,
    GiftCardKind,
    Intent,
    KnownFrom,
    Note,
    Observation,
    OptionState,
    OptionVerdict,
    StoreAnswer,
    Verdict,
)
from probe.money import parse_balance


class Known(Frozen):
    """What the check was told about the purchase and the credit (and how), and the table to judge by."""

    table: RuleTable
    gift_card: GiftCardKind
    intent: Intent
    today: dt.date
    credit_source: CreditSource | None
    source_from: KnownFrom
    credit_expires: dt.date | None
    expires_from: KnownFrom


def decide(
    known: Known, observation: Observation, lines: tuple[AccountLine, ...]
) -> tuple[Observation, CreditContext, Verdict, tuple[OptionVerdict, ...]]:
    """Pick the option the report is about, resolve each option's credit context, and run the rules."""
    observation = with_unoffered_lines(observation, lines)
    options = observation.credit_options
    contexts = [
        resolve(
            option,
            lines,
            given_source=None,
            given_source_from=KnownFrom.default,
            given_expires=None,
            given_expires_from=KnownFrom.default,
        )
        for option in options
    ]
    wanted = known.credit_source
    chosen: int | None = 0 if options else None
    if wanted is not None and options:
        chosen = next((i for i, c in enumerate(contexts) if c.source is wanted), None)
        if chosen is None:
            chosen = next((i for i, c in enumerate(contexts) if c.source is CreditSource.unknown), None)

    def facts(state: OptionState, context: CreditContext) -> Facts:
        return Facts(
            option_state=state,
            credit_source=context.source,
            credit_expires=context.expires,
            gift_card=known.gift_card,
            intent=known.intent,
            today=known.today,
            balance_text=context.amount_text,
            balance=parse_balance(context.amount_text),
        )

    verdicts = []
    for i, (option, context) in enumerate(zip(options, contexts, strict=True)):
        if i == chosen:
            contexts[i] = context = _given(known, option, lines)
        verdicts.append(
            OptionVerdict(
                option_label=option.label,
                credit_source=context.source,
                verdict=evaluate(facts(option.option_state, context), known.table),
            )
        )
    if chosen is not None:
        option = options[chosen]
        top = observation.model_copy(
            update={
                "option_state": option.option_state,
                "option_label": option.label,
                "reason_text": option.reason_text,
                "balance_text": option.balance_text,
                "balance": option.balance,
                "evidence": option.evidence,
                "notes": (*_page_notes(observation), *option.notes),
                **option.answer_fields(),
            }
        )
        return top, contexts[chosen], verdicts[chosen].verdict, tuple(verdicts)
    context = _given(known, None, lines)
    if options and observation.option_state is not OptionState.unknown:
        # Several options, none of them the credit asked about: that credit is not offered.
        shown = ", ".join(o.label for o in options)
        top = observation.model_copy(
            update={
                "option_state": OptionState.absent,
                "option_label": None,
                "reason_text": None,
                "balance_text": None,
                "balance": None,
                "answer": StoreAnswer.not_tried,
                "answer_why": f"no {wanted} credit on the page: nothing to submit",
                "answer_picture": None,
                "evidence": (
                    Evidence(
                        signal="no option for the credit source",
                        value=f"{wanted} credit not among: {shown}",
                        points_to=OptionState.absent,
                    ),
                ),
            }
        )
    else:
        top = observation
    return top, context, evaluate(facts(top.option_state, context), known.table), tuple(verdicts)


def _page_notes(observation: Observation) -> tuple[Note, ...]:
    """The observation's notes about the page as a whole (settling, decoys), without any one option's notes."""
    of_options = {n for o in observation.credit_options for n in o.notes}
    return tuple(n for n in observation.notes if n not in of_options)


def with_unoffered_lines(observation: Observation, lines: tuple[AccountLine, ...]) -> Observation:
    """Credit lines the account lists but checkout does not offer are options too: absent ones."""
    if observation.option_state is OptionState.unknown or not lines:
        return observation
    offered = observation.credit_options
    missing = [line for line in lines if not any(match_line(o.label, (line,)) for o in offered)]
    if not missing:
        return observation
    reason = observation.reason_text if not offered else None
    extra = tuple(
        CreditOption(
            label=line.label,
            option_state=OptionState.absent,
            reason_text=reason,
            source_hint=source_from_words(line.source_text),
            evidence=(
                Evidence(
                    signal="account_line_not_offered",
                    value=f"the account lists {line.label!r} ({line.balance or 'no balance shown'}) "
                    "but checkout offers no such payment option",
                    points_to=OptionState.absent,
                    weight=2,
                ),
                *(() if offered else observation.evidence),
            ),
        )
        for line in missing
    )
    return observation.model_copy(update={"credit_options": (*offered, *extra)})


def _given(known: Known, option: object, lines: tuple[AccountLine, ...]) -> CreditContext:
    return resolve(
        option if isinstance(option, CreditOption) else None,
        lines,
        given_source=known.credit_source,
        given_source_from=known.source_from,
        given_expires=known.credit_expires,
        given_expires_from=known.expires_from,
    )
