"""JUnit XML for CI systems: one test case per check.

A case passes when its outcome equals the expectation (or there is no expectation and a verdict was reached),
fails when the outcome differs from the expectation, and is an error when no verdict was reached (no report,
a crash, or an `inconclusive` outcome that was not itself expected).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path

from probe.models import Frozen, Outcome, Report

# Characters XML 1.0 cannot carry at all, even escaped.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class CheckResult(Frozen):
    """One check for the JUnit file: its name, its report (None if it crashed), expectation and error."""

    name: str
    report: Report | None = None
    expected: Outcome | None = None
    error: str | None = None
    report_path: str | None = None


Case = CheckResult | tuple[str, Report | None, str | None, str | None]


def _clean(text: str) -> str:
    return _ILLEGAL.sub("\ufffd", text)


def _as_result(case: Case) -> CheckResult:
    if isinstance(case, CheckResult):
        return case
    name, report, expected, error = case
    return CheckResult(name=name, report=report, expected=Outcome(expected) if expected else None, error=error)


def _summary(result: CheckResult) -> str:
    report = result.report
    if report is None:
        return f"no report: {result.error or 'the check did not finish'}"
    obs, verdict = report.observation, report.verdict
    lines = [
        f"outcome: {verdict.outcome.value}",
        f"expected: {result.expected.value if result.expected else '(none)'}",
        f"deciding rule: {verdict.deciding_rule or '(none)'}",
        f"option: {obs.option_label or '(none found)'} [{obs.option_state.value}]",
        f"stated reason: {obs.reason_text or '(none)'}",
        f"target: {report.run.target}",
        *(f"warning: {w}" for w in verdict.warnings),
        *(f"rule {r.id}: {r.why}" for r in verdict.rules),
        "no order was placed",
    ]
    if result.report_path:
        lines.append(f"report: {result.report_path}")
    return "\n".join(lines)


def _testcase(suite: ET.Element, result: CheckResult) -> tuple[int, int]:
    """Append one testcase; returns (failures, errors) it adds."""
    report = result.report
    case = ET.SubElement(suite, "testcase", name=_clean(result.name))
    case.set("classname", _clean(f"probe.{report.run.scenario or report.run.target}" if report else "probe"))
    case.set("time", f"{report.run.duration_s:.3f}" if report else "0")
    outcome = report.verdict.outcome if report else None
    failures = errors = 0
    if report is None or result.error:
        message = result.error or "the check produced no report"
        node = ET.SubElement(case, "error", message=_clean(message), type="error")
        node.text = _clean(message)
        errors = 1
    elif result.expected is not None and outcome == result.expected:
        pass
    elif outcome == Outcome.inconclusive:
        message = f"inconclusive: {report.observation.error or 'the probe could not observe'}"
        node = ET.SubElement(case, "error", message=_clean(message), type="inconclusive")
        node.text = _clean(_summary(result))
        errors = 1
    elif result.expected is not None:
        message = f"expected {result.expected.value}, got {outcome.value if outcome else '?'}"
        node = ET.SubElement(case, "failure", message=_clean(message), type="unexpected_outcome")
        node.text = _clean(_summary(result))
        failures = 1
    ET.SubElement(case, "system-out").text = _clean(_summary(result))
    return failures, errors


def junit_xml(cases: Iterable[Case], suite_name: str = "probe") -> str:
    """JUnit XML text for the checks: CheckResult values or (name, report, expected, error) tuples."""
    results: Sequence[CheckResult] = [_as_result(c) for c in cases]
    root = ET.Element("testsuites", name=_clean(suite_name))
    suite = ET.SubElement(root, "testsuite", name=_clean(suite_name))
    failures = errors = 0
    for result in results:
        f, e = _testcase(suite, result)
        failures, errors = failures + f, errors + e
    total = sum(r.report.run.duration_s for r in results if r.report)
    counts = {"tests": str(len(results)), "failures": str(failures), "errors": str(errors), "skipped": "0"}
    for node in (root, suite):
        for key, value in counts.items():
            node.set(key, value)
        node.set("time", f"{total:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(path: Path, cases: Iterable[Case], suite_name: str = "probe") -> None:
    """Write the JUnit XML for the checks to path, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(junit_xml(cases, suite_name), encoding="utf-8")
