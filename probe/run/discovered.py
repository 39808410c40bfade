"""A check without a profile: the walk finds its own way (probe/discover), kept beside the report as a profile."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from probe.models import Discovery
from probe.run.pipeline import Prepared, Progress
from probe.walk.flow import Walker

# The way a check without a profile found, written beside report.json as a profile.
DISCOVERED = "discovered-profile.yaml"


async def discover_way(
    prepared: Prepared, walker: Walker, url: str, staging: Path, progress: Progress
) -> tuple[Discovery, str | None]:
    """The walk without a profile, its way kept beside the report; and the failure's one line, if it failed."""
    from probe.discover import Ask, discover, profile_yaml, summary

    found = await discover(walker, Ask(url, prepared.gift_card.value, prepared.profile.amount), progress)
    profile = profile_yaml(found, url)
    discovery = summary(found, profile)
    await asyncio.to_thread((staging / DISCOVERED).write_text, profile, "utf-8")
    if found.failure is not None:
        if not walker.steps or walker.steps[-1].ok:
            # The failure's own step, with the picture of where the walk stopped.
            await walker.record(found.failure.name, time.monotonic(), error=str(found.failure), fatal=False)
        return discovery, str(found.failure)
    await walker.record("payment selection", time.monotonic(), picture=False)
    return discovery, None
