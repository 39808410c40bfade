"""The profile reference and schema are generated from the models, and the checked-in copies match them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from probe.cli import app
from probe.errors import InputError, validate_model
from probe.walk import profile as prof
from probe.walk.profile_ref import REFERENCE, SCHEMA, profile_schema, reference, sections, stale_files

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def test_checked_in_reference_and_schema_match_the_models() -> None:
    assert stale_files() == [], "run `probe profile reference --write` and commit docs/"
    assert REFERENCE.read_text() == reference()
    assert json.loads(SCHEMA.read_text()) == profile_schema()


def test_every_key_of_every_model_is_in_the_reference_with_a_description() -> None:
    page = reference()
    for _, model in sections():
        for name, field in model.model_fields.items():
            assert f"| `{name}` |" in page, f"{model.__name__}.{name}"
            assert field.description, f"{model.__name__}.{name} has no description"


@pytest.mark.parametrize(
    "key", ["option_label", "exact", "nth", "optional", "start_url", "guide_step", "state", "${amount}", "login"]
)
def test_keys_people_asked_about_are_documented(key: str) -> None:
    assert f"`{key}`" in reference()


def test_reference_examples_are_valid_profiles_parts() -> None:
    for _, model in sections():
        extra = model.model_config.get("json_schema_extra")
        assert isinstance(extra, dict) and extra["examples"], model.__name__
        for example in extra["examples"]:  # type: ignore[union-attr]
            model.model_validate(example)


def test_schema_command_prints_the_schema_that_validates_the_bundled_profile() -> None:
    result = runner.invoke(app, ["profile", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == profile_schema()
    assert set(schema["properties"]) == set(prof.Profile.model_fields)
    assert schema["additionalProperties"] is False


def test_a_stale_reference_is_caught(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stale = tmp_path / "profile.md"
    stale.write_text(reference().replace("`nth`", "`index`"))
    monkeypatch.setattr("probe.walk.profile_ref.REFERENCE", stale)
    assert stale_files() == [stale]
    result = runner.invoke(app, ["profile", "reference", "--check"])
    assert result.exit_code == 1 and "out of date" in result.stderr


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (
            {"detect": {"option_lable": "x"}},
            "detect.option_lable: unknown key (did you mean 'option_label'?); keys here: option_label",
        ),
        (
            {"steps": [{"name": "a", "actions": [{"action": "type", "locator": {"css": "a"}}]}]},
            "steps.0.actions.0: `action: type` does not exist; write one of goto, click, fill, select, check, wait_for",
        ),
        (
            {"steps": [{"name": "a", "actions": [{"locator": {"css": "a"}}]}]},
            "steps.0.actions.0: missing `action:`; write one of goto, click, fill, select, check, wait_for",
        ),
        (
            {"steps": [{"name": "a", "actions": [{"action": "click", "locator": {"label": "A", "css": "b"}}]}]},
            "a locator takes exactly one of role, label, text, placeholder, test_id or css (got label and css)",
        ),
    ],
)
def test_validation_messages_say_what_to_write(data: dict[str, object], line: str) -> None:
    base: dict[str, object] = {"name": "x", "steps": [{"name": "a", "actions": [{"action": "goto", "url": "/"}]}]}
    with pytest.raises(InputError) as caught:
        validate_model({**base, **data}, prof.Profile, what="profile p.yaml")
    text = str(caught.value)
    assert line in text
    assert "Input tag" not in text and "Value error" not in text and "Extra inputs" not in text


def test_example_profiles_validate_and_name_the_schema() -> None:
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        if "steps" in data:
            prof.Profile.model_validate(data)
            assert path.read_text().startswith("# yaml-language-server: $schema=../docs/profile.schema.json")
