"""Generated inputs: the file loaders never fail with anything but InputError, and valid files round-trip."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probe.decide.rules import load_table
from probe.errors import InputError
from probe.run.matrix import load_matrix
from probe.walk import profile as prof
from probe.walk.profile import load_profile

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

PROFILE_KEYS = [
    "name",
    "description",
    "start_url",
    "steps",
    "account",
    "detect",
    "guard",
    "actions",
    "action",
    "locator",
    "role",
    "label",
    "text",
    "css",
    "url",
    "value",
    "order_endpoints",
    "option_label",
    "guide_step",
    "table",
]
MATRIX_KEYS = ["name", "targets", "scenario", "url", "profile", "credit_sources", "gift_cards", "intents", "today"]
MATRIX_KEYS += ["timeout", "rules", "expect", "outcome", "endpoints", "cdp", "ws", "payment_page", "credit_expires"]
RULE_KEYS = ["rules", "id", "title", "when", "then", "outcome", "guide", "advice", "warning", "why", "name"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["goto", "click", "fill", "wait_for", "(", "[a-", "${nope}", "button", "/"]),
)


def yamlish(keys: list[str]) -> st.SearchStrategy[Any]:
    """Nested dicts and lists whose keys are mostly real field names, so validation goes deep."""
    key = st.one_of(st.sampled_from(keys), st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8))
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(key, inner, max_size=5)),
        max_leaves=20,
    )


def write(folder: Path, data: Any, name: str = "file.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False) if not isinstance(data, str) else data, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("generated")


@FAST
@given(data=yamlish(PROFILE_KEYS))
def test_profile_loader_raises_only_input_error(folder: Path, data: Any) -> None:
    path = write(folder, data)
    try:
        loaded = load_profile(path)
    except InputError as exc:
        assert str(path) in exc.message
        assert "Traceback" not in str(exc)
    else:
        assert isinstance(loaded, prof.Profile) and loaded.steps


@FAST
@given(text=st.text(max_size=200))
def test_profile_loader_survives_any_text(folder: Path, text: str) -> None:
    path = write(folder, text)
    try:
        load_profile(path)
    except InputError as exc:
        assert str(path) in exc.message


@FAST
@given(data=yamlish(RULE_KEYS))
def test_rules_loader_raises_only_input_error(folder: Path, data: Any) -> None:
    path = write(folder, data, "rules.yaml")
    try:
        table = load_table(path)
    except InputError as exc:
        assert str(path) in exc.message
    else:
        assert table.rules


# Valid profiles, generated from the model's own parts.

WORD = string.ascii_letters + string.digits
names = st.text(alphabet=WORD + " -", min_size=1, max_size=20).map(str.strip).filter(bool)
plain = st.text(alphabet=string.ascii_letters + string.digits + " .-/", min_size=1, max_size=20)
locators = st.one_of(
    st.builds(prof.Locator, role=st.sampled_from(["button", "link", "radio", "textbox"]), name=st.none() | names),
    st.builds(prof.Locator, label=names),
    st.builds(prof.Locator, text=names, exact=st.booleans()),
    st.builds(prof.Locator, placeholder=names),
    st.builds(prof.Locator, test_id=names, nth=st.none() | st.integers(0, 3)),
    st.builds(prof.Locator, css=st.sampled_from(["#a", ".b", "button[type=button]", "form > input"])),
)
actions = st.one_of(
    st.builds(prof.Goto, action=st.just("goto"), url=plain),
    st.builds(prof.Click, action=st.just("click"), locator=locators, optional=st.booleans()),
    st.builds(prof.Fill, action=st.just("fill"), locator=locators, value=plain),
    st.builds(prof.Select, action=st.just("select"), locator=locators, value=plain),
    st.builds(prof.Select, action=st.just("select"), locator=locators, option_label=plain),
    st.builds(prof.Check, action=st.just("check"), locator=locators),
    st.builds(prof.WaitFor, action=st.just("wait_for"), locator=locators),
    st.builds(prof.WaitFor, action=st.just("wait_for"), state=st.sampled_from(["load", "networkidle"])),
)
steps = st.builds(
    prof.Step, name=names, guide_step=st.sampled_from([4, 5]), actions=st.lists(actions, min_size=1, max_size=3)
)
profiles = st.builds(
    prof.Profile,
    name=names,
    description=st.just("") | plain,
    start_url=st.just("/") | plain,
    steps=st.lists(steps, min_size=1, max_size=3),
    detect=st.builds(prof.Detect, option_label=st.none() | st.sampled_from(["Acme Cash", r"(Store|Shop) Bucks"])),
    guard=st.builds(prof.Guard, order_endpoints=st.lists(st.sampled_from([r"/api/buy", r"finali[sz]e"]), max_size=2)),
)


@FAST
@given(profile=profiles)
def test_valid_profiles_round_trip(folder: Path, profile: prof.Profile) -> None:
    path = write(folder, profile.model_dump(mode="json", exclude_defaults=True), "valid.yaml")
    assert load_profile(path) == profile


@FAST
@given(profile=profiles, typo=st.sampled_from(["stpes", "nmae", "gaurd", "detetc"]))
def test_a_misspelt_top_level_key_is_named_with_a_suggestion(folder: Path, profile: prof.Profile, typo: str) -> None:
    data = profile.model_dump(mode="json")
    data[typo] = data.get("steps")
    path = write(folder, data, "typo.yaml")
    with pytest.raises(InputError) as info:
        load_profile(path)
    assert any(line.strip().startswith(f"{typo}: unknown key (did you mean '") for line in info.value.lines)


@FAST
@given(data=yamlish(MATRIX_KEYS))
def test_matrix_loader_raises_only_input_error(folder: Path, data: Any) -> None:
    path = write(folder, data, "matrix.yaml")
    try:
        spec = load_matrix(path)
    except InputError as exc:
        assert str(path) in exc.message
    else:
        assert spec.targets


# YAML written by hand: scalars PyYAML turns into dates, numbers or nothing, in any place.
yaml_scalars = st.one_of(
    st.builds("{}-{:02d}-{:02d}".format, st.integers(1000, 9999), st.integers(0, 19), st.integers(0, 39)),
    st.sampled_from(
        ["~", "null", "yes", "0x1F", "1e999", ".nan", "!!binary AAA", "*alias", "&a x", "|", "- ", "{", "["]
    ),
    st.text(alphabet=string.printable, max_size=10),
)
yaml_texts = st.lists(
    st.tuples(st.sampled_from(PROFILE_KEYS + MATRIX_KEYS), yaml_scalars, st.sampled_from([0, 0, 0, 1])), max_size=6
).map(lambda rows: "".join(f"{'  ' * depth}{key}: {value}\n" for key, value, depth in rows))


@FAST
@given(text=yaml_texts, loader=st.sampled_from([load_profile, load_matrix, load_table]))
def test_hand_written_yaml_raises_only_input_error(folder: Path, text: str, loader: Any) -> None:
    path = write(folder, text, "hand.yaml")
    try:
        loader(path)
    except InputError as exc:
        assert str(path) in exc.message
