"""Mask secrets in report text: input values seen on the page, code- or token-like strings, card numbers, e-mails."""

from __future__ import annotations

import re
from collections.abc import Iterable

from probe.models import CreditOption, Evidence, Note, Observation

MASK = "•••"
MIN_SECRET_LEN = 4
MIN_DIGITS = 2
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# 13 to 19 digits, in groups or not: a card number (the last four may stay, as stores print them).
_CARD = re.compile(r"\b\d(?:[ -]?\d){8,14}(?=(?:[ -]?\d){4}\b)")
# A code or token: upper-case letters and digits (dashes allowed) with at least 3 digits and 2 letters, or a long
# mixed-case run with digits (a session token).
_CODE = re.compile(
    r"\b(?=[A-Z0-9-]*\d[A-Z0-9-]*\d[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z][A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)*\b"
    r"|\b(?=[A-Za-z0-9_]*\d)(?=[A-Za-z0-9_]*[a-z])(?=[A-Za-z0-9_]*[A-Z])[A-Za-z0-9_]{16,}\b"
)
CODE_MIN_LEN = 6


def looks_secret(value: str) -> bool:
    """Whether an input's value reads like a code, token, card number or e-mail rather than a plain word."""
    value = value.strip()
    if len(value) < MIN_SECRET_LEN:
        return False
    if _EMAIL.fullmatch(value) or re.fullmatch(r"[\d -]{8,}", value):
        return True
    digits = sum(c.isdigit() for c in value)
    return digits >= MIN_DIGITS and any(c.isalpha() for c in value) and len(value) >= CODE_MIN_LEN


def mask_text(text: str, secrets: Iterable[str] = ()) -> str:
    """The text with the given secret values and anything shaped like a code, card number or e-mail masked."""
    for secret in sorted({s.strip() for s in secrets if len(s.strip()) >= MIN_SECRET_LEN}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _EMAIL.sub(MASK, text)
    text = _CARD.sub(MASK, text)
    return _CODE.sub(lambda m: MASK if len(m.group(0)) >= CODE_MIN_LEN else m.group(0), text)


def _mask_optional(text: str | None, secrets: Iterable[str]) -> str | None:
    return None if text is None else mask_text(text, secrets)


def _mask_evidence(evidence: tuple[Evidence, ...], secrets: list[str]) -> tuple[Evidence, ...]:
    return tuple(e.model_copy(update={"value": mask_text(e.value, secrets)}) for e in evidence)


def _mask_notes(notes: tuple[Note, ...], secrets: list[str]) -> tuple[Note, ...]:
    return tuple(n.model_copy(update={"value": mask_text(n.value, secrets)}) for n in notes)


def _mask_option(option: CreditOption, secrets: list[str]) -> CreditOption:
    return option.model_copy(
        update={
            "label": mask_text(option.label, secrets),
            "reason_text": _mask_optional(option.reason_text, secrets),
            "evidence": _mask_evidence(option.evidence, secrets),
            "notes": _mask_notes(option.notes, secrets),
            "answer_why": _mask_optional(option.answer_why, secrets),
        }
    )


def mask_observation(observation: Observation, secrets: Iterable[str] = ()) -> Observation:
    """The observation with every text it will show (labels, reasons, evidence, notes, errors) masked."""
    found = list(secrets)
    return observation.model_copy(
        update={
            "option_label": _mask_optional(observation.option_label, found),
            "reason_text": _mask_optional(observation.reason_text, found),
            "evidence": _mask_evidence(observation.evidence, found),
            "notes": _mask_notes(observation.notes, found),
            "credit_options": tuple(_mask_option(o, found) for o in observation.credit_options),
            "conflicts": tuple(mask_text(c, found) for c in observation.conflicts),
            "error": _mask_optional(observation.error, found),
            "answer_why": _mask_optional(observation.answer_why, found),
        }
    )
