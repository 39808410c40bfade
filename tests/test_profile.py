"""Store profiles: the bundled one loads; a broken one lists every problem with the file name."""

from __future__ import annotations

from pathlib import Path

import pytest

from probe.errors import InputError
from probe.walk.profile import BUNDLED_PROFILE, Click, Locator, Profile, expand, load_profile


def test_bundled_profile_walks_to_payment_selection() -> None:
    profile = load_profile()
    assert profile.name == "mock-store"
    assert profile.steps[-1].guide_step == 5
    assert profile.account is not None
    first = profile.steps[0].actions[0]
    assert isinstance(first, Click)
    assert first.locator.role == "link"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "store.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_is_listed_with_its_field_path(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
name: shop
stpes: []
steps:
  - name: open
    actions:
      - {action: clik, locator: {css: a}}
      - {action: click, locator: {css: a, text: b}}
      - {action: fill, locator: {label: Email}}
""",
    )
    with pytest.raises(InputError) as caught:
        load_profile(path)
    text = str(caught.value)
    assert str(path) in text.splitlines()[0]
    assert "stpes: unknown key (did you mean 'steps'?)" in text
    assert "steps.0.actions.0" in text and "clik" in text
    assert "steps.0.actions.1.click.locator" in text and "exactly one of" in text
    assert "steps.0.actions.2.fill.value" in text


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("name: [unclosed", "not valid YAML at line 1"),
        ("- just\n- a list\n", "expected a mapping"),
        ("name: x\nsteps: []\n", "steps: List should have at least 1 item"),
        (
            "name: x\nsteps: [{name: a, actions: [{action: goto, url: /}]}]\nguard: {order_endpoints: ['(']}\n",
            "regular",
        ),
    ],
)
def test_malformed_profiles_say_what_is_wrong(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(InputError) as caught:
        load_profile(write(tmp_path, text))
    assert needle in str(caught.value)


def test_missing_profile_file() -> None:
    with pytest.raises(InputError, match="file not found"):
        load_profile(Path("/nonexistent/profile.yaml"))


def test_locator_needs_exactly_one_kind_and_name_needs_role() -> None:
    with pytest.raises(ValueError, match="'name' goes with 'role'"):
        Locator(label="Amount", name="x")
    assert Locator(role="button", name="Add").describe() == "role='button' name='Add'"


def test_variables_expand_and_unknown_ones_are_named() -> None:
    assert expand("gift-card-${gift_card}", {"gift_card": "third-party"}) == "gift-card-third-party"
    with pytest.raises(InputError, match=r"unknown variable \$\{amount\}"):
        expand("${amount}", {"gift_card": "x"})


def test_bundled_profile_file_is_shipped_in_the_package() -> None:
    assert BUNDLED_PROFILE.is_file()
    assert Profile.model_validate(load_profile().model_dump()) == load_profile()
