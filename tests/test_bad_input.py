"""Bad input: one clear message on stderr naming the input and what to do, exit 2, no traceback, stdout empty."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from probe.cli import app

runner = CliRunner()

GOOD_PROFILE = """\
name: x
steps:
  - name: open
    actions:
      - {action: goto, url: /}
"""


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    """Bad files of every kind, by name."""
    texts = {
        "not_yaml.yaml": "name: [unclosed\n  steps: {\n",
        "list.yaml": "- a\n- b\n",
        "misspelt_profile.yaml": GOOD_PROFILE.replace("steps:", "stpes:"),
        "misspelt_nested.yaml": GOOD_PROFILE + "gaurd:\n  order_endpoints: ['/x']\n",
        "misspelt_locator.yaml": GOOD_PROFILE.replace(
            "- {action: goto, url: /}", "- {action: click, locator: {rol: button, name: Go}}"
        ),
        "bad_action.yaml": GOOD_PROFILE.replace("action: goto", "action: teleport"),
        "endpoint_not_regex.yaml": GOOD_PROFILE + "guard:\n  order_endpoints: ['/api/pay-now', '(']\n",
        "endpoint_matches_all.yaml": GOOD_PROFILE + "guard:\n  order_endpoints: ['.*']\n",
        "label_not_regex.yaml": GOOD_PROFILE + "detect:\n  option_label: 'Bonus (cash'\n",
        "misspelt_rules.yaml": "rulez: []\n",
        "binary.yaml": "",
    }
    made = {}
    for name, text in texts.items():
        made[name] = tmp_path / name
        made[name].write_text(text)
    made["binary.yaml"].write_bytes(b"\xff\xfe\x00\x81 binary")
    made["missing.yaml"] = tmp_path / "missing.yaml"
    made["folder"] = tmp_path
    return made


def run(args: list[str], tmp_path: Path) -> tuple[int, str, str]:
    out = ["--out", str(tmp_path / "out")] if args[0] == "check" else []
    result = runner.invoke(app, [*args, *out])
    return result.exit_code, result.stdout, result.stderr


def assert_refused(code: int, stdout: str, stderr: str, *needles: str) -> None:
    assert code == 2, stderr
    assert stdout == ""
    assert "Traceback" not in stderr and "Traceback" not in stdout
    for needle in needles:
        assert needle in stderr, f"{needle!r} not in {stderr!r}"


@pytest.mark.parametrize("as_json", [[], ["--json"]])
@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("not a url", "URL 'not a url': not an http(s):// or file:// address"),
        ("htp:/store.example", "URL 'htp:/store.example'"),
        ("http://", "URL 'http://'"),
        ("store.example/checkout", "give a full URL"),
    ],
)
def test_malformed_url(tmp_path: Path, url: str, needle: str, as_json: list[str]) -> None:
    code, out, err = run(["check", url, "--payment-page", *as_json], tmp_path)
    assert_refused(code, out, err, needle)
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("as_json", [[], ["--json"]])
@pytest.mark.parametrize(
    ("name", "needles"),
    [
        ("missing.yaml", ["missing.yaml: file not found"]),
        ("not_yaml.yaml", ["not_yaml.yaml: not valid YAML at line"]),
        ("list.yaml", ["expected a mapping of keys at the top"]),
        ("binary.yaml", ["binary.yaml: cannot read it"]),
        ("misspelt_profile.yaml", ["stpes: unknown key (did you mean 'steps'?)"]),
        ("misspelt_nested.yaml", ["gaurd: unknown key (did you mean 'guard'?)"]),
        ("misspelt_locator.yaml", ["rol: unknown key (did you mean 'role'?)"]),
        ("bad_action.yaml", ["steps.0.actions.0", "teleport"]),
        ("endpoint_not_regex.yaml", ["guard.order_endpoints", "entry 1 '('", "not a valid regular expression"]),
        ("endpoint_matches_all.yaml", ["guard.order_endpoints", "entry 0 '.*'", "matches every URL"]),
        ("label_not_regex.yaml", ["detect.option_label", "not a valid regular expression"]),
    ],
)
def test_bad_profile(tmp_path: Path, files: dict[str, Path], name: str, needles: list[str], as_json: list[str]) -> None:
    code, out, err = run(["check", "--profile", str(files[name]), *as_json], tmp_path)
    assert_refused(code, out, err, f"profile {files[name]}", *needles)
    # The first line names the file; the rest (if any) are `field.path: message` lines.
    assert err.splitlines()[0].startswith(f"probe: profile {files[name]}")


@pytest.mark.parametrize("command", [["check"], ["verdict", "--option-state", "absent"], ["rules"]])
@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("missing.yaml", "file not found"),
        ("not_yaml.yaml", "not valid YAML"),
        ("misspelt_rules.yaml", "did you mean 'rules'"),
    ],
)
def test_bad_rules_file(tmp_path: Path, files: dict[str, Path], command: list[str], name: str, needle: str) -> None:
    result = runner.invoke(app, [*command, "--rules", str(files[name]), "--json"])
    assert_refused(result.exit_code, result.stdout, result.stderr, f"rules table {files[name]}", needle)


@pytest.mark.parametrize("as_json", [[], ["--json"]])
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--today", "2026-13-01"),
        ("--today", "yesterday"),
        ("--credit-expires", "31/12/2026"),
        ("--credit-expires", "2026-02-30"),
    ],
)
def test_bad_dates(tmp_path: Path, option: str, value: str, as_json: list[str]) -> None:
    for command in (["check"], ["verdict", "--option-state", "selectable"]):
        code, out, err = run([*command, option, value, *as_json], tmp_path)
        assert_refused(code, out, err, f"{option} '{value}': not a date; write it as YYYY-MM-DD")
        assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("as_json", [[], ["--json"]])
@pytest.mark.parametrize(
    ("option", "value", "choice"),
    [
        ("--gift-card", "bogus", "store-digital"),
        ("--credit-source", "lottery", "refund"),
        ("--intent", "hoard", "own-use"),
        ("--expect", "maybe", "can_use"),
    ],
)
def test_unknown_option_values(tmp_path: Path, option: str, value: str, choice: str, as_json: list[str]) -> None:
    code, out, err = run(["check", option, value, *as_json], tmp_path)
    # Names the option, the bad value and the values it accepts.
    assert_refused(code, out, err, option, value, choice)


def test_unknown_option_value_in_verdict(tmp_path: Path) -> None:
    result = runner.invoke(app, ["verdict", "--option-state", "grey", "--json"])
    assert_refused(result.exit_code, result.stdout, result.stderr, "--option-state", "greyed_out")


def test_bad_option_label_regex(tmp_path: Path) -> None:
    code, out, err = run(["check", "--option-label", "Store (credit", "--json"], tmp_path)
    assert_refused(code, out, err, "--option-label 'Store (credit': not a valid regular expression")


def test_out_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "report.txt"
    blocker.write_text("mine")
    result = runner.invoke(app, ["check", "--out", str(blocker), "--json"])
    assert_refused(result.exit_code, result.stdout, result.stderr, f"--out {blocker}: a file is in the way")
    assert blocker.read_text() == "mine"


def test_bad_baseline(tmp_path: Path) -> None:
    bad = tmp_path / "old.json"
    bad.write_text("{}")
    code, out, err = run(["check", "--baseline", str(bad), "--json"], tmp_path)
    assert_refused(code, out, err, f"--baseline {bad}: not a probe report.json")
    code, out, err = run(["check", "--baseline", str(tmp_path / "gone.json")], tmp_path)
    assert_refused(code, out, err, "gone.json: file not found")


def test_unknown_scenario_suggests(tmp_path: Path) -> None:
    code, out, err = run(["check", "--scenario", "defualt", "--json"], tmp_path)
    assert_refused(code, out, err, "--scenario defualt", "did you mean 'default'")


MATRIX_FILES = {
    "misspelt": ("tragets:\n  - scenario: default\n", "tragets: unknown key (did you mean 'targets'?)"),
    "nested": ("targets:\n  - sceanrio: default\n", "targets.0.sceanrio: unknown key (did you mean 'scenario'?)"),
    "value": ("targets: [{scenario: default}]\ncredit_sources: [lottery]\n", "credit_sources.0"),
    "date": ("targets: [{scenario: default}]\ntoday: 2026-13-01\n", "is not one (month must be in 1..12)"),
    "not_yaml": ("targets: [\n", "not valid YAML at line"),
    "missing": (None, "file not found"),
}


@pytest.mark.parametrize("as_json", [[], ["--json"]])
@pytest.mark.parametrize("case", sorted(MATRIX_FILES))
def test_bad_matrix_file(tmp_path: Path, case: str, as_json: list[str]) -> None:
    text, needle = MATRIX_FILES[case]
    path = tmp_path / f"{case}.yaml"
    if text is not None:
        path.write_text(text)
    result = runner.invoke(app, ["matrix", str(path), "--out", str(tmp_path / "m"), *as_json])
    assert_refused(result.exit_code, result.stdout, result.stderr, f"matrix {path}", needle)
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("command", [["check", "--profile"], ["rules", "--rules"]])
def test_a_date_that_does_not_exist_in_any_yaml_file(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "dated.yaml"
    path.write_text("name: x\ntoday: 2026-02-30\n")
    result = runner.invoke(app, [*command, str(path), "--json"])
    assert_refused(result.exit_code, result.stdout, result.stderr, str(path), "day is out of range for month")
