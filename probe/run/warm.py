"""What a check needs once its browser is up, loaded while Chromium starts: the start is waiting, not work."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


def _detector() -> None:
    import probe.detect  # noqa: F401 - the import is the work
    import probe.detect.track  # noqa: F401
    import probe.report.annotate  # noqa: F401


def _guard_table() -> None:
    from probe.safety.order_requests import load_rules

    load_rules()


def _report_template() -> None:
    from probe.report.render import warm_templates

    warm_templates()


WORK: tuple[Callable[[], None], ...] = (_detector, _guard_table, _report_template)


async def warm_up() -> None:
    """Do WORK in a thread, so the event loop goes on starting the browser meanwhile."""
    await asyncio.to_thread(_warm)


def _warm() -> None:
    for piece in WORK:
        piece()
