"""Errors a user can act on, and loading YAML files into pydantic models with readable messages."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin

import yaml
from pydantic import AfterValidator, BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class ProbeError(Exception):
    """An error with a message meant for the user and the exit code SPEC.md gives it."""

    exit_code = 2

    def __init__(self, message: str, *, lines: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.lines = tuple(lines)

    def __str__(self) -> str:
        return "\n".join((self.message, *self.lines))


class InputError(ProbeError):
    """Bad input: usage, an unreadable or invalid file, a bad date. Exit 2."""

    exit_code = 2


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its class name when it has none), for one-line reports."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def regex_problem(value: str) -> str | None:
    """Why `value` is not a valid regular expression, or None when it is one."""
    try:
        re.compile(value)
    except re.error as exc:
        return f"not a valid regular expression ({exc})"
    return None


def _compiles(value: str) -> str:
    problem = regex_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# A model field holding a regular expression: a value that does not compile is a validation error saying why.
Regex = Annotated[str, AfterValidator(_compiles)]


def suggest(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean X?)' hint, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _allowed_keys(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The field names valid at `loc` (best effort, for 'did you mean' hints)."""
    candidates: list[type[BaseModel]] = [model]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        with_field = [c for c in candidates if part in c.model_fields]
        if with_field:
            candidates = _models_in(with_field[0].model_fields[part].annotation)
            continue
        # A discriminated-union tag (e.g. `click` in actions.0.click.locator): the member it names.
        tagged = [c for c in candidates if part in _literal_values(c)]
        if not tagged:
            return []
        candidates = tagged[:1]
    if len(candidates) != 1:
        return []
    return [f.alias or name for name, f in candidates[0].model_fields.items()]


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The BaseModel classes found inside a type annotation (all members of a union)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        found += _models_in(arg)
    return found


def _literal_values(model: type[BaseModel]) -> set[Any]:
    """Values of the model's Literal-typed fields (the tags a discriminated union uses)."""
    values: set[Any] = set()
    for field in model.model_fields.values():
        if get_origin(field.annotation) is Literal:
            values.update(get_args(field.annotation))
    return values


def validation_lines(error: ValidationError, model: type[BaseModel]) -> list[str]:
    """`path.to.field: message` lines for every problem pydantic found, each saying what to write instead."""
    lines = []
    for item in error.errors():
        loc = tuple(item["loc"])
        path = ".".join(str(p) for p in loc) or "(top level)"
        lines.append(f"{path}: {plain_message(item, model, loc)}")
    return lines


def plain_message(item: Any, model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """One pydantic error as a plain sentence: what is wrong and what to write."""
    kind, ctx = item["type"], item.get("ctx") or {}
    message = str(item["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden" and loc:
        allowed = _allowed_keys(model, loc)
        here = f"; keys here: {', '.join(allowed)}" if allowed else ""
        return f"unknown key{suggest(str(loc[-1]), allowed)}{here}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        field = str(ctx.get("discriminator", "'action'")).strip("'")
        tags = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",") if t.strip()]
        tags = tags or _tags_at(model, loc)
        if kind == "union_tag_not_found":
            return f"missing `{field}:`; write one of {', '.join(tags)}"
        tag = str(ctx.get("tag", ""))
        return f"`{field}: {tag}` does not exist; write one of {', '.join(tags)}{suggest(tag, tags)}"
    if kind == "missing" and loc:
        return f"required: add `{loc[-1]}: …`"
    return message


def _tags_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The tags a discriminated union accepts at `loc` (best effort): its members' Literal values."""
    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return []
    owners = [c for c in _models_along(model, tuple(names[:-1])) if names[-1] in c.model_fields]
    if not owners:
        return []
    members = _models_in(owners[0].model_fields[names[-1]].annotation)
    return [str(v) for m in members for v in sorted(_literal_values(m), key=str)]


def _models_along(model: type[BaseModel], names: tuple[str, ...]) -> list[type[BaseModel]]:
    """The models reached by following field names (and union tags) from `model`."""
    candidates: list[type[BaseModel]] = [model]
    for part in names:
        with_field = [c for c in candidates if part in c.model_fields]
        if with_field:
            candidates = _models_in(with_field[0].model_fields[part].annotation)
            continue
        candidates = [c for c in candidates if part in _literal_values(c)][:1]
    return candidates


# libyaml's loader, where PyYAML was built with it: about 6x faster than the pure-Python one on the rules table.
FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """yaml.safe_load, through libyaml when present; a file it rejects is read again by the pure-Python loader,
    so every error (and its line and column) reads as PyYAML words it."""
    try:
        return yaml.load(text, Loader=FAST_LOADER)
    except (yaml.YAMLError, ValueError, OverflowError):
        return yaml.safe_load(text)


def load_yaml_model(path: Path, model: type[M], *, what: str) -> M:
    """Read a YAML file into `model`, or raise InputError naming the file and every bad field."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what} {path}: file not found; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{what} {path}: cannot read it ({exc.__class__.__name__}: {exc})") from None
    try:
        data = parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"{what} {path}: not valid YAML{where}: {problem}") from None
    except (ValueError, OverflowError) as exc:
        # PyYAML builds dates itself and fails on ones that do not exist (2026-13-01).
        raise InputError(f"{what} {path}: a value YAML reads as a date is not one ({exc}); write YYYY-MM-DD") from None
    if not isinstance(data, dict):
        raise InputError(f"{what} {path}: expected a mapping of keys at the top, got {type(data).__name__}")
    return validate_model(data, model, what=f"{what} {path}")


def validate_model(data: Any, model: type[M], *, what: str) -> M:
    """Validate already-parsed data, raising InputError with field lines."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = validation_lines(exc, model)
        count = len(lines)
        raise InputError(
            f"{what}: {count} problem{'s' if count != 1 else ''}", lines=[f"  {line}" for line in lines]
        ) from None
