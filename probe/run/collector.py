"""Python's cyclic garbage collector held off while `probe check` loads its code: loading makes tens of thousands of
long-lived objects (modules, classes, pydantic's schemas) and next to no garbage, yet the collector runs over them
~160 times on the way, a tenth of the loading's work. Released, with what was loaded set aside for good
(`gc.freeze`), once the check's code is in (probe/run/warm.py). Standard library only: it runs before anything else."""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """Stop automatic collection until `release()` (unless it is off already: then it stays as it was)."""
    global _held  # noqa: PLW0603 - one hold per process, made by the command's entry point
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Resume automatic collection after `hold()`; what exists now is frozen out of later collections."""
    global _held  # noqa: PLW0603
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
