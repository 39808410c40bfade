"""The named ways a walk without a profile can fail: each is inconclusive (exit 3), never `absent`."""

from __future__ import annotations

from typing import Literal, get_args

Failure = Literal[
    "no gift card found",
    "the cart did not change after add to cart",
    "sign-in required",
    "bot protection",
    "guest checkout not offered",
    "the address form was refused",
    "payment selection not reached",
    "the store did not answer",
    "not a shop",
]
FAILURES: tuple[Failure, ...] = get_args(Failure)
SESSION_HINT = "give --storage-state FILE (made with `probe login URL --save FILE`) or a profile with login: steps"


class DiscoveryFailed(Exception):
    """The walk could not find its way: `name` (one of FAILURES) and what it saw; str() is the one line."""

    def __init__(self, name: Failure, detail: str) -> None:
        self.name = name
        self.detail = detail
        super().__init__(f"{name}: {detail}" if detail else name)
