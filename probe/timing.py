"""Every wait and threshold of settling, trials, apply presses and late options, in one value a test can shorten."""

from __future__ import annotations

from pydantic import Field

from probe.models import Frozen


class Timing(Frozen):
    """How long the probe waits for a payment page, and what it counts as settled (milliseconds unless named _s)."""

    poll_ms: float = Field(default=50.0, gt=0, description="how often settling looks at the page again")
    quiet_ms: float = Field(
        default=100.0, ge=0, description="the payment area unchanged this long (nothing else pending) is settled"
    )
    request_grace_ms: float = Field(
        default=200.0, ge=0, description="after a fetch/XHR answers, time for the page's script to apply the answer"
    )
    timer_horizon_ms: float = Field(
        default=4000.0,
        ge=0,
        description="a one-shot timer due within this is waited for (late options, a totals update on a timer)",
    )
    stall_cap_ms: float = Field(
        default=5000.0,
        gt=0,
        description="still busy, but nothing in or near the payment area changed for this long: observe anyway, warn",
    )
    untracked_quiet_young_ms: float = Field(
        default=700.0, ge=0, description="a page opened without the tracker: quiet needed while it is young"
    )
    untracked_quiet_ms: float = Field(default=120.0, ge=0, description="the same, once the page is no longer young")
    untracked_young_ms: float = Field(
        default=2500.0, ge=0, description="a page opened without the tracker may run its first scripts this long"
    )
    untracked_late_options_ms: float = Field(
        default=4500.0, ge=0, description="a page opened without the tracker and no credit words: wait for late options"
    )
    trial_quiet_ms: float = Field(
        default=100.0, ge=0, description="after a trial click, the page unchanged this long (then settled as above)"
    )
    trial_quiet_max_ms: float = Field(default=1500.0, gt=0, description="…but a trial click waits no longer than this")
    trial_settle_s: float = Field(default=3.0, gt=0, description="settling budget after a trial click or its undo")
    select_option_ms: float = Field(default=1500.0, gt=0, description="choosing an <option> in a <select>")
    trials_extra_s: float = Field(
        default=5.0, ge=0, description="trials may still start this long past the settle budget"
    )
    answer_wait_s: float = Field(
        default=3.0,
        ge=0,
        description="after pressing a credit's own apply button, the store's answer may take this long",
    )
    answer_poll_s: float = Field(default=0.15, gt=0, description="how often the page is read again for that answer")
    press_timeout_ms: float = Field(default=5000.0, gt=0, description="scrolling a control into view to press it")
    back_timeout_ms: float = Field(
        default=10000.0, gt=0, description="a press that opened another page: loading it, or going back from it"
    )


DEFAULT_TIMING = Timing()
