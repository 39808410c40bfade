"""JUnit XML: one test case per check, failures for unexpected outcomes, errors when no verdict was reached."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

from probe.models import (
    CreditContext,
    GiftCardKind,
    Intent,
    Observation,
    OptionState,
    Outcome,
    Report,
    RunInfo,
    Verdict,
)
from probe.report.junit import CheckResult, junit_xml, write_junit


def report(
    outcome: Outcome, *, scenario: str = "greyed", error: str | None = None, label: str = "Store credit"
) -> Report:
    state = OptionState.unknown if outcome == Outcome.inconclusive else OptionState.greyed_out
    return Report(
        run=RunInfo(
            target="http://127.0.0.1:8123/",
            scenario=scenario,
            started_at=dt.datetime(2026, 11, 25, tzinfo=dt.UTC),
            duration_s=1.5,
            today=dt.date(2026, 11, 25),
            gift_card=GiftCardKind.store_digital,
            intent=Intent.own_use,
            probe_version="0.1.0",
        ),
        observation=Observation(
            option_state=state,
            option_label=label,
            error=error,
            reason_text="Store credit cannot be used for gift cards",
        ),
        credit=CreditContext(),
        verdict=Verdict(outcome=outcome, deciding_rule="R-greyed", warnings=("use it before 2026-12-20",)),
    )


def cases_by_name(xml: str) -> dict[str, ET.Element]:
    root = ET.fromstring(xml)
    return {case.get("name", ""): case for case in root.iter("testcase")}


def test_outcomes_map_to_pass_failure_and_error() -> None:
    xml = junit_xml(
        [
            CheckResult(name="matches", report=report(Outcome.cannot_use), expected=Outcome.cannot_use),
            CheckResult(name="no expectation", report=report(Outcome.can_use)),
            CheckResult(
                name="differs",
                report=report(Outcome.can_use),
                expected=Outcome.cannot_use,
                report_path="checks/differs/report.html",
            ),
            CheckResult(
                name="could not see",
                report=report(Outcome.inconclusive, error="timed out after 30s"),
                expected=Outcome.cannot_use,
            ),
            CheckResult(
                name="expected inconclusive",
                report=report(Outcome.inconclusive, error="refused"),
                expected=Outcome.inconclusive,
            ),
            ("crashed", None, "cannot_use", "browser closed unexpectedly"),
        ]
    )
    root = ET.fromstring(xml)
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("6", "1", "2")
    assert root.get("failures") == "1" and root.get("errors") == "2"
    cases = cases_by_name(xml)
    assert list(cases) == ["matches", "no expectation", "differs", "could not see", "expected inconclusive", "crashed"]
    for passing in ("matches", "no expectation", "expected inconclusive"):
        assert cases[passing].find("failure") is None and cases[passing].find("error") is None
    failure = cases["differs"].find("failure")
    assert failure is not None and failure.get("message") == "expected cannot_use, got can_use"
    assert "report: checks/differs/report.html" in (cases["differs"].findtext("system-out") or "")
    error = cases["could not see"].find("error")
    assert error is not None and error.get("type") == "inconclusive"
    assert "timed out after 30s" in (error.get("message") or "")
    crashed = cases["crashed"].find("error")
    assert crashed is not None and crashed.get("message") == "browser closed unexpectedly"
    assert cases["matches"].get("classname") == "probe.greyed" and cases["matches"].get("time") == "1.500"
    assert "use it before 2026-12-20" in (cases["matches"].findtext("system-out") or "")


def test_page_text_is_escaped_and_control_characters_do_not_break_the_xml(tmp_path: Path) -> None:
    nasty = 'Store credit <script>alert("x")</script> & ]]> \x00\x07 "quoted"'
    path = tmp_path / "ci" / "junit.xml"
    write_junit(
        path,
        [
            CheckResult(
                name=nasty, report=report(Outcome.can_use, label=nasty, scenario=nasty), expected=Outcome.cannot_use
            )
        ],
    )
    root = ET.parse(path).getroot()
    case = root.find("testsuite/testcase")
    assert case is not None
    assert case.get("name") == nasty.replace("\x00", "\ufffd").replace("\x07", "\ufffd")
    assert '<script>alert("x")</script>' in (case.findtext("system-out") or "")
    assert path.read_text().startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_an_empty_run_is_a_valid_empty_suite() -> None:
    root = ET.fromstring(junit_xml([]))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("0", "0", "0")
