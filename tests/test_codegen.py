"""`probe profile from-codegen`: recorded scripts become profiles; order clicks refused, passwords as ${env:…}."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from probe.cli import app
from probe.errors import InputError
from probe.walk.codegen import convert, convert_file
from probe.walk.profile import Click, Fill, Profile, Select, WaitFor

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data" / "codegen"


def profile_of(name: str) -> tuple[Profile, list[str], list[str], str]:
    result = convert_file(DATA / name)
    return Profile.model_validate(yaml.safe_load(result.yaml_text)), result.env, result.warnings, result.yaml_text


def test_signin_recording_becomes_login_steps_and_steps() -> None:
    profile, env, warnings, text = profile_of("everymart_signin.py")
    assert profile.start_url == "/signin"
    assert [s.name for s in profile.login] == ["Sign in"]
    login = profile.login[0].actions
    assert [a.action for a in login] == ["fill", "fill", "click"]  # the focus clicks before typing are gone
    assert isinstance(login[1], Fill) and login[1].value == "${env:STORE_PASSWORD}"
    assert "STORE_PASSWORD" in env and "STORE_SIGNIN_EMAIL" in env
    assert "mock-store-pass-1" not in text and "shopper@example.com" not in text and "friend@example.com" not in text
    names = [s.name for s in profile.steps]
    assert names[:3] == ["Gift Cards", "gift-card-store-digital", "Add to Cart"]
    assert "Place your order" not in text and "Continue shopping" not in text
    assert any("refused a click on 'Place your order'" in w for w in warnings)
    assert any("line 15" in w and "inside another" in w for w in warnings)
    select = profile.steps[2].actions[0]
    assert isinstance(select, Select) and select.value == "50"
    waits = [a for s in profile.steps for a in s.actions if a.action == "wait_for"]
    assert isinstance(waits[0], WaitFor) and waits[0].locator and waits[0].locator.name == "Select a payment method"


def test_guest_recording_keeps_nth_first_exact_and_option_labels() -> None:
    profile, env, warnings, _ = profile_of("shop_guest.py")
    first = profile.steps[0].actions[0]
    assert isinstance(first, Click)
    assert first.locator.model_dump(exclude_defaults=True) == {
        "role": "link",
        "name": "Gift cards",
        "exact": True,
        "nth": 0,
    }
    second = profile.steps[1].actions[0]
    assert isinstance(second, Click) and second.locator.nth == 1
    actions = profile.steps[2].actions
    assert [a.action for a in actions] == ["fill", "select", "check", "click"]
    assert isinstance(actions[1], Select) and actions[1].option_label == "$25"
    assert actions[1].locator.css == 'select[name="denomination"]'
    assert [s.name for s in profile.steps][3] == "open /checkout"
    assert env == ["STORE_EMAIL"] and not profile.login  # an e-mail alone is not a sign-in
    assert any("pressing Enter" in w for w in warnings)
    assert profile.steps[-1].actions[-1].action == "wait_for"


def test_buy_now_is_refused_and_german_password_is_a_secret() -> None:
    profile, env, warnings, text = profile_of("pay_now_store.py")
    assert "hunter2-secret" not in text and "customer@example.net" not in text
    assert env == ["STORE_E_MAIL", "STORE_PASSWORT"]
    assert profile.login and profile.steps[0].actions[0].action == "goto"
    assert "Buy now" not in text and "Pay now" not in text
    assert any("refused a click on 'Buy now'" in w for w in warnings)


def test_the_script_is_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    script = tmp_path / "evil.py"
    script.write_text(
        f"open({str(marker)!r}, 'w').write('x')\n"
        "def run(playwright):\n    page.goto('https://x.example/')\n    page.get_by_text('Gift').click()\n"
    )
    result = runner.invoke(app, ["profile", "from-codegen", str(script)])
    assert result.exit_code == 0, result.stderr
    assert not marker.exists()
    assert "{action: click, locator: {text: Gift}}" in result.stdout


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("def run(:\n", "not a Python script"),
        ("x = 1\n", "no page actions recorded"),
        (
            "page.goto('https://a.example/login')\npage.get_by_label('Password').fill('p')\n"
            "page.get_by_role('button', name='Log in').click()\n",
            "only a sign-in was recorded",
        ),
    ],
)
def test_unusable_scripts_are_one_line_errors(source: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        convert(source, filename="rec.py")
    assert words in str(caught.value) and "rec.py" in str(caught.value)


def test_cli_writes_the_profile_and_says_what_to_export(tmp_path: Path) -> None:
    out = tmp_path / "shop.yaml"
    result = runner.invoke(app, ["profile", "from-codegen", str(DATA / "everymart_signin.py"), "-o", str(out)])
    assert result.exit_code == 0
    assert "export STORE_PASSWORD=… STORE_RECIPIENT_EMAIL=… STORE_SIGNIN_EMAIL=…" in result.stderr
    assert "warning: line 26: refused a click" in result.stderr
    check = runner.invoke(app, ["profile", "check", str(out)], env={"STORE_PASSWORD": "x"})
    assert check.exit_code == 2 and "${env:STORE_SIGNIN_EMAIL}" in check.stderr
    missing = runner.invoke(app, ["profile", "from-codegen", str(tmp_path / "nope.py")])
    assert missing.exit_code == 2 and "playwright codegen --target python" in missing.stderr
