"""`probe profile from-codegen`: a script recorded by `playwright codegen --target python` as a profile, read with ast.

The script is parsed, never run. Order-placement clicks are refused (the guard's rule), typed passwords and
e-mail addresses become `${env:NAME}` placeholders, and what has no profile equivalent is named in a warning.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from probe.errors import InputError
from probe.safety.refusal import click_refusal
from probe.walk.profile import Profile

# Locator methods of a page and the profile key each becomes.
LOCATOR_METHODS = {
    "get_by_role": "role",
    "get_by_label": "label",
    "get_by_text": "text",
    "get_by_placeholder": "placeholder",
    "get_by_test_id": "test_id",
    "locator": "css",
}
PASSWORD_FIELD = re.compile(r"pass(word|code|phrase)|\bpin\b|passwort|mot de passe|contraseña", re.IGNORECASE)
EMAIL_VALUE = re.compile(r"^[\w.+-]+@[\w-]+\.[\w.-]+$")


@dataclass
class Conversion:
    """A converted recording: the profile's YAML, the secrets it takes from the environment, and warnings."""

    yaml_text: str
    env: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Step:
    actions: list[dict[str, Any]] = field(default_factory=list)
    name: str = ""
    secret: bool = False


def refused(locator: dict[str, Any], name: str | None) -> bool:
    """The one refusal rule, asked about a recorded click: True when it would place an order or pay.

    A click recorded without a role is judged as a button press, the strictest reading."""
    role = locator.get("role")
    return click_refusal(role if isinstance(role, str) else "button", name) is not None


def _literal(node: ast.AST, where: str) -> Any:
    """A recorded literal; its `$` doubled when it holds `${` or `$$`, so the profile reads it as typed."""
    try:
        value = ast.literal_eval(node)
    except ValueError:
        raise _Unsupported(f"{where}: a computed value ({ast.unparse(node)}) where a literal was recorded") from None
    if isinstance(value, str) and ("${" in value or "$$" in value):
        return value.replace("$", "$$")
    return value


class _Unsupported(Exception):
    """A recorded call the profile cannot express."""


def _chain(node: ast.AST) -> list[ast.Call]:
    """`page.a(..).b(..).c(..)` as its calls, innermost first; attribute hops like `.first` become calls too."""
    calls: list[ast.Call] = []
    while True:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            calls.append(node)
            node = node.func.value
        elif isinstance(node, ast.Attribute):
            calls.append(ast.Call(func=node, args=[], keywords=[]))
            node = node.value
        else:
            break
    if not (isinstance(node, ast.Name) and node.id == "page"):
        raise _Unsupported("a call on something other than `page`")
    return list(reversed(calls))


def _locator(calls: list[ast.Call], line: int) -> tuple[dict[str, Any], list[str]]:
    """The profile locator for a chain of locator calls, and notes on what it could not keep."""
    notes: list[str] = []
    found: dict[str, Any] | None = None
    for call in calls:
        assert isinstance(call.func, ast.Attribute)
        method = call.func.attr
        where = f"line {line}"
        if method in LOCATOR_METHODS:
            if found is not None:
                notes.append(f"line {line}: a locator inside another; kept the inner one (check it is unique)")
            kind = LOCATOR_METHODS[method]
            found = {kind: _literal(call.args[0], where)} if call.args else {}
            for keyword in call.keywords:
                if keyword.arg == "name" and kind == "role":
                    found["name"] = _literal(keyword.value, where)
                elif keyword.arg == "exact":
                    found["exact"] = bool(_literal(keyword.value, where))
                else:
                    notes.append(f"line {line}: `{keyword.arg}=` of {method} has no profile equivalent; left out")
        elif method == "first":
            found = {**(found or {}), "nth": 0}
        elif method == "nth" and call.args:
            found = {**(found or {}), "nth": int(_literal(call.args[0], where))}
        elif method == "last":
            raise _Unsupported(f"line {line}: `.last` has no profile equivalent; use .nth(N)")
        else:
            raise _Unsupported(f"line {line}: `.{method}(…)` has no profile equivalent")
    if not found:
        raise _Unsupported(f"line {line}: no locator")
    return found, notes


def _password_field(locator: dict[str, Any]) -> bool:
    """Whether a recorded locator names a password-like field."""
    return PASSWORD_FIELD.search(" ".join(str(v) for k, v in locator.items() if k not in ("exact", "nth"))) is not None


def _name_of(locator: dict[str, Any]) -> str:
    for key in ("name", "label", "text", "placeholder", "test_id", "css", "role"):
        if key in locator:
            return str(locator[key])
    return "?"


class _Reader:
    """Walks the recorded statements in order, building steps."""

    def __init__(self) -> None:
        self.origin: str | None = None
        self.start_url = "/"
        self.actions: list[dict[str, Any]] = []
        self.env: dict[str, str] = {}
        self.warnings: list[str] = []
        self.stopped = False

    def relative(self, url: str) -> str:
        parsed = urlparse(url)
        if self.origin is None and parsed.scheme in ("http", "https"):
            self.origin = f"{parsed.scheme}://{parsed.netloc}"
        if self.origin and url.startswith(self.origin):
            return url[len(self.origin) :] or "/"
        return url

    def secret_for(self, locator: dict[str, Any], value: str) -> str | None:
        """`${env:NAME}` for a typed password or e-mail address (NAME from the field), else None."""
        if not _password_field(locator) and not EMAIL_VALUE.match(value):
            return None
        if value not in self.env:
            words = re.sub(r"[^A-Za-z0-9]+", "_", _name_of(locator)).strip("_").upper() or "SECRET"
            name = words if words.startswith("STORE_") else f"STORE_{words}"
            while name in self.env.values():
                name += "_2"
            self.env[value] = name
        return "${env:" + self.env[value] + "}"

    def statement(self, node: ast.stmt) -> None:
        if self.stopped or not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Call):
            return
        call = node.value
        if not isinstance(call.func, ast.Attribute):
            return
        asserted = call.func.value
        if isinstance(asserted, ast.Call) and isinstance(asserted.func, ast.Name) and asserted.func.id == "expect":
            self.expectation(call.func.attr, asserted, node.lineno)
            return
        method = call.func.attr
        line = node.lineno
        try:
            target = call.func.value
            if isinstance(target, ast.Name) and target.id == "page":
                self.page_call(method, call, line)
            elif isinstance(target, ast.Name):
                return  # context.close(), browser.close(): the recording's own set-up and tear-down
            else:
                self.element_call(method, call, _chain(target), line)
        except _Unsupported as exc:
            self.warnings.append(f"{exc}; left out: {ast.unparse(call)}")

    def page_call(self, method: str, call: ast.Call, line: int) -> None:
        where = f"line {line}"
        if method == "goto":
            url = self.relative(str(_literal(call.args[0], where)))
            if not self.actions and self.start_url == "/":
                self.start_url = url
                return
            self.actions.append({"action": "goto", "url": url})
        elif method == "wait_for_url":
            self.actions.append({"action": "wait_for", "url": self.relative(str(_literal(call.args[0], where)))})
        elif method == "wait_for_load_state":
            state = str(_literal(call.args[0], where)) if call.args else "load"
            self.actions.append({"action": "wait_for", "state": state})
        elif method == "close":
            return
        else:
            raise _Unsupported(f"line {line}: page.{method}(…) has no profile equivalent")

    def element_call(self, method: str, call: ast.Call, chain: list[ast.Call], line: int) -> None:
        locator, notes = _locator(chain, line)
        self.warnings += notes
        where = f"line {line}"
        name = _name_of(locator)
        if method in ("click", "dblclick"):
            if refused(locator, name):
                self.warnings.append(
                    f"line {line}: refused a click on {name!r}: it places an order or pays, which probe never does; "
                    "the recording is converted up to it"
                )
                self.stopped = True
                return
            self.actions.append({"action": "click", "locator": locator})
        elif method == "fill":
            value = str(_literal(call.args[0], where))
            secret = self.secret_for(locator, value)
            self.actions.append({"action": "fill", "locator": locator, "value": secret or value})
        elif method == "select_option":
            choice = _literal(call.args[0], where) if call.args else None
            label = next((_literal(k.value, where) for k in call.keywords if k.arg == "label"), None)
            if label is not None:
                self.actions.append({"action": "select", "locator": locator, "option_label": str(label)})
            elif isinstance(choice, str):
                self.actions.append({"action": "select", "locator": locator, "value": choice})
            else:
                raise _Unsupported(f"line {line}: select_option with several options")
        elif method == "check":
            self.actions.append({"action": "check", "locator": locator})
        elif method == "press" and call.args and _literal(call.args[0], where) == "Enter":
            raise _Unsupported(f"line {line}: pressing Enter; add a click on the form's button instead")
        else:
            raise _Unsupported(f"line {line}: .{method}(…) has no profile equivalent")

    def expectation(self, method: str, call: ast.Call, line: int) -> None:
        """`expect(locator).to_be_visible()` becomes a wait_for; other assertions are left out."""
        if method != "to_be_visible" or not call.args:
            self.warnings.append(f"line {line}: the assertion .{method}(…) is not part of a walk; left out")
            return
        try:
            locator, notes = _locator(_chain(call.args[0]), line)
        except _Unsupported as exc:
            self.warnings.append(f"{exc}; left out")
            return
        self.warnings += notes
        self.actions.append({"action": "wait_for", "locator": locator})


def _without_focus_clicks(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Codegen records a click into a field before typing into it: the fill alone does both."""
    kept = []
    for i, action in enumerate(actions):
        following = actions[i + 1] if i + 1 < len(actions) else None
        if (
            action["action"] == "click"
            and following is not None
            and following["action"] in ("fill", "select", "check")
            and following["locator"] == action["locator"]
        ):
            continue
        kept.append(action)
    return kept


def _steps(actions: list[dict[str, Any]]) -> list[_Step]:
    """Actions grouped as a person reads them: each step ends with a click or a goto, and the waits after it."""
    steps: list[_Step] = []
    current = _Step()
    for i, action in enumerate(actions):
        current.actions.append(action)
        if action["action"] == "fill" and _password_field(action["locator"]):
            current.secret = True
        following = actions[i + 1] if i + 1 < len(actions) else None
        ends = action["action"] in ("click", "goto", "wait_for") and (
            following is None or following["action"] != "wait_for"
        )
        if ends:
            current.name = _step_name(current.actions)
            steps.append(current)
            current = _Step()
    if current.actions:
        current.name = _step_name(current.actions)
        steps.append(current)
    return steps


def _step_name(actions: list[dict[str, Any]]) -> str:
    for action in reversed(actions):
        if action["action"] == "goto":
            return f"open {action['url']}"
        if action["action"] == "click":
            return _name_of(action["locator"])
    return "wait"


def convert(source: str, *, name: str = "recorded-store", filename: str = "script.py") -> Conversion:
    """Turn a codegen script's text into a profile; InputError when it is not Python or records nothing usable."""
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as exc:
        raise InputError(f"{filename}: not a Python script (line {exc.lineno}: {exc.msg})") from None
    reader = _Reader()
    body = _recorded_body(tree)
    for node in body:
        reader.statement(node)
    all_steps = _steps(_without_focus_clicks(reader.actions))
    if not all_steps:
        raise InputError(f"{filename}: no page actions recorded (page.goto, get_by_role(…).click(), …)")
    last_secret = max((i for i, s in enumerate(all_steps) if s.secret), default=-1)
    login, steps = all_steps[: last_secret + 1], all_steps[last_secret + 1 :]
    if not steps:
        raise InputError(f"{filename}: only a sign-in was recorded; record the way to the payment selection too")
    text = _yaml(name, filename, reader.start_url, login, steps, reader)
    Profile.model_validate(yaml.safe_load(text))
    return Conversion(text, sorted(set(reader.env.values())), reader.warnings)


def _recorded_body(tree: ast.Module) -> list[ast.stmt]:
    """The statements codegen wrote: the body of `def run(playwright)`, else the module's own."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "run":
            return list(node.body)
    return list(tree.body)


def _flow(value: dict[str, Any]) -> str:
    return yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=1000, allow_unicode=True).strip()


def _scalar(value: str) -> str:
    """A string as a YAML scalar (quoted when YAML needs it)."""
    return _flow({"k": value})[len("{k: ") : -1]


def _yaml(name: str, filename: str, start_url: str, login: list[_Step], steps: list[_Step], reader: _Reader) -> str:
    lines = [
        "# yaml-language-server: $schema=profile.schema.json",
        "# (write that schema beside this file with `probe profile schema > profile.schema.json`)",
        f"# Converted by `probe profile from-codegen {filename}`; check it with `probe profile check FILE URL`.",
    ]
    if reader.env:
        lines.append(f"# Secrets come from the environment: export {'=… '.join(sorted(set(reader.env.values())))}=…")
    lines += [f"name: {_scalar(name)}", f"start_url: {_scalar(start_url)}"]

    def block(key: str, group: list[_Step]) -> None:
        if not group:
            return
        lines.append(f"{key}:")
        for step in group:
            lines.append(f"  - name: {_scalar(step.name)}")
            lines.append("    actions:")
            lines.extend(f"      - {_flow(action)}" for action in step.actions)

    block("login", login)
    block("steps", steps)
    return "\n".join(lines) + "\n"


def convert_file(path: Path, name: str | None = None) -> Conversion:
    """Read a recorded script (never run it) and convert it."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            f"{path}: file not found; record one with `playwright codegen --target python -o {path} URL`"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read it ({exc.__class__.__name__})") from None
    return convert(source, name=name or path.stem.replace("_", "-"), filename=str(path))
