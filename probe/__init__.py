"""probe: find out, in a real browser, whether a store's checkout lets store credit pay for a gift card."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from probe.version import __version__

__all__ = ["__version__", "check"]

if TYPE_CHECKING:
    from probe.api import check


def __getattr__(name: str) -> Any:
    """Load the Python API on first use, so `import probe` (and `probe rules`) stays free of Playwright."""
    if name == "check":
        from probe.api import check

        return check
    raise AttributeError(f"module 'probe' has no attribute {name!r}")
