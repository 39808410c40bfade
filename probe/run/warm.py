"""What a check needs once its browser is up, loaded while Chromium starts: the start is waiting, not work."""

from __future__ import annotations

import asyncio

from probe.run import collector


def _load() -> None:
    try:
        import probe.detect  # noqa: F401 - the import is the work
        import probe.detect.track  # noqa: F401
        import probe.history.record  # noqa: F401 - the run history (SQLAlchemy only where the history needs it)
        import probe.report.annotate  # noqa: F401
        from probe.report.render import warm_templates
        from probe.safety.order_requests import load_rules

        load_rules()
        warm_templates()
    finally:
        # `probe check` held the garbage collector off while it loaded (probe/run/collector.py): all is in now.
        collector.release()


async def warm_up() -> None:
    """Load the detector, the guard's table and the report template in a thread, so the event loop goes on starting
    the browser meanwhile."""
    await asyncio.to_thread(_load)
