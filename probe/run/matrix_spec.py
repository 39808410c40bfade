"""The matrix file: targets × credit sources × gift-card kinds × intents, with expectations, and its cells."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator

from probe.errors import InputError, Regex, load_yaml_model
from probe.models import CreditSource, Frozen, GiftCardKind, Intent, Outcome
from probe.request import CheckRequest, build_request


class Target(Frozen):
    """What one line of the matrix probes: a bundled-store scenario, or a store URL with its profile (without one,
    the walk finds its own way, as `probe check URL` does)."""

    scenario: str | None = None
    url: str | None = None
    profile: Path | None = None
    payment_page: bool = False
    option_label: Regex | None = None
    credit_expires: dt.date | None = None
    apply: bool = True  # press the credit's own apply / use / select control to hear the store's answer
    storage_state: Path | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Target:
        if (self.scenario is None) == (self.url is None):
            raise ValueError(
                "give either `scenario` (the bundled store) or `url` (with a `profile`, or none to find the way), "
                "not both"
            )
        return self

    @property
    def label(self) -> str:
        """The scenario name or the URL, as rows and expectations name it."""
        return self.scenario or self.url or ""


class Expectation(Frozen):
    """The outcome expected for every cell that matches all the keys given."""

    scenario: str | None = None
    url: str | None = None
    credit_source: CreditSource | None = None
    gift_card: GiftCardKind | None = None
    intent: Intent | None = None
    outcome: Outcome


class Endpoint(Frozen):
    """A browser that already runs: a Chromium DevTools endpoint or a Playwright server (a bare string is `cdp`)."""

    cdp: str | None = None
    ws: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare(cls, data: Any) -> Any:
        return {"cdp": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_of(self) -> Endpoint:
        if (self.cdp is None) == (self.ws is None):
            raise ValueError("give either `cdp` or `ws`")
        return self


class MatrixSpec(Frozen):
    """A matrix file: targets × credit sources × gift-card kinds × intents, with optional expectations."""

    name: str = "probe matrix"
    targets: tuple[Target, ...]
    credit_sources: tuple[CreditSource, ...] = ()
    gift_cards: tuple[GiftCardKind, ...] = ()
    intents: tuple[Intent, ...] = ()
    today: dt.date | None = None
    timeout: float = Field(default=60.0, gt=0)
    rules: Path | None = None
    expect: tuple[Expectation, ...] = ()
    endpoints: tuple[Endpoint, ...] = ()

    @field_validator("targets")
    @classmethod
    def _some(cls, targets: tuple[Target, ...]) -> tuple[Target, ...]:
        if not targets:
            raise ValueError("list at least one target: {scenario: NAME} or {url: URL, profile: FILE}")
        return targets


@dataclass(frozen=True)
class Cell:
    """One check of the matrix: its folder name, what it probes, and what it should find."""

    name: str
    target: Target
    credit_source: CreditSource | None
    gift_card: GiftCardKind | None
    intent: Intent | None
    expected: Outcome | None
    options: dict[str, Any] = field(compare=False, repr=False)

    @property
    def request(self) -> CheckRequest:
        """The cell's check request, validated now: InputError when its target cannot be checked."""
        return build_request(self.options, what=f"matrix check {self.name}")


def load_matrix(path: Path) -> MatrixSpec:
    """Read and validate a matrix file; paths in it are taken relative to the file's folder."""
    spec = load_yaml_model(path, MatrixSpec, what="matrix")
    base = path.parent

    def near(p: Path | None) -> Path | None:
        return p if p is None or p.is_absolute() else base / p

    return spec.model_copy(
        update={
            "rules": near(spec.rules),
            "targets": tuple(
                t.model_copy(update={"profile": near(t.profile), "storage_state": near(t.storage_state)})
                for t in spec.targets
            ),
        }
    )


def default_workers() -> int:
    """How many checks run at once unless told: one per core, plus one, since a walk spends part of its time
    waiting for the store (on 2 cores, 3 at once finish a 12-walk matrix about a tenth sooner than 2)."""
    return (os.cpu_count() or 1) + 1


def _slug(text: str) -> str:
    text = re.sub(r"^[a-z]+://", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40] or "check"


def expand(
    spec: MatrixSpec, out: Path, *, no_apply: bool = False, storage_state: Path | None = None, **request_options: Any
) -> list[Cell]:
    """Every cell of the matrix in order, each with its request; InputError for expectations that match nothing."""
    cells: list[Cell] = []
    used: set[str] = set()
    hits = [0] * len(spec.expect)
    for target in spec.targets:
        for source in spec.credit_sources or (None,):
            for kind in spec.gift_cards or (None,):
                for intent in spec.intents or (None,):
                    parts = [target.label, source, kind, intent]
                    name = "-".join(_slug(str(p)) for p in parts if p is not None)
                    unique, n = name, 2
                    while unique in used:
                        unique, n = f"{name}-{n}", n + 1
                    used.add(unique)
                    expected = _expected(spec, target, source, kind, intent, hits)
                    options = cell_options(spec, target, source, kind, intent, out / unique, **request_options)
                    options["apply"] = target.apply and not no_apply
                    options["storage_state"] = target.storage_state or storage_state
                    cells.append(Cell(unique, target, source, kind, intent, expected, options))
    unused = [f"  expect.{i}: matches no check of the matrix" for i, n in enumerate(hits) if n == 0]
    if unused:
        raise InputError(f"matrix {spec.name!r}: {len(unused)} expectation(s) match nothing", lines=unused)
    return cells


def cell_options(
    spec: MatrixSpec,
    target: Target,
    source: CreditSource | None,
    kind: GiftCardKind | None,
    intent: Intent | None,
    out: Path,
    **request_options: Any,
) -> dict[str, Any]:
    """The check request's fields for one cell: the target's, the cell's choices and the matrix-wide settings."""
    return dict(
        url=target.url,
        scenario=target.scenario,
        profile=target.profile,
        payment_page=target.payment_page,
        option_label=target.option_label,
        credit_expires=target.credit_expires,
        credit_source=source,
        gift_card=kind,
        intent=intent,
        today=spec.today,
        timeout_s=spec.timeout,
        rules=spec.rules,
        out=out,
        **request_options,
    )


def _expected(
    spec: MatrixSpec,
    target: Target,
    source: CreditSource | None,
    kind: GiftCardKind | None,
    intent: Intent | None,
    hits: list[int],
) -> Outcome | None:
    found: Outcome | None = None
    for i, e in enumerate(spec.expect):
        keys: list[tuple[object, object]] = [(e.scenario, target.scenario), (e.url, target.url)]
        keys += [(e.credit_source, source), (e.gift_card, kind), (e.intent, intent)]
        if all(want is None or want == have for want, have in keys):
            hits[i] += 1
            if found is not None and found is not e.outcome:
                raise InputError(
                    f"matrix {spec.name!r}: expect.{i} says {e.outcome.value} for a check an earlier "
                    f"expectation says is {found.value}; make them agree"
                )
            found = e.outcome
    return found
