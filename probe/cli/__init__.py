"""The command line: parse, call the core, turn errors into a one-line message and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from probe.cli.check_commands import check, diff, doctor, open_report, rules_command, store, verdict
from probe.cli.history_commands import history
from probe.cli.matrix_commands import matrix
from probe.cli.options import err
from probe.cli.profile_commands import login, profile_app

__all__ = ["app", "check", "main"]


class OneLineErrors(TyperGroup):
    """Usage errors (a bad option value, a missing argument) as one line on stderr, exit 2, like every other error."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        forward = {"windows_expand_args": windows_expand_args, **extra}
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **forward)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **forward)
        except Exception as exc:
            if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
                raise
            if type(exc).__name__ == "NoArgsIsHelpError":
                exc.show()  # type: ignore[attr-defined]
                sys.exit(exc.exit_code)
            ctx = getattr(exc, "ctx", None)
            hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
            message = " ".join(exc.format_message().split())
            err.print(f"probe: {message}{hint}", markup=False)
            sys.exit(exc.exit_code)
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(
    name="probe",
    cls=OneLineErrors,
    help="Find out, in a real browser, whether a store's checkout lets store credit pay for a gift card.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


@app.callback()
def root() -> None:
    """probe: observe a gift-card checkout's store-credit option and explain the verdict."""


# The commands, in the order `probe --help` lists them.
app.command()(check)
app.command()(diff)
app.command()(verdict)
app.command("rules")(rules_command)
app.command()(store)
app.command("open")(open_report)
app.command()(doctor)
app.command()(matrix)
app.command()(history)
app.command()(login)
app.add_typer(profile_app, name="profile")


def main() -> None:
    """Console-script entry point."""
    app()
