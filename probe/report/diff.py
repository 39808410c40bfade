"""Drift: compare two reports (or two matrix reports) by observation and verdict, never by pixels."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import ValidationError

from probe.errors import InputError
from probe.models import CreditOption, OptionState, Report
from probe.report.matrix import MatrixFile, MatrixRow

Compared = Report | MatrixFile


def _key(label: str) -> str:
    return " ".join(label.casefold().split())


def _quote(text: str | None) -> str:
    return "(none)" if text is None else repr(text)


def _options(report: Report) -> dict[str, CreditOption]:
    """The report's credit options by label; a report without a list still has its top-level observation."""
    options = {_key(o.label): o for o in report.observation.credit_options}
    top = report.observation
    if not options and top.option_label and top.option_state is not OptionState.unknown:
        options[_key(top.option_label)] = CreditOption(
            label=top.option_label,
            option_state=top.option_state,
            reason_text=top.reason_text,
            balance_text=top.balance_text,
        )
    return options


def _option_changes(old: Report, new: Report) -> list[str]:
    before, after = _options(old), _options(new)
    changes: list[str] = []
    for key, was in before.items():
        now = after.get(key)
        if now is None:
            changes.append(f"{was.label}: option gone (was {was.option_state.value})")
            continue
        if was.option_state is not now.option_state:
            changes.append(f"{now.label}: option {was.option_state.value} -> {now.option_state.value}")
        if was.reason_text != now.reason_text:
            changes.append(f"{now.label}: reason text changed: {_quote(was.reason_text)} -> {_quote(now.reason_text)}")
        if was.balance_text != now.balance_text:
            changes.append(f"{now.label}: balance {_quote(was.balance_text)} -> {_quote(now.balance_text)}")
    for key, now in after.items():
        if key not in before:
            changes.append(f"{now.label}: option appeared ({now.option_state.value})")
    return changes


def diff_reports(old: Report, new: Report) -> list[str]:
    """What changed between two reports of one check, in words; empty when the store behaves the same."""
    changes: list[str] = []
    o_obs, n_obs = old.observation, new.observation
    same_label = _key(o_obs.option_label or "") == _key(n_obs.option_label or "")
    if not same_label or (o_obs.option_state is not n_obs.option_state and not o_obs.option_label):
        changes.append(
            f"observed option: {o_obs.option_label or '(none)'} {o_obs.option_state.value}"
            f" -> {n_obs.option_label or '(none)'} {n_obs.option_state.value}"
        )
    changes += _option_changes(old, new)
    if o_obs.reason_text != n_obs.reason_text and not (o_obs.credit_options or n_obs.credit_options):
        changes.append(f"reason text changed: {_quote(o_obs.reason_text)} -> {_quote(n_obs.reason_text)}")
    if o_obs.error != n_obs.error:
        changes.append(f"could not observe: {_quote(o_obs.error)} -> {_quote(n_obs.error)}")
    if old.credit.source is not new.credit.source:
        changes.append(f"credit source: {old.credit.source.value} -> {new.credit.source.value}")
    if old.verdict.outcome is not new.verdict.outcome:
        changes.append(f"outcome: {old.verdict.outcome.value} -> {new.verdict.outcome.value}")
    changes += _rule_changes("rules", (r.id for r in old.verdict.rules), (r.id for r in new.verdict.rules))
    old_verdicts = {_key(v.option_label): v for v in old.verdicts}
    for v in new.verdicts:
        was = old_verdicts.get(_key(v.option_label))
        if was is not None and was.verdict.outcome is not v.verdict.outcome:
            changes.append(f"{v.option_label}: outcome {was.verdict.outcome.value} -> {v.verdict.outcome.value}")
    return changes


def _rule_changes(what: str, old: Iterable[str], new: Iterable[str]) -> list[str]:
    before, after = list(dict.fromkeys(old)), list(dict.fromkeys(new))
    added = [r for r in after if r not in before]
    removed = [r for r in before if r not in after]
    lines = []
    if added:
        lines.append(f"{what} added: {', '.join(added)}")
    if removed:
        lines.append(f"{what} removed: {', '.join(removed)}")
    return lines


def diff_matrices(
    old: Sequence[MatrixRow], new: Sequence[MatrixRow], old_dir: Path | None = None, new_dir: Path | None = None
) -> list[str]:
    """What changed between two matrix runs, keyed by check name; each check's reports compared where kept."""
    before = {r.name: r for r in old}
    after = {r.name: r for r in new}
    changes: list[str] = []
    for name, was in before.items():
        now = after.get(name)
        if now is None:
            changes.append(f"{name}: check gone (was {was.outcome.value})")
            continue
        if was.outcome is not now.outcome:
            changes.append(f"{name}: outcome {was.outcome.value} -> {now.outcome.value}")
        if old_dir is not None and new_dir is not None:
            reports = [_maybe_report(d / r.report_dir) for d, r in ((old_dir, was), (new_dir, now))]
            if reports[0] is not None and reports[1] is not None:
                changes += [
                    f"{name}: {line}"
                    for line in diff_reports(reports[0], reports[1])
                    if not line.startswith("outcome: ")
                ]
    changes += [f"{name}: check added ({row.outcome.value})" for name, row in after.items() if name not in before]
    return changes


def _maybe_report(folder: Path) -> Report | None:
    try:
        return Report.model_validate_json((folder / "report.json").read_bytes())
    except (OSError, ValueError):
        return None


def load_compared(path: Path, what: str) -> tuple[Compared, Path]:
    """A report.json or matrix.json (or a folder holding one), with the folder it lives in; else InputError."""
    if path.is_dir():
        found = [path / n for n in ("report.json", "matrix.json") if (path / n).is_file()]
        if not found:
            raise InputError(f"{what} {path}: no report.json or matrix.json in this folder; give a probe report")
        path = found[0]
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise InputError(f"{what} {path}: file not found; check the path") from None
    except OSError as exc:
        raise InputError(f"{what} {path}: cannot read it ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise InputError(f"{what} {path}: not JSON ({exc}); give a report.json or matrix.json") from None
    model: type[Compared] = MatrixFile if isinstance(data, dict) and "rows" in data else Report
    try:
        return model.model_validate(data), path.parent
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        kind = "matrix.json" if model is MatrixFile else "report.json"
        raise InputError(
            f"{what} {path}: not a probe {kind} ({where}: {first['msg']}); give a file `probe check` wrote"
        ) from None


def diff_paths(old: Path, new: Path) -> list[str]:
    """Load two reports or two matrix reports and list what changed; InputError on bad or mismatched input."""
    before, old_dir = load_compared(old, "OLD")
    after, new_dir = load_compared(new, "NEW")
    if isinstance(before, Report) and isinstance(after, Report):
        return diff_reports(before, after)
    if isinstance(before, MatrixFile) and isinstance(after, MatrixFile):
        return diff_matrices(before.rows, after.rows, old_dir, new_dir)
    raise InputError(f"{old} and {new}: one is a report and the other a matrix; compare like with like")


def load_baseline(path: Path) -> Report:
    """The report a check is compared with (--baseline), or InputError."""
    baseline, _ = load_compared(path, "--baseline")
    if not isinstance(baseline, Report):
        raise InputError(f"--baseline {path}: a matrix report; give the report.json of a single check")
    return baseline
