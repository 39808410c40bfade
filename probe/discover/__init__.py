"""The walk without a profile: from a store's address to its payment selection, found on the page, proven at each
step, handed to detect/ like a profile's walk; the way found is written as an ordinary profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import yaml

from probe.discover.explore import Ask, Explorer, Found
from probe.discover.failures import FAILURES, DiscoveryFailed
from probe.models import Discovery
from probe.safety.mask import mask_text
from probe.walk.flow import Walker

__all__ = ["FAILURES", "Ask", "DiscoveryFailed", "Found", "discover", "profile_yaml", "summary"]


async def discover(walker: Walker, ask: Ask, progress: Callable[[str], None]) -> Found:
    """Walk `ask.url` to payment selection without a profile; a failure is named in the result, not raised."""
    return await Explorer(walker, ask, progress).run()


def profile_yaml(found: Found, url: str) -> str:
    """The way found, as a profile file a person can read, fix and replay."""
    profile = found.profile(url)
    data = profile.model_dump(mode="json", exclude_defaults=True)
    for step in data["steps"]:
        # Each action reads as its kind first: {action: click, locator: …}.
        step["actions"] = [{"action": a["action"], **a} for a in step["actions"]]
    head = (
        f"# Found by `probe discover {url}` on {dt.date.today().isoformat()}"
        + (f" ({found.identified.platform})" if found.identified.platform else "")
        + ".\n# Replay it: probe check URL --profile THIS_FILE (check it: probe profile check THIS_FILE URL).\n"
    )
    if found.failure is not None:
        head += f"# The walk stopped here: {found.failure}\n"
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)


def summary(found: Found, profile: str) -> Discovery:
    """What report.json says about the way found: its profile (`profile_yaml`) with the e-mail addresses and
    code-like values it types masked, as all report text is (the profile file beside the report keeps them)."""
    return Discovery(
        platform=found.identified.platform,
        platform_evidence=found.identified.evidence,
        profile=mask_text(profile),
        failure=found.failure.name if found.failure else None,
    )
