"""probe: find out, in a real browser, whether a store's checkout lets store credit pay for a gift card."""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "check"]

if TYPE_CHECKING:
    from probe.api import check


def __getattr__(name: str) -> Any:
    """Load the Python API on first use, so `import probe` (and `probe rules`) stays free of Playwright."""
    if name == "check":
        from probe.api import check

        return check
    raise AttributeError(f"module 'probe' has no attribute {name!r}")


class _Package(types.ModuleType):
    """`probe.check` is the API function even after the submodule of the same name is imported.

    Importing the submodule `probe.check` would otherwise bind it over the name and bypass `__getattr__`;
    the submodule stays reachable as `sys.modules["probe.check"]` and through `from probe.check import ...`.
    """

    @property
    def check(self) -> Any:
        return __getattr__("check")

    @check.setter
    def check(self, _value: Any) -> None:
        pass


sys.modules[__name__].__class__ = _Package
